"""Whole-page cache for readers.

Anonymous GET and HEAD requests for public pages are answered from the pages this
process has rendered (the "pages" cache of the settings). Keys carry the content
generation, which every process reads from one store (articles/caching/freshness.py),
so a change to the tree, settings or links makes every page fresh on every process. A
change to published articles moves only scoped counters: each page is kept with the
counters of the scopes it shows (``response.depends_on``, set by the view; every list,
``lists``, when it names none) and served only while those are unchanged.

Pages themselves are not shared: a process renders a page once per generation, and
a page served costs no round trip to Redis, nor does a page rendered cost two (to look
it up there and to store it). Requests with a session cookie — staff, editors,
previews — always go through to the views.

A page is kept under its scheme, host name, path, the reader's variant (长者模式 or not:
``variants.py``) and the query parameters the views read (``PARAMETERS``), normalised;
the others are taken off the request before the view sees it, so that ``?utm=…`` or
``?flood=N`` neither makes a new page nor shows up in one. Each client may add at most
``PAGES_PER_CLIENT`` pages a minute: beyond that its pages are rendered and not kept,
so no one can push the readers' pages out. Whether a page came from the cache is not
said to the public.
"""

import hashlib
import os
import time
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import TooManyFieldsSent
from django.core.handlers.wsgi import get_bytes_from_wsgi
from django.http import QueryDict
from django.utils import translation
from django.utils.cache import patch_vary_headers

from articles.caching import freshness, memo, view_counts
from articles.caching.clients import client_ip
from articles.caching.variants import ELDER_SWITCH_PATH, variant
from articles.paths import admin_prefix

SKIP_PREFIXES = ("/media/", "/static/")
# What the public views read from the query string: pagination, search and its filters,
# and the sitemap sections' pages.
PARAMETERS = ("page", "q", "channel", "start", "end", "p")
# (The load benchmark, all of whose requests come from one address, raises it.)
PAGES_PER_CLIENT = int(os.environ.get("PAGE_CACHE_PAGES_PER_CLIENT", 120))
# What a page that names no scopes depends on: every change to published articles.
EVERY_ARTICLE = ("lists",)
_WINDOW = 60.0
_stored_by_client = memo.Memo("pages stored per client", 10_000)  # ip -> (since, count)
# Query strings as asked -> as kept: readers ask for the same few again and again (a
# search, page 2), and parsing one costs a hit as much as the rest of it.
_normalised = memo.Memo("normalised query strings", 10_000)
# First path segments -> the language they ask for (most name none: /article/, /search/).
_languages = memo.Memo("languages of first path segments", 1_000)


def _cacheable_request(request):
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not request.path.startswith((admin_prefix(), *SKIP_PREFIXES))
        and request.path != ELDER_SWITCH_PATH
    )


def _cacheable_response(response):
    if response.status_code not in (200, 404) or response.streaming or response.cookies:
        return False
    control = response.get("Cache-Control", "")
    return not any(word in control for word in ("private", "no-cache", "no-store"))


def _normalised_query(request):
    """The parameters the views read, each once (the last, as ``QueryDict.get``
    gives), stripped, in a fixed order: parsed here as ``request.GET`` parses, without
    building the QueryDicts a hit has no use for."""
    raw = get_bytes_from_wsgi(request.META, "QUERY_STRING", "")
    if not raw:
        return ""  # most readers' requests
    asked = (raw, request.encoding or settings.DEFAULT_CHARSET)
    found = _normalised.get(asked)
    if found is None:
        found = _normalise(*asked)
        _normalised.set(asked, found)
    return found


def _normalise(raw, encoding):
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError:
        text = raw.decode("iso-8859-1")  # as QueryDict reads a misbehaving client's
    try:
        pairs = parse_qsl(
            text,
            keep_blank_values=True,
            encoding=encoding,
            max_num_fields=settings.DATA_UPLOAD_MAX_NUMBER_FIELDS,
        )
    except ValueError as exc:  # too many fields, as QueryDict says it
        raise TooManyFieldsSent(
            "The number of GET/POST parameters exceeded settings.DATA_UPLOAD_MAX_NUMBER_FIELDS."
        ) from exc
    found = {name: value for name, value in pairs if name in PARAMETERS}
    kept = []
    for name in PARAMETERS:
        value = found.get(name, "").strip()
        if name in ("page", "p") and value.isascii() and value.isdigit():
            value = str(int(value))
        if value:
            kept.append(urlencode({name: value}))
    return "&".join(kept)


def _language_of(path):
    """The page's language as LocaleMiddleware (inside this one) decides it: by the
    path's first segment alone (/zh-hant/…), which is all Django's regex reads."""
    segment = path.split("/", 2)[1] if path.startswith("/") else path
    found = _languages.get(segment)
    if found is None:
        found = translation.get_language_from_path(f"/{segment}/") or settings.LANGUAGE_CODE
        _languages.set(segment, found)
    return found


def _key(request, query, generation):
    # Each host name's pages apart, and so each site's (articles/caching/sites.py):
    # the site is found only for a page rendered, so a hit costs no lookup of it. What
    # a host no site claims gets (the main site's pages, or 400) is in the key too: a
    # page kept under one answer is never served under the other.
    unknown = getattr(settings, "QINGLIAN_UNKNOWN_HOST", "main")
    address = f"{request.scheme}://{request.get_host().lower()}{request.path}?{query}#{unknown}"
    digest = hashlib.sha256(address.encode()).hexdigest()[:32]
    language = _language_of(request.path_info)
    # 长者模式 is rendered by the server (articles/caching/variants.py): its page is
    # another page, never served to a reader without it, nor the other way round.
    return f"qinglian:page:{generation}:{language}:{variant(request)}:{digest}"


def _may_store(request):
    """Whether this client may add one more page to the cache now."""
    client, now = client_ip(request), time.monotonic()
    since, count = _stored_by_client.get(client, (now, 0))
    if now - since >= _WINDOW:
        since, count = now, 0
    _stored_by_client.set(client, (since, count + 1))
    return count < PAGES_PER_CLIENT


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _cacheable_request(request):
            return self.get_response(request)
        query = _normalised_query(request)
        current = freshness.generation(request)
        key = _key(request, query, current)
        pages = caches["pages"] if "pages" in settings.CACHES else caches["default"]
        hit = pages.get(key)
        seen = freshness.versions(request, current)
        if hit is not None and seen.still(hit[2]):
            response, article_id, _ = hit
            if article_id:
                view_counts.record(article_id)
            return response
        # The view sees what the key says, and nothing else of the query string.
        request.GET = QueryDict(query)
        request.META["QUERY_STRING"] = query
        response = self.get_response(request)
        if _cacheable_response(response) and _may_store(request):
            patch_vary_headers(response, ["Cookie"])
            if hasattr(response, "render") and callable(response.render):
                response.render()
            # (An article page says whose views it counts: articles/portal/views.py.)
            viewed = getattr(response, "counts_views_of", None)
            # (The counters as read before the view ran: a change committed while it
            # rendered makes the page stale, never the other way round.)
            shown = seen.record(getattr(response, "depends_on", None) or EVERY_ARTICLE)
            pages.set(key, (response, viewed, shown), freshness.MAX_AGE)
        return response
