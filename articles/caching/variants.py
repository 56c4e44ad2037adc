"""The variants of a public page: the same address rendered for a reader in 长者模式
(elder mode) or not.

Elder mode is remembered in a cookie, so that it works without JavaScript: the server
renders ``<html class="elder">`` for a reader who has it, and the page cache keeps the
two renderings of a page apart (``variant()`` is part of its key). Only the exact value
"1" turns it on; any other value or none is the normal page, so the cookie cannot make
more than two variants of a page.

The switch (``ELDER_SWITCH_PATH``) answers with the cookie and a redirect and reads its
own query string (``on``, ``next``): the page cache lets it through untouched.
"""

ELDER_COOKIE = "qinglian_elder"
ELDER_SWITCH_PATH = "/elder/"
# A year: a reader who wants larger text wants it on the next visit too.
ELDER_COOKIE_AGE = 365 * 24 * 3600


def is_elder(request):
    return request.COOKIES.get(ELDER_COOKIE) == "1"


def variant(request):
    """The name of the rendering this request gets: "elder" or "normal"."""
    return "elder" if is_elder(request) else "normal"
