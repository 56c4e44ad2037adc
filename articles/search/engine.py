"""Site search (站内搜索) that understands Chinese, on SQLite and on PostgreSQL.

Tokens
    Text is normalized — NFKC (full-width letters, digits and punctuation become
    half-width), Traditional to Simplified (OpenCC ``t2s``), lower case — and cut into
    runs of Han characters and runs of other letters and digits. A Han run gives its
    overlapping bigrams (双减政策 → 双减 减政 政策) and its single characters; any other run
    is one word (``12388``, ``g20``); each three-character piece of a Han run and the
    article's channel (``channel_token``) are tokens too. A query goes through the same
    steps: a one-character word looks up a single character, a two-character word is
    one bigram, a longer word is a phrase of consecutive bigrams that must also hold
    each of its trigrams, and all words must match. What a reader types
    never reaches the index's query syntax: tokens hold only letters and digits and are
    always quoted.

Index
    ``SearchDocument`` holds, for every article whatever its state, the tokens of its
    title and of the whole article (title, summary, body text, source, author), written
    on every save (signals below) and removed with the article (CASCADE). SQLite: an
    FTS5 table reads those columns (external content, kept by triggers; migration
    ``search_index``). PostgreSQL: tsvector columns built from the same tokens with the
    'simple' configuration, each with a GIN index. Who may see what is decided at query
    time by ``Article.objects.published()``, so publishing needs nothing of the index.

Order
    Matches in the title first, then the others, each newest first. ``rank_key`` is the
    publication time and the id in one integer: both databases walk matches in that
    index order and stop once the page is full, however common the word. Counting stops
    at ``MAX_RESULTS``.
"""

import contextlib
import functools
import html
import itertools
import multiprocessing
import re
import time
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.postgres.search import SearchQuery
from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef
from django.db.models.expressions import RawSQL
from django.db.models.signals import post_save, pre_save
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from articles.caching import freshness
from articles.models import Article, Source
from articles.sanitize import html_to_text
from articles.search.models import SearchDocument

# A query is cut to this many characters and this many words: enough for any real
# search, and a bound on the work a crafted one can cause.
MAX_QUERY_CHARS = 100
MAX_TERMS = 8
# Results are counted (and paged) up to here; past it the page says "more than".
MAX_RESULTS = 1000
# Longer texts are indexed up to here (PostgreSQL keeps positions up to 16383 only).
MAX_INDEXED_CHARS = 30_000
SNIPPET_CHARS = 120
SNIPPET_LEAD = 24

FTS_TABLE = "articles_search_fts"
TITLE_TABLE = "articles_search_title"
# rank_key = publication time in seconds, shifted left by KEY_SHIFT bits, | article id.
KEY_SHIFT = 31
ID_MASK = (1 << KEY_SHIFT) - 1
_MIN_SECONDS = -(1 << 31)
_MAX_SECONDS = (1 << 32) - 1

# Han ideographs (CJK unified, extension A, compatibility, supplementary planes) and 〇.
_HAN = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_SEGMENT = re.compile(rf"([{_HAN}]+)|([^\W_{_HAN}]+)")


# --- text to tokens -----------------------------------------------------------------


@functools.cache
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def normalize(text):
    """``text`` as the index sees it: NFKC, Simplified characters, lower case."""
    text = unicodedata.normalize("NFKC", text)
    if not text.isascii():
        text = _t2s().convert(text)
    return text.lower()


def _bigrams(run):
    return [run[i : i + 2] for i in range(len(run) - 1)]


def channel_token(pk):
    """The token that files a document under its channel, for the channel filter.

    Three Han characters and digits: neither text nor a query ever gives such a token
    (Han runs give one or two characters, other runs hold no Han), and both FTS5's
    ``ascii`` tokenizer and PostgreSQL's parser keep it whole.
    """
    return f"栏目号{pk}"


def _trigrams(run):
    return [run[i : i + 3] for i in range(len(run) - 2)]


