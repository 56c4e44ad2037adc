"""Ordered article lists of every channel, kept in the cache per content generation.

One query reads the ids of all published articles in list order (pinned first, then
the editors' weight, then newest: ``ArticleQuerySet.for_list``) and files each under
its channel and every channel above it. Channel pages and home blocks then slice
those lists: page 2,000 costs what page 1 costs, and no
page runs COUNT or OFFSET. Any change to published articles moves the ``lists`` counter
(articles/caching/freshness.py), so the lists never outlive what they describe.
"""

import functools
import operator
from array import array

from django.db import connection
from django.db.models import Q

from articles.caching import freshness
from articles.models import Article, Placement
from articles.models.sites import placed_here
from articles.portal.context import page_context

HEAD = 50  # ids kept apart for the home page, so it never fetches a whole list
TIMEOUT = freshness.MAX_AGE * 12


def _keys(request, kind, channel_ids):
    context = page_context(request)
    # Each site its own lists: a shared channel lists different articles on a county.
    generation = f"{context.content_generation}:{context.site.pk}"
    return {pk: f"qinglian:{kind}:{generation}:{pk}" for pk in channel_ids}


def _build(request, tree):
    """Every channel's ordered ids, in one query; stored for the other requests.

    An article is filed under its own channel when the site shows it there
    (``placed_here``: a shared channel lists only the main site's articles) and under
    the channels it was placed in (``also_in``), and under every channel above those.
    """
    context = page_context(request)
    site, main_id = context.site, context.main_id
    filed_under = {c.pk: [c.pk, *(a.pk for a in tree.ancestors(c))] for c in tree}
    lists = {pk: array("q") for pk in filed_under}
    rows = Article.objects.published()
    if not site.is_main:
        # A county's few channels; the main site's are nearly all, so it reads them all.
        placed = Placement.objects.filter(channel_id__in=list(filed_under))
        rows = rows.filter(
            Q(channel_id__in=list(filed_under)) | Q(pk__in=placed.values("article_id"))
        )
    rows = (
        rows.for_list()
        # One row per placement (rows of one article are next to each other: ids are unique).
        .values_list("id", "channel_id", "site_id", "placements__channel_id")
    )
    for article_id, channel_id, owner_id, also_in in rows.iterator(chunk_size=10_000):
        under = []
        channel = tree.by_id.get(channel_id)
        if channel is not None and placed_here(site, channel, owner_id, main_id):
            under += filed_under[channel_id]
        under += filed_under.get(also_in, ())
        for pk in under:
            ids = lists[pk]
            if not ids or ids[-1] != article_id:
                ids.append(article_id)
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
