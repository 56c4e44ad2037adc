from django.db.models import OuterRef, Q, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from . import freshness, listings, view_counts
from .forms import SearchForm
from .models import Article, Channel, RelatedArticle
from .pagination import paginate
from .search import Results as SearchResults

HEADLINES = 5
LATEST_PER_CHANNEL = 8
ARTICLES_PER_PAGE = 20
# Ten, as search engines show: each result is tall (title, snippet, source, date).
SEARCH_PER_PAGE = 10


def channel_tree(request):
    """The channel tree, read once per request however many places need it."""
    if not hasattr(request, "_channel_tree"):
        request._channel_tree = freshness.cached(request, "channel-tree", Channel.objects.tree)
    return request._channel_tree


def latest_by_top_channel(request, tree, tops, per_channel):
    """The newest articles under each top channel, all in one query."""
    firsts = {pk: ids[:per_channel] for pk, ids in listings.heads(request, tree, tops).items()}
    found = {a.pk: a for a in listings.articles_by_id([i for ids in firsts.values() for i in ids])}
    return [(top, [found[i] for i in firsts[top.pk] if i in found]) for top in tops]


def home(request):
    tree = channel_tree(request)
    headlines = Article.objects.published().filter(is_featured=True).for_list()[:HEADLINES]
    return render(
        request,
        "articles/home.html",
        {
            "headlines": headlines,
            "blocks": latest_by_top_channel(request, tree, tree.nav_roots, LATEST_PER_CHANNEL),
        },
    )


def channel_detail(request, slug):
    tree = channel_tree(request)
    channel = tree.by_slug(slug)
    if channel is None:
        raise Http404("没有这个栏目")
    page = paginate(request, listings.channel_ids(request, tree, channel), ARTICLES_PER_PAGE)
    page.object_list = listings.articles_by_id(page.object_list)
    return render(
        request,
        "articles/channel_detail.html",
        {
            "channel": channel,
            "ancestors": tree.ancestors(channel),
            "subchannels": tree.children(channel),
            "page": page,
        },
    )


def for_article_page(queryset, published):
    """``queryset`` ready for the article page."""
    return queryset.select_related("source")


def related_articles(article, published):
    """The article's related articles that readers may see, in the editor's order."""
    links = RelatedArticle.objects.filter(article_id=article.pk)
    # Asked of the (small) set of linked ids, so the visibility rule never scans the table.
    return list(
        published.filter(pk__in=links.values("related_id"))
        .annotate(
            link_position=Subquery(links.filter(related_id=OuterRef("pk")).values("position")[:1])
        )
        .defer("body")
        .order_by("link_position", "id")
    )


def neighbours(article, published):
    """The previous and next articles of the same channel, read in one query."""
    siblings = published.filter(channel_id=article.channel_id)
    same_time = Q(published_at=article.published_at)
    before = siblings.filter(
        Q(published_at__lt=article.published_at) | same_time & Q(pk__lt=article.pk)
    ).order_by("-published_at", "-id")
    after = siblings.filter(
        Q(published_at__gt=article.published_at) | same_time & Q(pk__gt=article.pk)
    ).order_by("published_at", "id")
    # Each side is an index walk stopped after one row; both ride in a single statement.
    found = siblings.filter(
        Q(pk__in=before.values("pk")[:1]) | Q(pk__in=after.values("pk")[:1])
    ).defer("body")
    previous = following = None
    for other in found:
        if (other.published_at, other.pk) < (article.published_at, article.pk):
            previous = other
        else:
            following = other
    return previous, following


def article_detail(request, pk):
    published = Article.objects.published()
    article = get_object_or_404(for_article_page(published, published), pk=pk)
    view_counts.record(article.pk)
    article.view_count += view_counts.pending(article.pk)
    # The page cache counts views of this page when it serves it without this view.
    request._viewed_article = article.pk
    return render_article(request, article, published)


def render_article(request, article, published, extra_context=None):
    """The article page; the admin's preview renders drafts through it too."""
    tree = channel_tree(request)
    channel = tree.by_id[article.channel_id]
    previous, following = neighbours(article, published)
    return render(
        request,
        "articles/article_detail.html",
        {
            "article": article,
            "channel": channel,
            "ancestors": tree.ancestors(channel),
            "related_articles": related_articles(article, published),
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
    results = SearchResults(query, filters) if query else None
    # Pagination links carry the query and filters along.
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "articles/search.html",
        {
            "form": form,
            "query": query,
            "results": results,
            "page": paginate(request, results, SEARCH_PER_PAGE) if results is not None else None,
            "page_query": params.urlencode() + "&" if params else "",
        },
    )
