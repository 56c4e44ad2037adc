"""Keeping the index: one ``SearchDocument`` row per article, written in batches.

``SearchDocument`` holds, for every article whatever its state, the tokens of its title
and of the whole article (title, summary, body text, source, author), written on every
write of the article (``receivers``) and removed with the article (CASCADE). SQLite: two
FTS5 tables read those columns (external content, kept by triggers; migration
``0005_search_index``). PostgreSQL: tsvector columns built from the same tokens with
the 'simple' configuration, each with a GIN index. Who may see what is decided at query
time by ``Article.objects.published()``, so publishing needs nothing of the index.

``rank_key`` is the publication time and the id in one integer: both databases walk
matches in that index order, newest first, and stop once the page is full.
"""

import contextlib
import itertools
import json
import multiprocessing
from dataclasses import dataclass
from datetime import datetime

from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models.expressions import RawSQL

from articles.caching import freshness
from articles.models import Article
from articles.sanitize import html_to_text
from articles.search.tokens import channel_token, tokens

FTS_TABLE = "articles_search_fts"
TITLE_TABLE = "articles_search_title"
GIN_INDEXES = {
    "articles_search_title_gin": "title_vector",
    "articles_search_vector_gin": "vector",
}
# rank_key = publication time in seconds, shifted left by KEY_SHIFT bits, | article id.
KEY_SHIFT = 31
ID_MASK = (1 << KEY_SHIFT) - 1
_MIN_SECONDS = -(1 << 31)
_MAX_SECONDS = (1 << 32) - 1


def rank_key(published_at, pk):
    """Publication time (to the second) and id as one integer that sorts like them."""
    return (seconds(published_at) << KEY_SHIFT) | (pk & ID_MASK)


