"""Images in sizes that fit the reader's screen.

Cover images and the images editors put into bodies are uploaded once, often straight
from a camera. Each is resized with Pillow to a few widths (``WIDTHS``) the first time
it is shown or when its article is saved, stored beside the uploads under
``renditions/`` in the default storage, and offered to browsers through ``srcset`` so
that a phone downloads a 480-pixel image, not a 4,000-pixel one.

Stored names are generated and never reused (articles/uploads.py), so what is known
about an image — its size and its renditions — never changes: it is remembered in this
process and in the shared cache, and a page render never opens a file or asks the
storage whether a rendition exists once that is known.
"""

import functools
import hashlib
import io
import posixpath
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageOps

from articles import richtext
from articles.sanitize import IMAGE_SIZE

WIDTHS = (480, 960, 1440)
FOLDER = "renditions"
# Bump when renditions are made differently, so that older cache entries are not used.
FORMAT = 1
INFO_TIMEOUT = 60 * 60 * 24 * 30
MISSING_TIMEOUT = 60
SAVE_OPTIONS = {
    "JPEG": {"quality": 82, "optimize": True, "progressive": True},
    "PNG": {"optimize": True},
    "WEBP": {"quality": 80, "method": 4},
}
# What the body column of an article page is at most wide, for ``sizes``.
BODY_SIZES = "(max-width: 820px) calc(100vw - 32px), 760px"


@dataclass(frozen=True)
class Size:
    url: str
    width: int
    height: int


@dataclass(frozen=True)
class ImageInfo:
    """An image as the page shows it: the original's size and its smaller renditions."""

    original: Size
    renditions: tuple[Size, ...]

    @property
    def width(self):
        return self.original.width

    @property
    def height(self):
        return self.original.height

    @property
    def srcset(self):
        sizes = [*self.renditions, self.original]
        return ", ".join(f"{s.url} {s.width}w" for s in sizes) if len(sizes) > 1 else ""

    def smallest_at_least(self, width):
        """The URL of the smallest version at least ``width`` pixels wide."""
        for size in [*self.renditions, self.original]:
            if size.width >= width:
                return size.url
        return self.original.url


def rendition_name(name, width):
    """``covers/2026/11/ab.png`` → ``renditions/covers/2026/11/ab-480w.png``."""
    stem, ext = posixpath.splitext(name)
    return f"{FOLDER}/{stem}-{width}w{ext.lower()}"


def _make(image, width, height, kind):
    resized = image.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
    if kind == "JPEG" and resized.mode not in ("RGB", "L"):
        resized = resized.convert("RGB")
    buffer = io.BytesIO()
    resized.save(buffer, format=kind, **SAVE_OPTIONS[kind])
    return buffer.getvalue()


def _build(name):
    storage = default_storage
    with storage.open(name) as file, Image.open(file) as opened:
        kind = opened.format
        # Browsers turn photos upright by their EXIF orientation; so do the renditions.
        image = ImageOps.exif_transpose(opened)
        width, height = image.size
        renditions = []
        # Animated GIFs would lose their frames; they are shown as uploaded.
        if kind in SAVE_OPTIONS:
            if image.mode == "P":
                image = image.convert("RGBA")
            for target in WIDTHS:
                if target >= width:
                    break
                target_height = max(1, round(height * target / width))
                stored = rendition_name(name, target)
                if not storage.exists(stored):
                    data = _make(image, target, target_height, kind)
                    stored = storage.save(stored, ContentFile(data))
                renditions.append(Size(storage.url(stored), target, target_height))
    return ImageInfo(Size(storage.url(name), width, height), tuple(renditions))


def _key(name):
    digest = hashlib.blake2b(name.encode(), digest_size=16).hexdigest()
    return f"qinglian:image:{FORMAT}:{digest}"


@functools.lru_cache(maxsize=4096)
def _known(name):
    info = cache.get(_key(name))
    if not info:
        raise LookupError(name)  # not remembered by lru_cache: asked again next time
    return info


def image_info(name):
    """What is known of the stored image ``name``, made on first use; None if unreadable."""
    if not name:
        return None
    try:
        return _known(name)
    except LookupError:
        pass
    if cache.get(_key(name)) is False:
        return None  # failed a moment ago; tried again once MISSING_TIMEOUT has passed
    try:
        info = _build(name)
    except Exception:  # missing file, not an image, storage down: show it plainly
        cache.set(_key(name), False, MISSING_TIMEOUT)
        return None
    cache.set(_key(name), info, INFO_TIMEOUT)
    return info


def clear_memory():
    """Forget what this process remembers (the shared cache is left alone)."""
    _known.cache_clear()
    _rewritten.cache_clear()


# --- images in rich text ----------------------------------------------------------


def _uploads_prefix():
    return f"{settings.MEDIA_URL.rstrip('/')}/{settings.CKEDITOR_UPLOAD_PATH.strip('/')}/"


def _stored_name(src):
    """The storage name of an uploaded image at ``src``, or None for any other image."""
    path = urlsplit(src).path
    prefix = _uploads_prefix()
    if urlsplit(src).netloc or not path.startswith(prefix) or ".." in path:
        return None
    return unquote(path[len(settings.MEDIA_URL.rstrip("/")) + 1 :])


def _rewrite_img(token):
    attributes = token.attrs
    name = _stored_name(attributes.get("src", ""))
    info = image_info(name) if name else None
    if info is None:
        return token.raw
    extra = {"loading": "lazy", "decoding": "async"}
    width = attributes.get("width", "")
    if not width and not attributes.get("height"):
        extra.update(width=str(info.width), height=str(info.height))
    if info.srcset:
        extra["srcset"] = info.srcset
        # An editor who made the image smaller in the editor gets that width's file.
        # Bodies stored before the sanitizer checked sizes may hold any text here.
        shown = int(width) if IMAGE_SIZE.fullmatch(width) else None
        shown = shown if shown and shown < info.width else None
        extra["sizes"] = f"(max-width: {shown}px) 100vw, {shown}px" if shown else BODY_SIZES
    return richtext.add_attributes(
        token.raw, {k: v for k, v in extra.items() if k not in attributes}
    )


def _rewrite(html):
    return richtext.rewrite_tags(html, "img", _rewrite_img)


@functools.lru_cache(maxsize=256)
def _rewritten(html):
    digest = hashlib.blake2b(html.encode(), digest_size=16).hexdigest()
    key = f"qinglian:body-images:{FORMAT}:{digest}"
    result = cache.get(key)
    if result is None:
        result = _rewrite(html)
        cache.set(key, result, INFO_TIMEOUT)
    return result


def responsive_body(html):
    """Rich text whose uploaded images carry ``srcset``, ``sizes``, size and lazy loading."""
    if not html or "<img" not in html:
        return html
    return _rewritten(html)


def names_in_body(html):
    """Storage names of the uploaded images in a body."""
    names = (_stored_name(image["src"]) for image in richtext.images(html))
    return [name for name in names if name]


def first_uploaded_image(html):
    """(storage name, alt text) of the first uploaded image in a body, or ("", "")."""
    if "<img" not in html:
        return "", ""
    for image in richtext.images(html):
        name = _stored_name(image["src"])
        if name:
            return name, image["alt"]
    return "", ""


def warm(article):
    """Make the renditions of an article's images now, not for its first reader."""
    for name in [article.cover.name if article.cover else "", *names_in_body(article.body)]:
        if name:
            image_info(name)
