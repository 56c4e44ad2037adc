"""Whole-page cache for readers.

Anonymous GET and HEAD requests for public pages are answered from the pages this
process has rendered (the "pages" cache of the settings). Keys carry the content
generation, which lives in the shared cache (articles/freshness.py), so any edit makes
every page fresh on every process. Pages themselves are not shared: a process renders a
page once per generation, and a page served costs no round trip to Redis, nor does a
page rendered cost two (to look it up there and to store it). Requests with a session
cookie — staff, editors, previews — always go through to the views.
"""

import hashlib

from django.conf import settings
from django.core.cache import caches
from django.utils import translation
from django.utils.cache import patch_vary_headers

from articles.caching import freshness, view_counts
from articles.ops.security import admin_prefix

SKIP_PREFIXES = ("/media/", "/static/")


def _cacheable_request(request):
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not request.path.startswith((admin_prefix(), *SKIP_PREFIXES))
    )


def _cacheable_response(response):
    if response.status_code not in (200, 404) or response.streaming or response.cookies:
        return False
    control = response.get("Cache-Control", "")
    return not any(word in control for word in ("private", "no-cache", "no-store"))


def _key(request):
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    # As LocaleMiddleware (inside this one) decides it: by the /zh-hant/ prefix alone.
    language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
    return f"qinglian:page:{freshness.generation(request)}:{language}:{path}"


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _cacheable_request(request):
            return self.get_response(request)
        key = _key(request)
        pages = caches["pages"] if "pages" in settings.CACHES else caches["default"]
        hit = pages.get(key)
        if hit is not None:
            response, article_id = hit
            if article_id:
                view_counts.record(article_id)
            response["X-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if _cacheable_response(response):
            patch_vary_headers(response, ["Cookie"])
            if hasattr(response, "render") and callable(response.render):
                response.render()
            pages.set(key, (response, getattr(request, "_viewed_article", None)), freshness.MAX_AGE)
            response["X-Page-Cache"] = "miss"
        return response
