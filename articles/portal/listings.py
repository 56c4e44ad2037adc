"""Ordered article lists of every channel, kept in the cache per content generation.

One query reads the ids of all published articles in list order (pinned first, then
newest) and files each under its channel and every channel above it. Channel pages
and home blocks then slice those lists: page 2,000 costs what page 1 costs, and no
page runs COUNT or OFFSET. Any change to published articles moves the ``lists`` counter
(articles/caching/freshness.py), so the lists never outlive what they describe.
"""

import functools
import operator
from array import array

from django.db import connection
from django.db.models import Q

from articles.caching import freshness
from articles.models import Article
from articles.portal.context import page_context

HEAD = 50  # ids kept apart for the home page, so it never fetches a whole list
TIMEOUT = freshness.MAX_AGE * 12


def _keys(request, kind, channel_ids):
    generation = page_context(request).content_generation
    return {pk: f"qinglian:{kind}:{generation}:{pk}" for pk in channel_ids}


def _build(request, tree):
    """Every channel's ordered ids, in one query; stored for the other requests."""
    filed_under = {c.pk: [c.pk, *(a.pk for a in tree.ancestors(c))] for c in tree}
    lists = {pk: array("q") for pk in filed_under}
    rows = Article.objects.published().for_list().values_list("id", "channel_id")
    for article_id, channel_id in rows.iterator(chunk_size=10_000):
        for pk in filed_under.get(channel_id, ()):
            lists[pk].append(article_id)
    full = _keys(request, "channel-ids", lists)
    head = _keys(request, "channel-head", lists)
    values = {full[pk]: ids for pk, ids in lists.items()}
    values.update({head[pk]: ids[:HEAD] for pk, ids in lists.items()})
    freshness.write_many(values, TIMEOUT)
    return lists


def channel_ids(request, tree, channel):
    """All published article ids of ``channel`` and the channels below it, in list order."""
    ids = freshness.read(_keys(request, "channel-ids", [channel.pk])[channel.pk])
    if ids is None:
        ids = _build(request, tree)[channel.pk]
    return ids


def heads(request, tree, channels):
    """The first ids of each channel's list, for blocks of latest articles."""
    keys = _keys(request, "channel-head", [c.pk for c in channels])
    found = freshness.read_many(list(keys.values()))
    if len(found) < len(keys):
        lists = _build(request, tree)
        return {pk: lists[pk][:HEAD] for pk in keys}
    return {pk: found[key] for pk, key in keys.items()}


def pk_in_any(*querysets):
    """A filter: the primary key is among the ids of any of ``querysets``.

    On PostgreSQL one UNION ALL, which it answers with an index lookup per id; OR'ed
    IN clauses would make it scan the table. SQLite cannot UNION sliced queries, and
    answers the OR'ed form from the index itself.
    """
    if connection.features.supports_slicing_ordering_in_compound:
        first, *rest = querysets
        return Q(pk__in=first.union(*rest, all=True))
    return functools.reduce(operator.or_, (Q(pk__in=queryset) for queryset in querysets))


def articles_by_id(ids, also=None):
    """The listed articles for ``ids``, in that order, in one query.

    ``also``, a query of visible articles' ids, adds its articles after those, in no
    order.
    """
    articles = Article.objects.published().filter(pk__in=list(ids))
    if also is not None:
        # The visibility rule inside each part: outside, SQLite would walk the table
        # instead of looking up the few ids of each part.
        articles = Article.objects.filter(pk_in_any(articles.values("pk"), also))
    # Ordered here, not in SQL: an ORDER BY could tempt the database to walk an index
    # in that order instead of looking the ids up.
    found = articles.for_list().order_by().in_bulk()
    listed = [found.pop(pk) for pk in ids if pk in found]
    return listed + list(found.values())
