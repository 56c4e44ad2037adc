"""Search on SQLite: FTS5, walked backwards by rowid (= rank_key) until the page is full.

Two FTS5 tables (``index.FTS_TABLE``, the whole article, and ``index.TITLE_TABLE``, the
titles alone) read the ``SearchDocument`` rows. Their rowid is the rank key, so the
newest matches come first from the index itself, however common the word; the count,
the page's title matches and its other matches are one statement
(``SQLiteSearch.count_and_page``).
"""

from django.db import connection
from django.db.models.expressions import RawSQL

from articles.search.index import FTS_TABLE, ID_MASK, TITLE_TABLE
from articles.search.query import ALL, REST, TITLE
from articles.search.tokens import channel_token, trigram_tokens


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
                filters.visible().filter(pk=RawSQL(f"matches.rowid & {ID_MASK}", ())).values("pk")
            )
            self._visible_sql[filters] = visible.query.sql_with_params()
        return self._visible_sql[filters]

    def _select(self, query, filters, tier):
        table, match = self._match(query, filters, tier)
        visible_sql, visible_params = self._visible(filters)
        low, high = filters.key_range()
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