def seconds(moment):
    """``moment`` in whole seconds, clamped to what a rank key holds."""
    return min(max(int(moment.timestamp() // 1), _MIN_SECONDS), _MAX_SECONDS)


def id_list(ids):
    """A subquery of ``ids`` in one parameter, not thousands: quicker to send and to
    plan, and never past SQLite's limit on parameters."""
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", (list(ids),))
    return RawSQL("SELECT value FROM json_each(%s)", (json.dumps(list(ids)),))


@dataclass
class Entry:
    """One article's fields, as the index needs them."""

    pk: int
    published_at: datetime
    title: str
    summary: str
    body: str  # HTML
    source: str
    author: str
    channel_id: int | None = None

    FIELDS = (
        "pk",
        "published_at",
        "title",
        "summary",
        "body",
        "source__name",
        "author",
        "channel_id",
    )

    @classmethod
    def read(cls, articles):
        """The entries of the ``articles`` queryset, read in one query (no model built)."""
        return [
            cls(pk, published_at, title, summary, body, source or "", author, channel_id)
            for pk, published_at, title, summary, body, source, author, channel_id in (
                articles.values_list(*cls.FIELDS)
            )
        ]

    def row(self):
        """(article_id, rank_key, title tokens, all tokens)."""
        channel = "" if self.channel_id is None else " " + channel_token(self.channel_id)
        every = (self.title, self.summary, html_to_text(self.body), self.source, self.author)
        return (
            self.pk,
            rank_key(self.published_at, self.pk),
            tokens(self.title) + channel,
            tokens(*every) + channel,
        )


UPSERT = {
    # FTS5 follows the table through triggers; an unchanged row is not rewritten.
    "sqlite": """
        INSERT INTO articles_searchdocument
            (article_id, rank_key, title_tokens, tokens, title_vector, vector)
        VALUES (%s, %s, %s, %s, NULL, NULL)
        ON CONFLICT (article_id) DO UPDATE SET
            rank_key = excluded.rank_key,
            title_tokens = excluded.title_tokens,
            tokens = excluded.tokens
        WHERE articles_searchdocument.rank_key != excluded.rank_key
            OR articles_searchdocument.title_tokens != excluded.title_tokens
            OR articles_searchdocument.tokens != excluded.tokens
    """,
    # The tsvectors are the index here; the token strings are not kept twice.
    "postgresql": """
        INSERT INTO articles_searchdocument
            (article_id, rank_key, title_tokens, tokens, title_vector, vector)
        VALUES (%s, %s, '', '', to_tsvector('simple', %s), to_tsvector('simple', %s))
        ON CONFLICT (article_id) DO UPDATE SET
            rank_key = excluded.rank_key,
            title_vector = excluded.title_vector,
            vector = excluded.vector
        WHERE articles_searchdocument.rank_key != excluded.rank_key
            OR articles_searchdocument.title_vector IS DISTINCT FROM excluded.title_vector
            OR articles_searchdocument.vector IS DISTINCT FROM excluded.vector
    """,
}


def write_rows(rows, batch_size=500, using=DEFAULT_DB_ALIAS):
    """Write rows made by ``Entry.row``, ``batch_size`` at a time (None: all at once),
    into the database ``using``; returns how many."""
    rows = iter(rows)
    written = 0
    target = connections[using]
    while batch := list(itertools.islice(rows, batch_size)):
        # One transaction a batch: FTS5 writes its index once per transaction.
        with transaction.atomic(using=using), target.cursor() as cursor:
            cursor.executemany(UPSERT[target.vendor], batch)
        written += len(batch)
    return written


def index_articles(ids):
    """Index (or re-index) the articles ``ids``: one read, one batch write."""
    if not ids:
        return 0
    entries = Entry.read(Article.objects.filter(pk__in=id_list(ids)).order_by())
    return write_rows([entry.row() for entry in entries], batch_size=None)


@contextlib.contextmanager
def gin_dropped():
    """PostgreSQL: the GIN indexes dropped while documents are written, built afresh
    after. Building one at the end takes a fraction of the time of updating it with
    every document; searches meanwhile read the table without it."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        for name in GIN_INDEXES:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            # Inside a transaction the deferred foreign-key checks of the rows written
            # must run first: PostgreSQL builds no index over pending ones.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET maintenance_work_mem = '512MB'")
            for name, column in GIN_INDEXES.items():
                cursor.execute(
                    f"CREATE INDEX IF NOT EXISTS {name} ON articles_searchdocument "
                    f"USING gin ({column})"
                )
            cursor.execute("RESET maintenance_work_mem")


def rebuild(batch_size=500, progress=None, jobs=1, full=False):
    """Index every article again, in batches; ``progress(n)`` after each batch.

    Unchanged documents are left alone. ``jobs`` > 1 tokenizes in that many processes
    while this one writes. ``full`` also re-reads every document into SQLite's FTS5
    index, which mends an index damaged outside the application, and on PostgreSQL
    builds the GIN indexes afresh after writing (much faster when most documents
    change).
    """
    with gin_dropped() if full else contextlib.nullcontext():
        done = _write_all(batch_size, progress, jobs)
    if full and connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            for table in (FTS_TABLE, TITLE_TABLE):
                cursor.execute(f"INSERT INTO {table}({table}) VALUES ('rebuild')")
    optimize()
    # Cached pages (search results among them) were rendered from the old index.
    freshness.bump()
    return done


def _write_all(batch_size, progress, jobs):
    articles = Article.objects.order_by("pk")

    def batches():
        last = 0
        while batch := Entry.read(articles.filter(pk__gt=last)[:batch_size]):
            last = batch[-1].pk
            yield batch

    def flush(job):
        rows = job.get() if pool else [entry.row() for entry in job]
        write_rows(rows)
        if progress:
            progress(len(rows))
        return len(rows)

    done = 0
    pool = multiprocessing.get_context("fork").Pool(jobs) if jobs > 1 else None
    try:
        pending = None
        for entries in batches():
            # With a pool, this batch is tokenized while the previous one is written.
            job = pool.map_async(Entry.row, entries, chunksize=32) if pool else entries
            if pending is not None:
                done += flush(pending)
            pending = job
        if pending is not None:
            done += flush(pending)
    finally:
        if pool:
            pool.close()
            pool.join()
    return done


def optimize():
    """Merge the index into as few pieces as the database likes best to read."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for table in (FTS_TABLE, TITLE_TABLE):
                cursor.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")
        elif connection.vendor == "postgresql":
            # Token frequencies, which choose between GIN and rank_key order.
            cursor.execute("ANALYZE articles_searchdocument")
