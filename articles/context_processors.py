from django.utils.functional import SimpleLazyObject

from . import freshness
from .models import SiteSettings
from .views import channel_tree


def site(request):
    """Site settings and navigation, read only if a template asks for them."""
    return {
        "site_settings": SimpleLazyObject(
            lambda: freshness.cached(request, "site-settings", SiteSettings.load)
        ),
        "nav_channels": SimpleLazyObject(lambda: channel_tree(request).nav_roots),
    }
