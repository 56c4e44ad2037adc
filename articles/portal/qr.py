"""The QR code of an article's address: read it on a phone, or share it in WeChat.

Drawn on the server (the page needs no script for it) as a PNG — a picture WeChat can
recognise when a reader long-presses it — and kept in the shared cache by address and
content generation: drawn once while the content stays as it is, and asked whether the
article is still public after any change, so a code never outlives a takedown. The page
cache and browsers keep the response too.
"""

import hashlib
import io

import qrcode
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control

from articles.caching import freshness
from articles.models import Article
from articles.paths import absolute_url

# Long enough for a quiet day; any edit moves the generation on anyway.
TIMEOUT = 60 * 60 * 24
BROWSER_MAX_AGE = 60 * 60 * 24
# A module is 6 pixels: about 200 pixels across for an article address.
BOX_SIZE = 6
BORDER = 2
MAX_ID = 2**63 - 1


def qr_png(text):
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=BOX_SIZE, border=BORDER
    )
    code.add_data(text)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image().save(buffer, format="PNG")
    return buffer.getvalue()


def article_qr(request, pk):
    """``/article/<pk>/qr.png``: the code of the article page in the current script."""
    if pk > MAX_ID:
        raise Http404("没有这篇文章")
    url = absolute_url(reverse("articles:detail", args=[pk]))
    digest = hashlib.blake2b(url.encode(), digest_size=16).hexdigest()
    key = f"qinglian:qr:{freshness.content_generation(request)}:{digest}"
    png = cache.get(key)
    if png is None:
        if not Article.objects.published().filter(pk=pk).exists():
            raise Http404("没有这篇文章")
        png = qr_png(url)
        cache.set(key, png, TIMEOUT)
    response = HttpResponse(png, content_type="image/png")
    patch_cache_control(response, public=True, max_age=BROWSER_MAX_AGE)
    return response
