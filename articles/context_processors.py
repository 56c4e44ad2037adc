from django.utils.functional import SimpleLazyObject

from . import freshness
from .models import FriendlyLink, SiteSettings
from .views import channel_tree


def site(request):
    """Site settings and navigation.

    Public pages read them up front with the rest of the furniture (views.FURNITURE), so
    they are handed over as they are: a template reads them a few hundred times, and
    through a lazy proxy each of those reads costs several calls. Other pages (the admin,
    error pages) read them only if a template asks.
    """
    values = {
        "site_settings": lambda: freshness.cached(request, "site-settings", SiteSettings.load),
        "nav_channels": lambda: channel_tree(request).nav_roots,
        "friendly_links": lambda: freshness.cached(request, "friendly-links", _friendly_links),
    }
    if hasattr(request, "_prefetched"):
        return {name: read() for name, read in values.items()}
    return {name: SimpleLazyObject(read) for name, read in values.items()}


def _friendly_links():
    return list(FriendlyLink.objects.all())
