from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.shortcuts import render

from articles.caching import freshness, view_counts
from articles.models import Article, RelatedArticle
from articles.portal import listings
from articles.portal.context import page_context
from articles.portal.forms import SearchForm
from articles.portal.pagination import paginate, requested_places
from articles.search.results import Results as SearchResults

HEADLINES = 5
LATEST_PER_CHANNEL = 8
ARTICLES_PER_PAGE = 20
# Ten, as search engines show: each result is tall (title, snippet, source, date).
SEARCH_PER_PAGE = 10


def channel_tree(request):
    """The channel tree, read once per request however many places need it."""
    return page_context(request).tree


def list_order(article):
    """The sort key of ``for_list()``, largest first: pinned, then newest."""
    return (article.is_pinned, article.published_at, article.pk)


def home(request):
    tree = channel_tree(request)
    tops = tree.nav_roots
    firsts = {
        pk: ids[:LATEST_PER_CHANNEL] for pk, ids in listings.heads(request, tree, tops).items()
    }
    featured = Article.objects.published().filter(is_featured=True).for_list()
    # The headlines ride with the blocks' articles in one query; the first of the
    # featured rows read are the headlines, since those are always among them.
    found = listings.articles_by_id(
        [i for ids in firsts.values() for i in ids],
        also=featured.values("pk")[:HEADLINES],
    )
    by_id = {article.pk: article for article in found}
    headlines = sorted((a for a in found if a.is_featured), key=list_order, reverse=True)
    return render(
        request,
        "articles/home.html",
        {
            "headlines": headlines[:HEADLINES],
            "blocks": [(top, [by_id[i] for i in firsts[top.pk] if i in by_id]) for top in tops],
        },
    )


def channel_detail(request, slug):
    tree = channel_tree(request)
    channel = tree.by_slug(slug)
    if channel is None:
        raise Http404("没有这个栏目")
    page = paginate(request, listings.channel_ids(request, tree, channel), ARTICLES_PER_PAGE)
    page.object_list = listings.articles_by_id(page.object_list)
    response = render(
        request,
        "articles/channel_detail.html",
        {
            "channel": channel,
            "ancestors": tree.ancestors(channel),
            "subchannels": tree.children(channel),
            "page": page,
        },
    )
    # It lists the articles of its own channel and every channel below it.
    response.depends_on = [f"channel:{pk}" for pk in tree.descendant_ids(channel)]
    return response


def for_article_page(queryset, published):
    """``queryset`` ready for the article page (the admin's preview uses it too)."""
    return queryset.for_detail()


def linked_articles(request, article, published):
    """(related articles in the editor's order, previous, next), read in one query.

    Their ids are kept per content generation (when ``request`` is given): the next
    time the page is rendered, ``article_detail`` reads them with the article itself.
    """
    related, previous, following = read_linked_articles(article, published)
    if request is not None:
        ids = (
            [a.pk for a in related],
            getattr(previous, "pk", None),
            getattr(following, "pk", None),
        )
        page_context(request).keep(_linked_name(request, article.pk), ids)
    return related, previous, following


def _linked_name(request, pk):
    # Its own related links change with it alone; its neighbours with every list.
    return f"linked-articles-{pk}@{freshness.versions(request).of(f'article:{pk}')}"


def _linked_from(ids, found):
    """(related, previous, next) from kept ``ids`` and the rows ``found`` by id."""
    related_ids, previous_id, next_id = ids
    return (
        [found[pk] for pk in related_ids if pk in found],
        found.get(previous_id),
        found.get(next_id),
    )


def read_linked_articles(article, published):
    """(related articles in the editor's order, previous, next), read in one query.

    The previous and next articles of the channel are each one step along an index;
    the related ones are looked up by the (few) linked ids, so the visibility rule never
    scans the table. A related article may also be a neighbour of the same channel: the
    nearest older and newer rows of the channel are the true previous and next, since
    both are always among the rows read.
    """
    links = RelatedArticle.objects.filter(article_id=article.pk)
    before = published.before(article)
    after = published.after(article)
    related = published.related_to(article)
    # The visibility rule is applied inside each part; outside, it would make SQLite
    # walk the channel instead of looking up a few ids.
    rows = (
        Article.objects.filter(
            listings.pk_in_any(
                before.values("pk")[:1], after.values("pk")[:1], related.values("pk")
            )
        )
        .annotate(
            link_position=Subquery(links.filter(related_id=OuterRef("pk")).values("position")[:1])
        )
        .defer("body")
        .order_by()
    )
    here = (article.published_at, article.pk)
    previous = following = None
    linked = []
    for other in rows:
        if other.link_position is not None:
            linked.append(other)
        if other.channel_id != article.channel_id:
            continue
        place = (other.published_at, other.pk)
        if place < here and (previous is None or place > (previous.published_at, previous.pk)):
            previous = other
        elif place > here and (following is None or place < (following.published_at, following.pk)):
            following = other
    linked.sort(key=lambda other: (other.link_position, other.pk))
    return linked, previous, following


def article_detail(request, pk):
    context = page_context(request, also=[_linked_name(request, pk)])
    published = Article.objects.published()
    ids = context.lookup(_linked_name(request, pk))
    # With the linked ids kept, the article and the ones it links to are one query.
    wanted = {pk}
    if ids is not None:
        related_ids, previous_id, next_id = ids
        wanted.update(i for i in (*related_ids, previous_id, next_id) if i is not None)
    found = published.filter(pk__in=wanted).for_detail().order_by().in_bulk()
    if pk not in found:
        raise Http404("没有这篇文章")
    article = found[pk]
    # Read before recording: recording may move counts into the row read above.
    article.view_count += view_counts.pending(article.pk) + 1  # this view included
    view_counts.record(article.pk)
    linked = _linked_from(ids, found) if ids is not None else None
    response = render_article(request, article, published, public=True, linked=linked)
    # The page cache counts views of this page when it serves it without this view.
    response.counts_views_of = article.pk
    # Its previous and next are its channel's neighbours; pages that link to it are
    # told apart when it changes (articles/caching/apps.py).
    response.depends_on = [f"article:{article.pk}", f"channel:{article.channel_id}"]
    return response


def render_article(request, article, published, extra_context=None, public=False, linked=None):
    """The article page; the admin's preview renders drafts through it too (``public``
    false: nothing of a draft is kept in the cache). ``linked``: (related, previous,
    next) when already read."""
    tree = channel_tree(request)
    channel = tree.by_id[article.channel_id]
    related, previous, following = linked or linked_articles(
        request if public else None, article, published
    )
    return render(
        request,
        "articles/article_detail.html",
        {
            "article": article,
            "channel": channel,
            "ancestors": tree.ancestors(channel),
            "related_articles": related,
            "previous": previous,
            "next": following,
            **(extra_context or {}),
        },
    )


def search(request):
    """Site search over published articles: title matches first, then newest first."""
    tree = channel_tree(request)
    form = SearchForm(request.GET, tree)
    query, filters = form.search_params()
    results = None
    if query:
        expected = requested_places(request, SEARCH_PER_PAGE)
        results = SearchResults(query, filters, expected=expected)
    return render(
        request,
        "articles/search.html",
        {
            "form": form,
            "query": query,
            "results": results,
            "page": paginate(request, results, SEARCH_PER_PAGE) if results is not None else None,
        },
    )
