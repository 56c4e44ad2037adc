"""Wording checks (错敏字): find the wrong forms administrators list, with their fixes.

Texts are compared in a normal form so that variants are caught: full-width letters,
digits and punctuation as half-width, Traditional characters as Simplified (OpenCC
t2s), whitespace and zero-width characters between characters removed, Latin letters
lower-cased. Each character of the normal form remembers where it came from, so a hit
is shown in the text as the editor wrote it.
"""

import re
from dataclasses import dataclass

from articles.hant.conversion import get_converter
from articles.inspections.models import WordingRule
from articles.sanitize import first_paragraph, html_to_text

CONTEXT = 15
_INVISIBLE = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"}
_LINE_BREAKS = re.compile(r"\s+")


def _t2s(text):
    converted = get_converter("t2s").convert(text)
    if len(converted) == len(text):
        return converted
    # A phrase converted to a different length: convert character by character, so that
    # positions still line up (rare; phrase-level differences do not matter here).
    convert = get_converter("t2s").convert
    return "".join(convert(ch) if len(convert(ch)) == 1 else ch for ch in text)


def normalise(text):
    """``text`` in normal form, and for each of its characters the index in ``text``."""
    chars, where = [], []
    for i, ch in enumerate(text or ""):
        if ch.isspace() or ch in _INVISIBLE:
            continue
        code = ord(ch)
        if 0xFF01 <= code <= 0xFF5E:
            ch = chr(code - 0xFEE0)
        chars.append(ch.lower())
        where.append(i)
    normal = "".join(chars)
    if not normal.isascii():
        normal = _t2s(normal)
    return normal, where


@dataclass(frozen=True)
class Hit:
    rule: WordingRule
    field: str
    found: str
    before: str
    after: str

    @property
    def is_severe(self):
        return self.rule.severity == WordingRule.Severity.SEVERE


class Matcher:
    """Every active rule, compiled into one pattern over normal forms."""

    def __init__(self, rules=None):
        rules = list(WordingRule.objects.filter(is_active=True) if rules is None else rules)
        self.by_form = {}
        self.right_forms = {}
        for rule in rules:
            form = normalise(rule.wrong)[0]
            if form:
                self.by_form.setdefault(form, rule)
                self.right_forms[rule.pk] = normalise(rule.right)[0]
        forms = sorted(self.by_form, key=len, reverse=True)
        self.pattern = re.compile("|".join(map(re.escape, forms))) if forms else None

    def hits(self, text, field):
        if self.pattern is None or not text:
            return []
        normal, where = normalise(text)
        found = []
        for match in self.pattern.finditer(normal):
            rule = self.by_form[match.group()]
            if self._is_right_form(normal, match, self.right_forms[rule.pk]):
                continue
            start, end = where[match.start()], where[match.end() - 1] + 1
            found.append(
                Hit(
                    rule=rule,
                    field=field,
                    found=text[start:end],
                    before=_LINE_BREAKS.sub(" ", text[max(0, start - CONTEXT) : start]),
                    after=_LINE_BREAKS.sub(" ", text[end : end + CONTEXT]),
                )
            )
        return found

    @staticmethod
    def _is_right_form(normal, match, right):
        """A wrong form inside its own right form (e.g. a rule on a shortened name) is no hit."""
        offset = right.find(match.group())
        if offset == -1:
            return False
        start = match.start() - offset
        return start >= 0 and normal[start : start + len(right)] == right


def texts_of(title, summary, body):
    """The texts of an article that readers read, with the names editors know them by."""
    body_text = html_to_text(body)
    texts = [("标题", title), ("正文", body_text)]
    # An empty summary is filled from the first paragraph: checked once, in the body.
    if summary and summary.strip() != first_paragraph(body).strip():
        texts.insert(1, ("摘要", summary))
    return texts


def find(title, summary, body, matcher=None):
    matcher = matcher or Matcher()
    return [
        hit for field, text in texts_of(title, summary, body) for hit in matcher.hits(text, field)
    ]


def wording_hits(article, matcher=None):
    """Each wording error in ``article``'s title, summary and body, in context, with its fix."""
    return find(article.title, article.summary, article.body, matcher)


def apply_fixes(text, hits):
    """``text`` with each hit, as it was written there, replaced by its right form."""
    for hit in hits:
        if hit.found not in hit.rule.right:
            text = text.replace(hit.found, hit.rule.right)
    return text
