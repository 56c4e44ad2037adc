from django.urls import get_script_prefix
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language

from articles.caching.variants import is_elder
from articles.paths import page_url
from articles.portal import elder
from articles.portal.context import has_page_context, page_context


def site(request):
    """Site settings, navigation and what the cached parts of the page vary on.

    Public pages have built their page context (articles/portal/context.py), so it is
    handed over as it is: a template reads it a few hundred times, and through a lazy proxy each of
    those reads costs several calls. Other pages (the admin, error pages) read it only
    if a template asks.
    """
    values = {
        "site_settings": lambda: page_context(request).settings,
        "nav_channels": lambda: page_context(request).tree.nav_roots,
        "friendly_links": lambda: page_context(request).friendly_links,
        # What every {% cache %} fragment of the pages varies on; the navigation also
        # on the link it marks current.
        "fragment_scope": lambda: _fragment_scope(request),
        "nav_current": lambda: _nav_current(request),
        # 长者模式, rendered by the server (the page cache keeps its pages apart).
        "elder_mode": lambda: is_elder(request),
        "elder_switch_url": lambda: elder.switch_url(request),
    }
    if has_page_context(request):
        return {name: read() for name, read in values.items()}
    return {name: SimpleLazyObject(read) for name, read in values.items()}


def _fragment_scope(request):
    """The content generation, site, language and script prefix: fragments hold text
    and links, so a fragment kept for one of them must never be shown for another."""
    context = page_context(request)
    return f"{context.generation}:{context.site.pk}:{get_language()}:{get_script_prefix()}"


def _nav_current(request):
    """The navigation link of the page being shown (marked aria-current), or ""."""
    path = request.path
    if path == page_url("articles:home"):
        return path
    for channel in page_context(request).tree.nav_roots:
        if path == channel.get_absolute_url():
            return path
    return ""
