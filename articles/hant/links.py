"""Links inside content pointed at the Traditional pages.

A body links to ``/article/12/``; on the 繁體 page that link leads to
``/zh-hant/article/12/``, when the target is a public page of this site that has a
Traditional twin. Links elsewhere, to media files and to the admin stay as written.
"""

import hashlib
from urllib.parse import urlsplit

from django.conf import settings
from django.http.request import validate_host
from django.urls import Resolver404, get_resolver, get_script_prefix, resolve
from django.utils import translation

from articles import richtext
from articles.caching import memo
from articles.hant.languages import HANT


def _own_host(host):
    allowed = [h for h in settings.ALLOWED_HOSTS if h != "*"]
    return bool(host) and validate_host(host, allowed)


def hant_insert_at(url):
    """Where ``/zh-hant`` goes into ``url`` to reach the Traditional page, or None."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme or parts.netloc:
        if parts.scheme not in ("http", "https", "") or not _own_host(parts.hostname):
            return None
        at = url.index("//") + 2 + len(parts.netloc)
    elif url.startswith("/"):
        at = 0
    else:
        return None  # relative, fragment-only, mailto: … stay as they are
    path = parts.path
    prefix = get_script_prefix()
    if not path.startswith(prefix):
        return None
    at += len(prefix) - 1
    return at if is_hant_path(path[len(prefix) - 1 :]) else None


@memo.memoize(2048)
def is_hant_path(path):
    """Whether ``path`` (no script prefix) is a public page that has a Traditional twin."""
    if translation.get_language_from_path(path):
        return False  # already in a language
    with translation.override(HANT):
        for candidate in (path, path + "/"):
            try:
                resolve(f"/{HANT}{candidate}")
            except Resolver404:
                if not settings.APPEND_SLASH or path.endswith("/"):
                    return False
                continue
            return True
    return False


def rewrite_link(token):
    """The raw start tag of ``token`` with its ``href`` pointed at the Traditional page."""
    url = token.attrs.get("href")
    at = hant_insert_at(url) if url else None
    if at is None:
        return token.raw
    return richtext.set_attribute(token.raw, "href", f"{url[:at]}/{HANT}{url[at:]}")


@memo.memoize(1)
def urls_signature():
    """A digest of the public URL patterns: which links in a body get /zh-hant/ depends on
    them, so converted HTML cached before a release that adds a page is not reused."""
    digest = hashlib.blake2b(digest_size=4)

    def walk(patterns, depth=0):
        for pattern in patterns:
            digest.update(f"{depth}:{pattern.pattern}\n".encode())
            walk(getattr(pattern, "url_patterns", ()), depth + 1)

    walk(get_resolver().url_patterns)
    return digest.hexdigest()
