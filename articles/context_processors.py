from django.utils.functional import SimpleLazyObject

from . import freshness
from .models import FriendlyLink, SiteSettings
from .views import channel_tree


def site(request):
    """Site settings and navigation, read only if a template asks for them."""
    return {
        "site_settings": SimpleLazyObject(
            lambda: freshness.cached(request, "site-settings", SiteSettings.load)
        ),
        "nav_channels": SimpleLazyObject(lambda: channel_tree(request).nav_roots),
        "friendly_links": SimpleLazyObject(
            lambda: freshness.cached(request, "friendly-links", _friendly_links)
        ),
    }


def _friendly_links():
    return list(FriendlyLink.objects.all())
