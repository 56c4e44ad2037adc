"""Text as the index sees it: normalized, then cut into the tokens both databases store.

Text is normalized — NFKC (full-width letters, digits and punctuation become
half-width), Traditional to Simplified (OpenCC ``t2s``), lower case — and cut into runs
of Han characters and runs of other letters and digits. A Han run gives its overlapping
bigrams (双减政策 → 双减 减政 政策), its single characters and its trigrams; any other
run is one word (``12388``, ``g20``). The article's channel is a token too
(``channel_token``). Tokens hold only letters and digits, so what a reader types never
reaches the index's query syntax (see ``query.parse``).

Migrations 0005 and 0009 keep a frozen copy of this module, as it was when they were
written: a change here that changes the tokens needs a migration (or a note to run
``rebuild_search_index``), and the test that compares the two says so.
"""

import functools
import re
import unicodedata

# Longer texts are indexed up to here (PostgreSQL keeps positions up to 16383 only).
MAX_INDEXED_CHARS = 30_000

# Han ideographs (CJK unified, extension A, compatibility, supplementary planes) and 〇.
HAN = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
# A Han run, or a run of other letters and digits.
SEGMENT = re.compile(rf"([{HAN}]+)|([^\W_{HAN}]+)")


# A loaded library, not a value derived from content: kept past ``memo.reset()``.
@functools.cache
def t2s():
    """OpenCC's Traditional-to-Simplified converter, loaded once (it reads dictionaries)."""
    import opencc

    return opencc.OpenCC("t2s")


def normalize(text):
    """``text`` as the index sees it: NFKC, Simplified characters, lower case."""
    text = unicodedata.normalize("NFKC", text)
    if not text.isascii():
        text = t2s().convert(text)
    return text.lower()


def bigrams(run):
    return [run[i : i + 2] for i in range(len(run) - 1)]


def trigrams(run):
    return [run[i : i + 3] for i in range(len(run) - 2)]


def trigram_tokens(term):
    """The trigrams of a longer word (a term of two bigrams or more).

    A phrase of common bigrams may itself be rare (纪委监督): checking it means reading
    positions, in every document holding all its bigrams. Its trigrams are tokens of
    their own, so the index first keeps only the documents holding every one of them.
    """
    return [a + b[1] for a, b in zip(term, term[1:], strict=False)]


def channel_token(pk):
    """The token that files a document under its channel, for the channel filter.

    Three Han characters and digits: neither text nor a query ever gives such a token
    (Han runs give one or two characters, other runs hold no Han), and both FTS5's
    ``ascii`` tokenizer and PostgreSQL's parser keep it whole.
    """
    return f"栏目号{pk}"


def tokens(*texts):
    """The token string of ``texts`` (one document) for the index.

    Bigrams and words come first, in text order, so that a longer word is found as a
    phrase of consecutive bigrams; each distinct single character follows once, then
    each distinct run of three characters (see ``trigram_tokens``).
    """
    sequence = []
    characters = {}
    threes = {}
    last = None  # last character of the previous Han run in ``sequence``
    for text in texts:
        if not text:
            continue
        for han, word in SEGMENT.findall(normalize(text[:MAX_INDEXED_CHARS])):
            if word:
                sequence.append(word)
                last = None
            elif len(han) == 1:
                characters[han] = None
            else:
                if han[0] == last:
                    # "…双减。减负…" must not be found by 双减负: put a token between the
                    # bigram ending one run and the bigram starting the next.
                    sequence.append(han[0])
                sequence.extend(bigrams(han))
                characters.update(dict.fromkeys(han))
                threes.update(dict.fromkeys(trigrams(han)))
                last = han[-1]
    return " ".join([*sequence, *characters, *threes])