def trigram_tokens(term):
    """The trigrams of a longer word (a term of two bigrams or more).

    A phrase of common bigrams may itself be rare (纪委监督): checking it means reading
    positions, in every document holding all its bigrams. Its trigrams are tokens of
    their own, so the index first keeps only the documents holding every one of them.
    """
    return [a + b[1] for a, b in zip(term, term[1:], strict=False)]


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
        for han, word in _SEGMENT.findall(normalize(text[:MAX_INDEXED_CHARS])):
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
                sequence.extend(_bigrams(han))
                characters.update(dict.fromkeys(han))
                threes.update(dict.fromkeys(_trigrams(han)))
                last = han[-1]
    return " ".join([*sequence, *characters, *threes])


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
    for han, word in _SEGMENT.findall(normalize(text)):
        if word:
            term = (word,)
        elif len(han) == 1:
            term = (han,)
        else:
            term = tuple(_bigrams(han))
        if term not in terms:
            terms.append(term)
            words.append(word or han)
    return Query(text, tuple(terms[:MAX_TERMS]), tuple(words[:MAX_TERMS]))


# --- keeping the index --------------------------------------------------------------


def rank_key(published_at, pk):
    """Publication time (to the second) and id as one integer that sorts like them."""
    return (_seconds(published_at) << KEY_SHIFT) | (pk & ID_MASK)


