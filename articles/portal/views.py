import dataclasses

from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.shortcuts import redirect, render

from articles.caching import freshness, view_counts
from articles.models import Article, Channel, Placement, RelatedArticle, slots
from articles.models.sites import placed_here
from articles.parts import parts
from articles.portal import listings
from articles.portal.context import page_context
from articles.portal.forms import SearchForm
from articles.portal.pagination import paginate, requested_places
from articles.portal.slots import SLOT_IDS, slot_ids
from articles.search.results import Results as SearchResults

LATEST_PER_CHANNEL = 8
COMPACT_PER_CHANNEL = 5  # a site whose home layout is 紧凑
ARTICLES_PER_PAGE = 20
# Ten, as search engines show: each result is tall (title, snippet, source, date).
SEARCH_PER_PAGE = 10


def channel_tree(request):
    """The channel tree, read once per request however many places need it."""
    return page_context(request).tree


def home(request):
    context = page_context(request, also=[SLOT_IDS])
    tree = channel_tree(request)
    # A link channel (转向链接) has no articles to show in a block: the navigation has it.
    tops = [channel for channel in tree.nav_roots if not channel.is_external]
    per_channel = (
        COMPACT_PER_CHANNEL if context.site.home_layout == "compact" else LATEST_PER_CHANNEL
    )
    firsts = {pk: ids[:per_channel] for pk, ids in listings.heads(request, tree, tops).items()}
    placed = slot_ids(context)
    headline_size, headline_entries = placed.get(slots.HEADLINES, (0, []))
    carousel_size, carousel_entries = placed.get(slots.CAROUSEL, (0, []))
    here = _slotted_here(context, tree, [*headline_entries, *carousel_entries])
    headline_ids = [pk for pk, _ in headline_entries if pk in here][:headline_size]
    carousel_ids = [pk for pk, _ in carousel_entries if pk in here][:carousel_size]
    # The slots' articles ride with the blocks' articles in one query.
    found = listings.articles_by_id(
        [i for ids in (*firsts.values(), headline_ids, carousel_ids) for i in ids]
    )
    by_id = {article.pk: article for article in found}

    def shown(ids):
        return [by_id[i] for i in ids if i in by_id]

    return render(
        request,
        "articles/home.html",
        {
            "headlines": shown(headline_ids),
            "carousel": shown(carousel_ids),
            "blocks": [(top, shown(firsts[top.pk])) for top in tops],
            "home_layout": context.site.home_layout,
        },
    )


def _slotted_here(context, tree, entries):
    """The ids among ``entries`` ((article id, its site id) of the slots) that this
    site's home shows.

    The slots (推荐位) are the group's; each site's home shows those of its own articles,
    and the main site also those of other sites placed in its channels (adopted ones).
    """
    site = context.site
    if len(context.sites.sites) <= 1:
        return {pk for pk, _ in entries}
    mine = {pk for pk, owner in entries if owner == site.pk or (site.is_main and owner is None)}
    others = [pk for pk, _ in entries if pk not in mine]
    if site.is_main and others:
        placed = Placement.objects.filter(article_id__in=others, channel_id__in=list(tree.by_id))
        mine.update(placed.values_list("article_id", flat=True))
    return mine


def channel_detail(request, slug):
    tree = channel_tree(request)
    channel = tree.by_slug(slug)
    if channel is None:
        raise Http404("没有这个栏目")
    if channel.is_external:
        # A link channel has no page here: its address goes where its name goes.
        return redirect(channel.external_url)
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
    if article.is_external:
        # A title leading elsewhere has no page here: its address (in old links, in
        # search engines) goes where its title goes.
        return redirect(article.external_url)
    if "page" in request.GET and len(parts(article.body)) > 1:
        # PHPCMS's dynamic address of one part of an article in parts (…&page=2).
        return redirect(part_url(pk, request.GET["page"], article.body), permanent=True)
    # Read before recording: recording may move counts into the row read above.
    article.view_count += view_counts.pending(article.pk) + 1  # this view included
    view_counts.record(article.pk)
    linked = _linked_from(ids, found) if ids is not None else None
    channel = shown_in(request, article)
    if channel is None:
        raise Http404("没有这篇文章")
    if channel.pk != article.channel_id:
        # Shown here through a placement: its own channel's neighbours are not this site's.
        linked = (linked or read_linked_articles(article, published))[0], None, None
    response = render_article(
        request, article, published, public=True, linked=linked, channel=channel
    )
    # The page cache counts views of this page when it serves it without this view.
    response.counts_views_of = article.pk
    # Its previous and next are its channel's neighbours; pages that link to it are
    # told apart when it changes (articles/caching/apps.py).
    response.depends_on = [f"article:{article.pk}", f"channel:{article.channel_id}"]
    return response


def shown_in(request, article):
    """The channel of this site that shows ``article`` (its breadcrumb), or None when
    this site does not show it: its own channel when the site shows it there, else
    the first channel of the site it was placed in (one more query, for those only)."""
    context = page_context(request)
    tree = context.tree
    channel = tree.by_id.get(article.channel_id)
    if channel is not None and placed_here(context.site, channel, article.site_id, context.main_id):
        return channel
    placed = Placement.objects.filter(article_id=article.pk, channel_id__in=list(tree.by_id))
    first = placed.order_by("placed_at", "id").values_list("channel_id", flat=True).first()
    return tree.by_id.get(first)


def render_article(
    request, article, published, extra_context=None, public=False, linked=None, channel=None
):
    """The article page; the admin's preview renders drafts through it too (``public``
    false: nothing of a draft is kept in the cache). ``linked``: (related, previous,
    next) when already read; ``channel``: the one shown in the breadcrumb."""
    tree = channel_tree(request)
    channel = (
        channel or tree.by_id.get(article.channel_id) or Channel.objects.get(pk=article.channel_id)
    )
    related, previous, following = linked or linked_articles(
        request if public else None, article, published
    )
    # (for_detail() counted them: an article without files costs no query for them.)
    attachments = list(article.attachments.all()) if getattr(article, "attachment_count", 1) else []
    return render(
        request,
        "articles/article_detail.html",
        {
            "article": article,
            "attachments": attachments,
            "parts": parts(article.body),
            "channel": channel,
            "ancestors": tree.ancestors(channel),
            "related_articles": related,
            "previous": previous,
            "next": following,
            **(extra_context or {}),
        },
    )


def article_part(request, pk, part):
    """An old address of one part (``…_2.html``, ``?page=2``) sends the reader to that
    part of the one page that now holds them all."""
    body = Article.objects.published().filter(pk=pk).values_list("body", flat=True).first()
    if body is None:
        raise Http404("没有这篇文章")
    return redirect(part_url(pk, part, body), permanent=True)


def part_url(pk, part, body):
    """The article's address, at part number ``part`` when it has one."""
    url = Article(pk=pk).get_absolute_url()
    number = int(part) if str(part).isascii() and str(part).isdigit() else 1
    if 1 < number <= len(parts(body)):
        url += f"#part-{number}"
    return url


def search(request):
    """Site search over published articles: title matches first, then newest first."""
    tree = channel_tree(request)
    form = SearchForm(request.GET, tree)
    query, filters = form.search_params()
    if filters.channel_ids is None and len(page_context(request).sites.sites) > 1:
        # A group of sites: each searches the channels it shows.
        filters = dataclasses.replace(filters, channel_ids=tuple(tree.by_id))
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
