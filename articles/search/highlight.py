"""Highlighting: a result's title and a piece of its text, escaped, matches in <mark>.

Matches are found in the text as written, aligned character for character with the text
as the index sees it (``tokens.normalize``), so that 監督 in a title is marked for the
query 监督 and ＡＢＣ for abc.
"""

import re
import unicodedata

from django.utils.html import escape
from django.utils.safestring import mark_safe

from articles.caching import memo
from articles.sanitize import html_to_text
from articles.search.tokens import HAN, SEGMENT, t2s

SNIPPET_CHARS = 120
SNIPPET_LEAD = 24


class _Fold(dict):
    """str.translate table: each character as ``normalize`` sees it, when that is one
    character too (NFKC and lower case); filled in as characters are met."""

    def __missing__(self, codepoint):
        char = chr(codepoint)
        folded = unicodedata.normalize("NFKC", char).lower()
        self[codepoint] = value = folded if len(folded) == 1 else char
        return value


_FOLD = _Fold()
memo.on_reset(_FOLD.clear)


def _aligned(text):
    """``text`` normalized like the index, one character for one (for finding matches)."""
    folded = text.translate(_FOLD)
    if not folded.isascii():
        simplified = t2s().convert(folded)
        if len(simplified) == len(folded):
            return simplified
    return folded


@memo.memoize(256)
def _pattern(words):
    alternatives = []
    for word in sorted(words, key=len, reverse=True):
        if SEGMENT.fullmatch(word).group(1):
            alternatives.append(re.escape(word))
        else:
            # Latin words and numbers match whole, as the index matches them.
            alternatives.append(rf"(?<![^\W_{HAN}]){re.escape(word)}(?![^\W_{HAN}])")
    # Case-blind, so that it also finds the words in text as written (see _first_match).
    return re.compile("|".join(alternatives), re.IGNORECASE) if alternatives else None


def _spans(text, words):
    pattern = _pattern(tuple(words))
    if not text or pattern is None:
        return []
    return [match.span() for match in pattern.finditer(_aligned(text))]


def _marked(text, spans, start=0, end=None):
    end = len(text) if end is None else end
    out, position = [], start
    for left, right in spans:
        left, right = max(left, start), min(right, end)
        if right <= left or left < position:
            continue
        out.append(escape(text[position:left]))
        out.append(f"<mark>{escape(text[left:right])}</mark>")
        position = right
    out.append(escape(text[position:end]))
    return "".join(out)


# Whitespace between two Chinese characters (Han, CJK punctuation, full-width forms)
# was a line break or the seam of two blocks in the HTML: Chinese puts no space there.
_CJK = rf"{HAN}\u3001-\u303f\uff00-\uffef"
_CJK_GAP = re.compile(rf"(?<=[{_CJK}])\s+(?=[{_CJK}])")
_SPACES = re.compile(r"\s+")


def plain_text(body):
    """The text of a stored (sanitized) body on one line, for snippets."""
    return _SPACES.sub(" ", _CJK_GAP.sub("", html_to_text(body))).strip()


# The texts of bodies shown lately. Walking a body's HTML costs about 0.5 ms for 1,400
# characters, six times the regex it replaced (bench/search_bench.py: 10 results a page),
# and the same articles come up in many searches. Keyed by the body's hash, with the id
# so that two bodies would have to share both to be confused.
_TEXTS = memo.Memo("search-snippet-texts", 1000)


def _text_of(article):
    key = (article.pk, hash(article.body))
    text = _TEXTS.get(key)
    if text is None:
        text = plain_text(article.body)
        _TEXTS.set(key, text)
    return text


def highlight(text, words):
    """``text`` escaped, with every match of ``words`` in ``<mark>``."""
    return mark_safe(_marked(text or "", _spans(text, words)))


def snippet(article, words, length=SNIPPET_CHARS):
    """A piece of the article's text around its first match, escaped and highlighted."""
    text = _text_of(article)
    first = _first_match(text, words)
    if first is None:
        text = article.summary or text
        first = _first_match(text, words)
        if first is None:
            return mark_safe(escape(text[:length]) + ("…" if len(text) > length else ""))
    start = max(first - SNIPPET_LEAD, 0)
    end = min(start + length, len(text))
    start = max(end - length, 0)
    piece = text[start:end]
    html = _marked(piece, _spans(piece, words))
    return mark_safe(("…" if start else "") + html + ("…" if end < len(text) else ""))


def _first_match(text, words, chunk=400):
    """Where the first match of ``words`` in ``text`` starts, or None.

    Mostly the text is written as the words are (Simplified, half-width), and a search
    of the text as it is finds them; only otherwise is the text normalized, in pieces.
    """
    pattern = _pattern(tuple(words))
    if pattern is None:
        return None
    found = pattern.search(text)
    if found:
        return found.start()
    overlap = max(map(len, words), default=1)
    for offset in range(0, len(text), chunk):
        spans = _spans(text[offset : offset + chunk + overlap], words)
        if spans:
            return offset + spans[0][0]
    return None