def _seconds(moment):
    return min(max(int(moment.timestamp() // 1), _MIN_SECONDS), _MAX_SECONDS)


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

    @classmethod
    def of(cls, article):
        source = article.source.name if article.source_id else ""
        return cls(
            article.pk,
            article.published_at,
            article.title,
            article.summary,
            article.body,
            source,
            article.author,
            article.channel_id,
        )

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


_UPSERT = {
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


def write_entries(entries, using=None):
    """Index (or re-index) ``entries``; works with historical models in migrations too."""
    return write_rows(map(Entry.row, entries), using)


def write_rows(rows, using=None):
    """Write rows made by ``Entry.row``, in batches; returns how many."""
    conn = connection if using is None else using
    rows = iter(rows)
    written = 0
    while batch := list(itertools.islice(rows, 500)):
        # One transaction a batch: FTS5 writes its index once per transaction.
        with transaction.atomic(using=conn.alias), conn.cursor() as cursor:
            cursor.executemany(_UPSERT[conn.vendor], batch)
        written += len(batch)
    return written


def index_article(article):
    write_entries([Entry.of(article)])


def _article_saved(sender, instance, raw=False, **kwargs):
    if not raw:  # fixtures: rebuild_search_index afterwards
        index_article(instance)


def _source_saving(sender, instance, raw=False, **kwargs):
    if not raw and instance.pk:
        instance._search_old_name = (
            Source.objects.filter(pk=instance.pk).values_list("name", flat=True).first()
        )


def _source_saved(sender, instance, raw=False, created=False, **kwargs):
    """A renamed source: its articles are found by the new name, not the old one."""
    if raw or created or getattr(instance, "_search_old_name", instance.name) == instance.name:
        return
    articles = instance.articles.select_related("source").order_by("pk")
    write_entries(Entry.of(article) for article in articles.iterator(chunk_size=500))


def connect_signals():
    # Deleting an article deletes its SearchDocument (CASCADE), and with it, through
    # the triggers on SQLite, its FTS5 rows.
    post_save.connect(_article_saved, sender=Article, dispatch_uid="search-article-saved")
    pre_save.connect(_source_saving, sender=Source, dispatch_uid="search-source-saving")
    post_save.connect(_source_saved, sender=Source, dispatch_uid="search-source-saved")


GIN_INDEXES = {
    "articles_search_title_gin": "title_vector",
    "articles_search_vector_gin": "vector",
}


@contextlib.contextmanager
def gin_dropped(using=None):
    """PostgreSQL: the GIN indexes dropped while documents are written, built afresh
    after. Building one at the end takes a fraction of the time of updating it with
    every document; searches meanwhile read the table without it."""
    conn = connection if using is None else using
    if conn.vendor != "postgresql":
        yield
        return
    with conn.cursor() as cursor:
        for name in GIN_INDEXES:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")
    try:
        yield
    finally:
        with conn.cursor() as cursor:
            # Inside a transaction (a migration) the deferred foreign-key checks of the
            # rows written must run first: PostgreSQL builds no index over pending ones.
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
        return _rebuild(batch_size, progress, jobs, full)


def _rebuild(batch_size, progress, jobs, full):
    articles = Article.objects.select_related("source").order_by("pk")

    def batches():
        last = 0
        while batch := list(articles.filter(pk__gt=last)[:batch_size]):
            last = batch[-1].pk
            yield [Entry.of(article) for article in batch]

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
    if full and connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            for table in (FTS_TABLE, TITLE_TABLE):
                cursor.execute(f"INSERT INTO {table}({table}) VALUES ('rebuild')")
    optimize()
    # Cached pages (search results among them) were rendered from the old index.
    freshness.bump()
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


# --- searching ----------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """What narrows a search besides its words."""

    channel_ids: tuple | None = None  # a channel and its descendants
    start: datetime | None = None  # published at or after
    end: datetime | None = None  # published before


def _visible(filters):
    articles = Article.objects.published()
    if filters.channel_ids is not None:
        articles = articles.filter(channel_id__in=filters.channel_ids)
    if filters.start is not None:
        articles = articles.filter(published_at__gte=filters.start)
    if filters.end is not None:
        articles = articles.filter(published_at__lt=filters.end)
    return articles


def _key_range(filters):
    """The rank keys that can hold a visible match: never a future article."""
    until = timezone.now() if filters.end is None else min(timezone.now(), filters.end)
    low = None if filters.start is None else _seconds(filters.start) << KEY_SHIFT
    return low, (_seconds(until) << KEY_SHIFT) | ID_MASK


TITLE, ALL, REST = "title", "all", "rest"


class SQLiteSearch:
    """FTS5, walked backwards by rowid (= rank_key) until the page is full."""

    @staticmethod
    def _match(query, filters, tier):
        """(table, MATCH expression) of a tier; every token quoted."""
        words = " AND ".join(
            " AND ".join(['"' + " ".join(term) + '"', *map('"{}"'.format, trigram_tokens(term))])
            for term in query.terms
        )
        if filters.channel_ids is not None:
            # The index intersects the word's matches with the channel's documents, so
            # a small channel costs no walk through a common word's matches.
            channels = " OR ".join(f'"{channel_token(pk)}"' for pk in filters.channel_ids or (0,))
            words = f"{words} AND ({channels})"
        if tier == TITLE:
            return TITLE_TABLE, words
        if tier == ALL:
            return FTS_TABLE, f"tokens : ({words})"
        return FTS_TABLE, f"tokens : ({words}) NOT title_tokens : ({words})"

    def __init__(self):
        self._visible_sql = {}

    def _visible(self, filters):
        """published() with ``filters`` for the match in hand, compiled once per search."""
        if filters not in self._visible_sql:
            visible = (
                _visible(filters).filter(pk=RawSQL(f"matches.rowid & {ID_MASK}", ())).values("pk")
            )
            self._visible_sql[filters] = visible.query.sql_with_params()
        return self._visible_sql[filters]

    def _select(self, query, filters, tier):
        table, match = self._match(query, filters, tier)
        visible_sql, visible_params = self._visible(filters)
        low, high = _key_range(filters)
        where = [f"matches.{table} MATCH %s", "matches.rowid <= %s"]
        params = [match, high]
        if low is not None:
            where.append("matches.rowid >= %s")
            params.append(low)
        where.append(f"EXISTS ({visible_sql})")
        params.extend(visible_params)
        return f"SELECT matches.rowid FROM {table} AS matches WHERE {' AND '.join(where)}", params

    def ids(self, query, filters, tier, offset, limit):
        sql, params = self._select(query, filters, tier)
        with connection.cursor() as cursor:
            cursor.execute(f"{sql} ORDER BY 1 DESC LIMIT %s OFFSET %s", [*params, limit, offset])
            return [rowid & ID_MASK for (rowid,) in cursor.fetchall()]

    def count(self, query, filters, tier, cap):
        sql, params = self._select(query, filters, tier)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM ({sql} LIMIT %s)", [*params, cap])
            return cursor.fetchone()[0]

    def count_and_page(self, query, filters, cap, start, stop):
        """(count of every match up to ``cap``, ids of places ``start:stop``), in one
        statement: the title matches up to ``stop``, and as many of the rest as the
        page still has room for, from where the title matches leave off."""
        every, every_params = self._select(query, filters, ALL)
        titled, titled_params = self._select(query, filters, TITLE)
        rest, rest_params = self._select(query, filters, REST)
        titles = "(SELECT count(*) FROM titled)"
        sql = (
            f"WITH titled(key) AS MATERIALIZED ({titled} ORDER BY 1 DESC LIMIT %s) "
            f"SELECT 0, count(*) FROM ({every} LIMIT %s) "
            "UNION ALL SELECT 1, key FROM titled "
            f"UNION ALL SELECT 2, * FROM ({rest} ORDER BY 1 DESC "
            f"LIMIT max(%s - max({titles} - %s, 0), 0) OFFSET max(%s - {titles}, 0))"
        )
        params = [
            *titled_params,
            stop,
            *every_params,
            cap,
            *rest_params,
            stop - start,
            start,
            start,
        ]
        count, groups = 0, {TITLE: [], REST: []}
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            for part, value in cursor.fetchall():
                if part == 0:
                    count = value
                else:
                    groups[TITLE if part == 1 else REST].append(value)
        ranked = [sorted(groups[tier], reverse=True) for tier in (TITLE, REST)]
        ids = ranked[0][start:stop] + ranked[1]
        return count, [rowid & ID_MASK for rowid in ids]


# Estimated matches past this many times the cap are taken as "more than the cap".
SURELY_MANY = 10
# A longer word's positions are read for at most this many candidates (PostgreSQL).
POSITIONS_CHECKED = 2 * MAX_RESULTS


class PostgresSearch:
    """tsvector @@ tsquery: GIN for few matches, the rank_key index for many.

    PostgreSQL's planner cannot be left to choose: it prices a tsvector check at almost
    nothing, while each reads the article's whole vector (~18 kB, out of line). So the
    choice is made here, from the token frequencies in PostgreSQL's own statistics
    (``pg_stats``, read once in a while):

    * a word in DENSE_SHARE of all documents or more: newest first along the rank_key
      index, where a page is found after a few dozen rows;
    * otherwise: the matches through the GIN index alone (a bitmap scan, which reads no
      vector), up to DENSE_SHARE of all documents, sorted here — and if there are that
      many after all, as above.

    Titles alone use TITLE_DENSE_SHARE. A channel filter scales the estimate by the
    channel's share of the articles.
    """

    DENSE_SHARE = 0.05
    # Title vectors are small and kept in the row, so walking rows is cheap for titles.
    TITLE_DENSE_SHARE = 0.005
    STATS_SECONDS = 600
    _stats = None  # (read at, documents, {column: {token: share of documents}})

    def __init__(self):
        self._found = {}
        self._many = set()  # (tier, filters) known to have at least ``many`` matches
        self._estimates = {}

    @staticmethod
    def _needs_positions(query):
        """Whether a word of four characters or more asks for positions to be checked."""
        return any(len(term) > 2 for term in query.terms)

    def _tsquery(self, query, filters, positions=True):
        """The tsquery of ``query``; without ``positions``, words of four characters or
        more are only their trigrams (a superset, answered by GIN with no row read)."""
        parts = []
        for term in query.terms:
            trigrams = trigram_tokens(term)
            # A three-character word is its trigram, exactly: no positions to check.
            if positions and len(term) > 2 or not trigrams:
                parts.append("(" + " <-> ".join(f"'{token}'" for token in term) + ")")
            parts.extend(f"'{token}'" for token in trigrams)
        if filters.channel_ids is not None:
            channels = " | ".join(f"'{channel_token(pk)}'" for pk in filters.channel_ids or (0,))
            parts.append(f"({channels})")
        return SearchQuery(" & ".join(parts), config="simple", search_type="raw")

    def _documents(self, query, filters, tier, positions=True):
        tsquery = self._tsquery(query, filters, positions)
        low, high = _key_range(filters)
        documents = SearchDocument.objects.filter(rank_key__lte=high)
        if low is not None:
            documents = documents.filter(rank_key__gte=low)
        if tier == TITLE:
            return documents.filter(title_vector=tsquery)
        documents = documents.filter(vector=tsquery)
        if tier == REST:
            documents = documents.exclude(title_vector=tsquery)
        return documents

    @staticmethod
    def _run(queryset, flat=False, **planner):
        """The rows of ``queryset`` (a values_list), planned with ``planner`` settings.

        Sent as one message: PostgreSQL runs its statements as one transaction, so the
        SET LOCALs hold for this query alone, at the cost of one round trip.
        """
        rows = PostgresSearch._execute(*queryset.query.sql_with_params(), **planner)
        return [row[0] for row in rows] if flat else rows

    @staticmethod
    def _execute(sql, params, **planner):
        """The rows of ``sql``, planned with ``planner`` settings (see ``_run``)."""
        # Parallel workers only pay off for scans of the whole table, never wanted here.
        settings = "SET LOCAL max_parallel_workers_per_gather = 0; " + "".join(
            f"SET LOCAL enable_{name} = {'on' if value else 'off'}; "
            for name, value in planner.items()
        )
        if connection.settings_dict["OPTIONS"].get("server_side_binding"):
            # Prepared statements hold one command: the settings go in a transaction.
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(settings)
                cursor.execute(sql, params)
                rows = cursor.fetchall()
        else:
            with connection.cursor() as cursor:
                cursor.execute(settings + sql, params)
                while cursor.description is None and cursor.nextset():
                    pass
                rows = cursor.fetchall()
        return rows

    @classmethod
    def _statistics(cls):
        """(documents, {column: {token: share of documents}}) for the commonest tokens."""
        now = time.monotonic()
        if cls._stats is None or now - cls._stats[0] > cls.STATS_SECONDS:
            with connection.cursor() as cursor:
                cursor.execute(
                    """
                    SELECT c.reltuples, s.attname, s.most_common_elems::text::text[],
                           s.most_common_elem_freqs
                    FROM pg_class c
                    LEFT JOIN pg_stats s ON s.schemaname = current_schema()
                        AND s.tablename = c.relname AND s.attname IN ('vector', 'title_vector')
                    WHERE c.oid = 'articles_searchdocument'::regclass
                    """
                )
                rows = cursor.fetchall()
            columns = {}
            for _, column, tokens, shares in rows:
                if column and tokens and shares:
                    # (The shares end with the lowest and the highest share.)
                    columns[column] = dict(zip(tokens, shares, strict=False))
            documents = max((row[0] for row in rows), default=0)
            cls._stats = (now, max(documents, 0), columns)
        return cls._stats[1], cls._stats[2]

    def _share(self, query, tier):
        """The share of documents that match, as the planner would estimate it; 0 for a
        token the statistics do not list (it may be anything below their commonest)."""
        _, columns = self._statistics()
        shares = columns.get("title_vector" if tier == TITLE else "vector", {})
        estimate = 1.0
        for term in query.terms:
            estimate *= min(shares.get(token, 0.0) for token in (*term, *trigram_tokens(term)))
        return estimate

    def _estimate(self, query, filters, tier):
        """The share of documents matching ``tier`` with ``filters``, read once a search."""
        key = (tier, filters)
        if key not in self._estimates:
            share = self._share(query, tier) * _channel_share(filters.channel_ids)
            self._estimates[key] = share
        return self._estimates[key]

    def _matches(self, query, filters, tier):
        """Visible matches of ``tier``, newest first, when they are not many; else None."""
        key = (tier, filters)
        if key in self._found:
            return self._found[key]
        documents_count, _ = self._statistics()
        dense_share = self.TITLE_DENSE_SHARE if tier == TITLE else self.DENSE_SHARE
        many = max(MAX_RESULTS, int(dense_share * documents_count))
        everything = self._found.get((ALL, filters))
        titles = self._found.get((TITLE, filters))
        if tier == REST and titles is not None and (ALL, filters) in self._found:
            if everything is not None:
                in_title = set(titles)
                self._found[key] = [pk for pk in everything if pk not in in_title]
                return self._found[key]
            if len(titles) < many // 2 and (ALL, filters) in self._many:
                # Many matches, few of them in titles: the rest are many.
                self._many.add(key)
                self._found[key] = None
                return None
        found = None
        share = self._estimate(query, filters, tier)
        # Walking newest first pays only when the matches are surely dense. The
        # statistics say so reliably for one word of up to three characters alone;
        # for several words (taken as independent) or a channel (whose share of a word
        # is a guess) a wrong guess would mean walking the whole table, so GIN — which
        # intersects lists inside the index — goes first, at a bounded cost.
        single = len(query.terms) == 1 and len(query.terms[0]) <= 2
        if share < dense_share or not single or filters.channel_ids is not None:
            positions = self._needs_positions(query)
            enough = min(many, POSITIONS_CHECKED + 1) if positions else many
            # Candidates from GIN alone, which reads no row when no positions are asked.
            rows = self._run(
                self._documents(query, filters, tier, positions=False).values_list(
                    "rank_key", "article_id"
                )[:enough],
                seqscan=False,
                indexscan=False,
            )
            # (So many documents holding every trigram of a longer word hold the word
            # itself: "many" without reading each one's positions.)
            if len(rows) >= enough:
                self._many.add(key)
                rows = None
            elif rows and positions:
                # Longer words: each candidate's positions read once, by its key.
                candidates = RawSQL("SELECT unnest(%s::bigint[])", ([rank for rank, _ in rows],))
                rows = self._run(
                    self._documents(query, filters, tier)
                    .filter(rank_key__in=candidates)
                    .values_list("rank_key", "article_id"),
                    seqscan=False,
                    bitmapscan=False,
                )
            if rows is not None:
                ids = [pk for _, pk in sorted(rows, reverse=True)]
                if everything is not None or not ids:
                    visible = set(everything or ())  # every match of any tier, checked
                else:
                    # One array parameter, not thousands: quicker to send and to plan.
                    listed = RawSQL("SELECT unnest(%s::bigint[])", (ids,))
                    visible = set(
                        _visible(filters).filter(pk__in=listed).values_list("pk", flat=True)
                    )
                found = [pk for pk in ids if pk in visible]
        self._found[key] = found
        return found

    def ids(self, query, filters, tier, offset, limit):
        found = self._matches(query, filters, tier)
        if found is not None:
            return found[offset : offset + limit]
        documents = (
            self._documents(query, filters, tier)
            .filter(Exists(_visible(filters).filter(pk=OuterRef("article_id"))))
            .order_by("-rank_key")
            .values_list("article_id", flat=True)[offset : offset + limit]
        )
        # Newest first along rank_key, each row's article looked up by its key.
        return self._run(
            documents,
            flat=True,
            bitmapscan=False,
            seqscan=False,
            hashjoin=False,
            mergejoin=False,
            sort=False,
        )

    def count(self, query, filters, tier, cap):
        found = self._matches(query, filters, tier)
        if found is not None:
            return min(len(found), cap)
        documents_count, _ = self._statistics()
        share = self._estimate(query, filters, tier)
        dated = filters.start is not None or filters.end is not None
        if (tier, filters) in self._many or (
            # (The statistics know nothing of dates: a date range is always counted.)
            not dated and share * documents_count >= SURELY_MANY * cap
        ):
            return cap
        # Many by the statistics, but not so many that a wrong guess (words taken as
        # independent) could not matter: counted up to ``cap`` through GIN.
        documents = (
            self._documents(query, filters, tier)
            .filter(Exists(_visible(filters).filter(pk=OuterRef("article_id"))))
            .values_list("article_id", flat=True)[:cap]
        )
        sql, params = documents.query.sql_with_params()
        return self._execute(
            f"SELECT count(*) FROM ({sql}) AS m",
            params,
            seqscan=False,
            hashjoin=False,
            mergejoin=False,
        )[0][0]


def _channel_share(channel_ids):
    """The share of all articles that are in ``channel_ids`` (1 for no filter)."""
    if channel_ids is None:
        return 1.0

    def count():
        return dict(Article.objects.values_list("channel_id").annotate(n=Count("pk")).order_by())

    counts = freshness.cached(None, "search-channel-counts", count)
    total = sum(counts.values())
    return sum(counts.get(pk, 0) for pk in channel_ids) / total if total else 1.0


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


# --- highlighting -------------------------------------------------------------------


class _Fold(dict):
    """str.translate table: each character as ``normalize`` sees it, when that is one
    character too (NFKC and lower case); filled in as characters are met."""

    def __missing__(self, codepoint):
        char = chr(codepoint)
        folded = unicodedata.normalize("NFKC", char).lower()
        self[codepoint] = value = folded if len(folded) == 1 else char
        return value


_FOLD = _Fold()


def _aligned(text):
    """``text`` normalized like the index, one character for one (for finding matches)."""
    folded = text.translate(_FOLD)
    if not folded.isascii():
        simplified = _t2s().convert(folded)
        if len(simplified) == len(folded):
            return simplified
    return folded


@functools.lru_cache(maxsize=256)
def _pattern(words):
    alternatives = []
    for word in sorted(words, key=len, reverse=True):
        if _SEGMENT.fullmatch(word).group(1):
            alternatives.append(re.escape(word))
        else:
            # Latin words and numbers match whole, as the index matches them.
            alternatives.append(rf"(?<![^\W_{_HAN}]){re.escape(word)}(?![^\W_{_HAN}])")
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


_TAG = re.compile(r"<[^>]*>")
_SPACES = re.compile(r"[\s\u3000]+")


def plain_text(body):
    """The text of a stored (sanitized) body, on one line: quick, for snippets."""
    return _SPACES.sub(" ", html.unescape(_TAG.sub(" ", body or ""))).strip()


def highlight(text, words):
    """``text`` escaped, with every match of ``words`` in ``<mark>``."""
    return mark_safe(_marked(text or "", _spans(text, words)))


def snippet(article, words, length=SNIPPET_CHARS):
    """A piece of the article's text around its first match, escaped and highlighted."""
    text = plain_text(article.body)
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
