"""URLs of the public pages: remembered paths, and absolute URLs from the site's origin.

A page links to a dozen articles and channels; ``reverse()`` walks the URL patterns
afresh for every one of them, which costs more than rendering the link. A URL depends
only on the pattern name and arguments, the active language (the ``/zh-hant/`` prefix),
the script prefix and the URLconf, so those make the key.

Absolute URLs (canonical and hreflang links, og:url, share links, QR codes, feeds,
sitemaps) never come from the request: its Host and X-Forwarded-Proto are chosen by
whoever sends it, and a page or QR code is cached for every reader who follows. They
come from the site's configured origin instead (``site_origin``).
"""

import contextvars
import functools
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language


def page_url(name, *args):
    """``reverse(name, args=args)``, remembered."""
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    return _reverse(name, args, get_language(), get_script_prefix(), urlconf)


@functools.lru_cache(maxsize=20_000)
def _reverse(name, args, language, prefix, urlconf):
    return reverse(name, args=args, urlconf=urlconf)


# The site being served (a county subsite has its own origin), set for the duration of a
# request by the site middleware (articles/caching/sites.py), as Django activates a
# language for it.
_active_site = contextvars.ContextVar("qinglian_site", default=None)


def activate_site(site):
    """Serve ``site``'s origin until ``deactivate_site(token)``."""
    return _active_site.set(site)


def deactivate_site(token):
    _active_site.reset(token)


def active_site():
    return _active_site.get()


def site_origin(site=None):
    """``scheme://host[:port]`` of the public site, without a trailing slash.

    ``site``: anything with an ``origin`` (a county subsite), else the site being served;
    when it names none (the main site), the ``QINGLIAN_SITE_URL`` setting (``SITE_URL``
    in the environment), and when that is empty the first host name of ALLOWED_HOSTS,
    over HTTPS when the site redirects to it. Never the Host a request names.
    """
    site = site if site is not None else _active_site.get()
    configured = getattr(site, "origin", "") or settings.QINGLIAN_SITE_URL
    return _origin(configured, tuple(settings.ALLOWED_HOSTS), settings.SECURE_SSL_REDIRECT)


@functools.lru_cache(maxsize=64)
def _origin(configured, allowed_hosts, https):
    if configured:
        parts = urlsplit(configured.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname or parts.path.strip("/"):
            raise ImproperlyConfigured(
                f"SITE_URL {configured!r} must be an origin such as https://www.example.gov.cn"
            )
        return f"{parts.scheme}://{parts.netloc.lower()}"
    for host in allowed_hosts:
        # ".example.gov.cn" allows example.gov.cn and its subdomains; "*" names none.
        host = host.lstrip(".")
        if host and "*" not in host:
            return f"{'https' if https else 'http'}://{host.lower()}"
    raise ImproperlyConfigured("Set SITE_URL: ALLOWED_HOSTS names no host to link to.")


def absolute_url(path, site=None):
    """``path`` on the site's origin; an http(s) URL (e.g. of an image on a CDN) as it is.

    Anything else, ``//elsewhere.example/`` included, is a path on this site.
    """
    if not path:
        return ""
    if path.startswith(("http://", "https://")):
        return path
    return site_origin(site) + "/" + path.lstrip("/")


def admin_prefix():
    """The admin's path, e.g. "/admin/"; it moves with the ADMIN_URL setting."""
    return "/" + settings.ADMIN_URL


def is_admin_path(path):
    return path.startswith(admin_prefix())
