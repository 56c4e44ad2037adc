from django.utils.functional import SimpleLazyObject

from .models import SiteSettings
from .views import channel_tree


def site(request):
    """Site settings and navigation, read only if a template asks for them."""
    return {
        "site_settings": SimpleLazyObject(SiteSettings.load),
        "nav_channels": SimpleLazyObject(lambda: channel_tree(request).nav_roots),
    }
