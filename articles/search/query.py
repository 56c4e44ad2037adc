"""What a reader asks: the words, parsed as the index cuts text, and the filters.

A query goes through the steps text goes through (``tokens``): a one-character word
looks up a single character, a two-character word is one bigram, a longer word is a
phrase of consecutive bigrams that must also hold each of its trigrams, and all words
must match. Each backend turns a ``Query`` into its own match syntax, every token quoted.
"""

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from articles.models import Article
from articles.search.index import ID_MASK, KEY_SHIFT, seconds
from articles.search.tokens import SEGMENT, bigrams, normalize

# A query is cut to this many characters and this many words: enough for any real
# search, and a bound on the work a crafted one can cause.
MAX_QUERY_CHARS = 100
MAX_TERMS = 8
# Results are counted (and paged) up to here; past it the page says "more than".
MAX_RESULTS = 1000

# The tiers of a search: matches in the title come first, then the rest.
TITLE, ALL, REST = "title", "all", "rest"


@dataclass(frozen=True)
class Query:
    """A reader's query, parsed: what was typed, the terms to match and to highlight."""

    text: str = ""
    terms: tuple = ()  # each term a tuple of tokens, matched as a phrase
    words: tuple = ()  # each term as normalized text, for highlighting

    def __bool__(self):
        return bool(self.terms)


def parse(text):
    """A ``Query`` from anything a reader may type; never raises."""
    text = " ".join(str(text or "").split())
    if len(text) > MAX_QUERY_CHARS:
        # Cut at a space when there is one, so that no word is cut in two.
        cut = text[: MAX_QUERY_CHARS + 1]
        text = cut.rsplit(" ", 1)[0] if " " in cut else cut[:MAX_QUERY_CHARS]
    terms, words = [], []
    for han, word in SEGMENT.findall(normalize(text)):
        if word:
            term = (word,)
        elif len(han) == 1:
            term = (han,)
        else:
            term = tuple(bigrams(han))
        if term not in terms:
            terms.append(term)
            words.append(word or han)
    return Query(text, tuple(terms[:MAX_TERMS]), tuple(words[:MAX_TERMS]))


@dataclass(frozen=True)
class Filters:
    """What narrows a search besides its words."""

    channel_ids: tuple | None = None  # a channel and its descendants
    start: datetime | None = None  # published at or after
    end: datetime | None = None  # published before

    def visible(self):
        """The published articles these filters let through."""
        articles = Article.objects.published()
        if self.channel_ids is not None:
            articles = articles.filter(channel_id__in=self.channel_ids)
        if self.start is not None:
            articles = articles.filter(published_at__gte=self.start)
        if self.end is not None:
            articles = articles.filter(published_at__lt=self.end)
        return articles

    def key_range(self):
        """(low or None, high): the rank keys that can hold a visible match, never a
        future article's."""
        until = timezone.now() if self.end is None else min(timezone.now(), self.end)
        low = None if self.start is None else seconds(self.start) << KEY_SHIFT
        return low, (seconds(until) << KEY_SHIFT) | ID_MASK
