"""The articles matching a query, in the shape Django's Paginator wants.

Matches in the title come first, then the others, each newest first. Counting stops at
``MAX_RESULTS``; the page's articles are read by primary key and checked again with the
visibility rule, then highlighted.
"""

from dataclasses import dataclass, field

from django.db import connection

from articles.models import Article
from articles.search.highlight import highlight, snippet
from articles.search.postgres import PostgresSearch
from articles.search.query import ALL, MAX_RESULTS, REST, TITLE, Filters, Query
from articles.search.sqlite import SQLiteSearch


def backend():
    """The search of the database in use."""
    return PostgresSearch() if connection.vendor == "postgresql" else SQLiteSearch()


@dataclass
class Results:
    """The articles matching a query, lazily, in the shape Django's Paginator wants."""

    query: Query
    filters: Filters = field(default_factory=Filters)
    # The places the page will show (a slice), when known before counting: SQLite then
    # counts and finds the page's articles in one statement.
    expected: slice | None = None
    ordered = True  # tells Paginator not to warn

    def __post_init__(self):
        self._count = None
        self._expected_ids = None
        self._backend = backend()

    def count(self):
        if self._count is None:
            expected = self.expected
            # (A page past the cap is sent to the last one: it is read when asked for.)
            if (
                expected is not None
                and expected.stop <= MAX_RESULTS
                and hasattr(self._backend, "count_and_page")
            ):
                start, stop = expected.start, expected.stop
                self._count, self._expected_ids = self._backend.count_and_page(
                    self.query, self.filters, MAX_RESULTS, start, stop
                )
            else:
                self._count = self._backend.count(self.query, self.filters, ALL, MAX_RESULTS)
        return self._count

    def __len__(self):
        return self.count()

    @property
    def is_capped(self):
        """True when there are more matches than are counted and paged."""
        return self.count() >= MAX_RESULTS

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop, _ = index.indices(self.count())
        if stop <= start:
            return []
        if (
            self._expected_ids is not None
            and (start, stop) == self.expected.indices(self.count())[:2]
        ):
            return self._articles(self._expected_ids)
        # Title matches fill the first places; asking for them up to ``stop`` also
        # tells how many there are when they end on this page.
        titled = self._backend.ids(self.query, self.filters, TITLE, 0, stop)
        ids = titled[start:stop]
        if len(titled) < stop:
            rest_start = max(start - len(titled), 0)
            ids += self._backend.ids(
                self.query, self.filters, REST, rest_start, stop - start - len(ids)
            )
        return self._articles(ids)

    def _articles(self, ids):
        # ``ids`` passed published() a moment ago; the rows are read by primary key (with
        # published() here, SQLite without statistics walks the publication-time index)
        # and checked again with the same rule, for what changed in between.
        found = Article.objects.filter(pk__in=ids).select_related("channel", "source").order_by()
        by_id = {article.pk: article for article in found}
        articles = [by_id[pk] for pk in ids if pk in by_id and by_id[pk].is_visible]
        for article in articles:
            article.title_html = highlight(article.title, self.query.words)
            article.snippet_html = snippet(article, self.query.words)
        return articles
