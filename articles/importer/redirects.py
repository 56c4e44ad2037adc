"""The old site's addresses answered with a 301 to where their content is now.

Only what was imported answers: a dynamic address is parsed for its catid and id, the
catid names the PHPCMS model (never the channel: reference §13.2), and the article is
looked up by (model, id); a static path is looked up as printed. Anything else stays a
404 — no guess can send a reader to the wrong article.

PHPCMS printed a county's dynamic addresses under the main site's host (its APP_PATH is
one for the whole installation), and mirrors copy any address under any host: what an
address names may belong to another site than the one asked. Asked on a host a site
claims, the 301 then leads to the owning site's origin, not to a path of the asking site
that would answer 404.
"""

import re

from django.http import HttpResponsePermanentRedirect, QueryDict

from articles.importer.models import ImportedRecord, OldAddress
from articles.importer.phpcms import addresses
from articles.importer.writers.sites import MAIN_SITEID, host_of
from articles.models import Article, Channel, Placement
from articles.models.sites import placed_here
from articles.paths import absolute_url
from articles.portal.context import page_context
from articles.portal.views import part_url

# What PHPCMS's addresses end with; any other 404 costs no query.
OLD_ENDINGS = (".html", ".htm", ".php", "/")
_LIST_PAGE = re.compile(r"^(.*/)[0-9]+\.html$")


def _record(key):
    return ImportedRecord.objects.filter(key=key).only("target_id", "facts").first()


def _site_record(host):
    """The imported PHPCMS site whose domain is ``host`` (a county's own host name)."""
    host = host.lower()
    # (The main site first: a subsite in a folder of its domain shares its host.)
    records = ImportedRecord.objects.filter(key__startswith="site:").order_by("key")
    for record in records.only("key", "facts"):
        if host and host_of(record.facts.get("domain", "")) in (host, host.split(":")[0]):
            return record
    return None


def article_of(ref, host):
    model = None
    if ref.catid is not None:
        category = _record(f"category:{ref.catid}")
        model = category.facts.get("model") if category else None
    if model is None:
        # An unknown catid (a deleted category, the mobile site's numbers): the main
        # news model of the address's site (PHPCMS itself would show an error page).
        record = _site_record(host) or _record(f"site:{MAIN_SITEID}")
        model = record.facts.get("model") if record else None
    if model is None:
        return None
    record = _record(f"item:{model}:{ref.id}")
    return record.target_id if record else None


def _article_shown(context, article):
    """Whether the asking site shows ``article`` (as the article page decides:
    articles/portal/views.py ``shown_in``); a placement costs a query, and only for an
    article not filed in one of the site's channels."""
    channel = context.tree.by_id.get(article.channel_id)
    if channel is not None and placed_here(context.site, channel, article.site_id, context.main_id):
        return True
    placed = Placement.objects.filter(
        article_id=article.pk, channel_id__in=list(context.tree.by_id)
    )
    return placed.exists()


def _on_its_site(request, path, shown, owner_id):
    """``path`` as it is when the asking site shows it; else on the origin of the site
    that owns it (``owner_id``: None for the main site's, as ``Article.site``). Only
    on a host a site claims is it known which site asks: on any other (a bare address,
    a name the sites were not told of) the path stays on the host asked, as before."""
    if request is None:
        return path
    context = page_context(request)
    if context.sites.for_host(request.get_host()) is None or shown(context):
        return path
    return absolute_url(path, context.sites.by_id.get(owner_id) or context.sites.main)


def _target_url(kind, target_id, page, request=None):
    if kind == OldAddress.Kind.CHANNEL:
        channel = Channel.objects.filter(pk=target_id).only("slug", "site_id").first()
        if channel is None:
            return None
        return _on_its_site(
            request,
            channel.get_absolute_url(),
            lambda context: channel.pk in context.tree.by_id,
            channel.site_id,
        )
    # Page N of an old article is its part N (the body is read only for those). An
    # article readers cannot see has no new address to give (PHPCMS showed its error
    # page for any status but 99): the 404 tells nothing of it.
    fields = ["pk", "site_id", "channel_id", *(["body"] if page > 1 else [])]
    article = Article.objects.published().filter(pk=target_id).only(*fields).first()
    if article is None:
        return None
    path = part_url(article.pk, page, article.body) if page > 1 else article.get_absolute_url()
    return _on_its_site(
        request, path, lambda context: _article_shown(context, article), article.site_id
    )


def resolve(path, query, host="", request=None):
    """The new address of an old one, or None. With ``request``, an address of
    another site's content leads to that site (module docstring)."""
    ref = addresses.parse(path, query)
    if ref is not None:
        if ref.kind == "channel":
            record = _record(f"category:{ref.catid}")
            return _target_url("channel", record.target_id, 1, request) if record else None
        target = article_of(ref, host)
        return _target_url("article", target, ref.page, request) if target else None
    path = addresses.normal_path(path)
    if "\x00" in path:
        # No old site printed a NUL, and PostgreSQL cannot even look one up.
        return None
    candidates = [path]
    if path.endswith("/"):
        candidates.append(path + "index.html")
    match = _LIST_PAGE.match(path)
    if match:  # page N of a static channel list
        candidates.append(match[1] + "index.html")
    found = {a.path: a for a in OldAddress.objects.filter(path__in=candidates)}
    for candidate in candidates:
        if candidate in found:
            address = found[candidate]
            page = address.page if candidate == path else 1
            if candidate != path and address.kind == OldAddress.Kind.ARTICLE:
                continue
            return _target_url(address.kind, address.target_id, page, request)
    return None


class OldAddressMiddleware:
    """Turns a 404 for an address the old site printed into a 301 (the way
    django.contrib.redirects' fallback middleware does, from the import's tables)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # As asked (the page cache keeps fewer parameters); parsed only for a 404.
        asked = request.META.get("QUERY_STRING", "")
        response = self.get_response(request)
        if (
            response.status_code != 404
            or request.method not in ("GET", "HEAD")
            or not request.path_info.endswith(OLD_ENDINGS)
        ):
            return response
        target = resolve(request.path_info, QueryDict(asked), request.get_host(), request)
        return HttpResponsePermanentRedirect(target) if target else response
