"""Search on PostgreSQL: tsvector @@ tsquery, through GIN or along the rank_key index.

PostgreSQL's GIN index cannot give matches in an order, and its planner prices reading
an article's vector (~18 kB, out of line) at almost nothing; so ``PostgresSearch``
chooses the plan itself, from the token frequencies in PostgreSQL's own statistics.
"""

import time

from django.contrib.postgres.search import SearchQuery
from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef

from articles.caching import freshness
from articles.caching.memo import Memo
from articles.models import Article
from articles.search.index import id_list
from articles.search.models import SearchDocument
from articles.search.query import ALL, MAX_RESULTS, REST, TITLE
from articles.search.tokens import channel_token, trigram_tokens

# Estimated matches past this many times the cap are taken as "more than the cap".
SURELY_MANY = 10
# A longer word's positions are read for at most this many candidates (PostgreSQL).
POSITIONS_CHECKED = 2 * MAX_RESULTS


# (read at, documents, {column: {token: share of documents}}) by database alias.
_PG_STATS = Memo("search-pg-statistics", 4)


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
        low, high = filters.key_range()
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
        stats = _PG_STATS.get(connection.alias)
        if stats is None or now - stats[0] > cls.STATS_SECONDS:
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
            stats = (now, max(documents, 0), columns)
            _PG_STATS.set(connection.alias, stats)
        return stats[1], stats[2]

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
                candidates = id_list([rank for rank, _ in rows])
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
                    listed = id_list(ids)
                    visible = set(
                        filters.visible().filter(pk__in=listed).values_list("pk", flat=True)
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
            .filter(Exists(filters.visible().filter(pk=OuterRef("article_id"))))
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
            .filter(Exists(filters.visible().filter(pk=OuterRef("article_id"))))
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
