"""长者模式's switch: a plain link that sets the cookie and goes back to the page.

It works the same with or without JavaScript (no script is involved at all): the page
the reader comes back to is rendered, and cached, as the elder variant
(articles/caching/variants.py). ``next`` is followed only when it is a path on this
site, so the switch cannot be used to send readers elsewhere.
"""

from urllib.parse import urlencode

from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_safe

from articles.caching.variants import ELDER_COOKIE, ELDER_COOKIE_AGE, is_elder


def safe_next(value):
    """``value`` when it is a path on this site ("/…"), otherwise the home page."""
    if (
        value.startswith("/")
        and not value.startswith(("//", "/\\"))
        and all(ord(character) >= 0x20 and character != "\x7f" for character in value)
        and url_has_allowed_host_and_scheme(value, allowed_hosts=set())
    ):
        return value
    return "/"


@require_safe
def switch(request):
    on = request.GET.get("on") == "1"
    response = HttpResponseRedirect(safe_next(request.GET.get("next", "")))
    # Read by no script, but not HttpOnly either: it holds a preference, not a secret.
    response.set_cookie(
        ELDER_COOKIE,
        "1" if on else "0",
        max_age=ELDER_COOKIE_AGE,
        samesite="Lax",
        secure=request.is_secure(),
    )
    add_never_cache_headers(response)
    return response


def switch_url(request):
    """The address of the switch that turns 长者模式 the other way and comes back here."""
    query = urlencode({"on": "0" if is_elder(request) else "1", "next": request.get_full_path()})
    return f"{reverse('elder-switch')}?{query}"
