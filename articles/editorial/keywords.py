"""Keywords suggested for an article from its title and body (关键词建议).

jieba cuts the Chinese text into words and ranks them by TF-IDF (how often a word is
in this article against how common it is in Chinese at large). It loads a dictionary
of some 350,000 words, which takes about a second and 100 MB: so it is imported here
only, on first use, and only the editors' desk calls this module — reader pages never
load it (tests/test_keywords.py checks that).
"""

import functools
import logging
import re

from articles.richtext import text

COUNT = 5
# Nouns of every kind (people, places, organisations, others) and verbal nouns: the
# words a reader would search for; verbs like 推进 or 开展 say little alone.
PARTS_OF_SPEECH = ("n", "nr", "ns", "nt", "nz", "nw", "vn")
# What the body contributes beyond this many characters changes little.
LONGEST = 20_000
# Words every article of a commission's site holds: they tell articles apart not at all.
COMMON = {"工作", "问题", "情况", "方面", "要求", "单位", "同志", "部门", "人员", "记者"}
MEANINGFUL = re.compile(r"[\u4e00-\u9fff]{2,}|[A-Za-z][A-Za-z0-9]{1,}")


@functools.cache
def _extract():
    import jieba
    import jieba.analyse

    jieba.setLogLevel(logging.WARNING)
    return jieba.analyse.TFIDF().extract_tags


def suggest(title, body, count=COUNT):
    """Up to ``count`` keywords for an article, most telling first. The title counts
    three times: it says what the article is about."""
    words = f"{title}\n" * 3 + text(body)[:LONGEST]
    found = _extract()(words, topK=count * 3, allowPOS=PARTS_OF_SPEECH)
    chosen = [w for w in found if w not in COMMON and MEANINGFUL.fullmatch(w)]
    return chosen[:count]


def joined(words):
    return ",".join(words)
