"""URLs of the public pages, remembered.

A page links to a dozen articles and channels; ``reverse()`` walks the URL patterns
afresh for every one of them, which costs more than rendering the link. A URL depends
only on the pattern name and arguments, the active language (the ``/zh-hant/`` prefix),
the script prefix and the URLconf, so those make the key.
"""

import functools

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language


def page_url(name, *args):
    """``reverse(name, args=args)``, remembered."""
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    return _reverse(name, args, get_language(), get_script_prefix(), urlconf)


@functools.lru_cache(maxsize=20_000)
def _reverse(name, args, language, prefix, urlconf):
    return reverse(name, args=args, urlconf=urlconf)
