"""The two language versions of every public page: their codes, how ``lang`` and
``hreflang`` spell them, and the address of a page in the other version."""

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, translate_url
from django.utils import translation
from django.utils.encoding import escape_uri_path

from articles.caching import memo

HANS = "zh-hans"
HANT = "zh-hant"


def bcp47(language):
    """``zh-hant`` → ``zh-Hant``, as ``lang`` and ``hreflang`` spell it."""
    parts = language.split("-")
    return "-".join([parts[0]] + [p.title() if len(p) == 4 else p.upper() for p in parts[1:]])


def is_hant():
    return translation.get_language() == HANT


def site_path(path):
    """``path`` with one leading slash. A browser reads ``//evil.example/`` (and
    ``/\\evil.example/``) as another host: a path taken from the request never starts a
    URL that way (issue 21 #6)."""
    return "/" + path.lstrip("/\\")


def _path_info(path):
    """``path`` (as in ``request.path`` or ``get_absolute_url()``) without script prefix."""
    prefix = get_script_prefix()
    if path.startswith(prefix):
        path = path[len(prefix) - 1 :]
    return site_path(path)


def neutral_path(path):
    """``path`` without script prefix and language prefix."""
    path = _path_info(path)
    language = translation.get_language_from_path(path)
    if language:
        path = site_path(path[len(language) + 1 :])
    return path


# Keyed by the request path, which readers choose: bounded, emptied when full.
_in_language = memo.Memo("hant-language-paths", 4096)


def path_in_language(path, language):
    """The same page in ``language``: ``/article/1/`` ↔ ``/zh-hant/article/1/``, script
    prefix included, ready for an ``href``. ``path`` is read in the active language."""
    key = (get_urlconf(), settings.ROOT_URLCONF, get_script_prefix(), translation.get_language())
    key += (path, language)
    found = _in_language.get(key)
    if found is None:
        found = _translate(path, language)
        _in_language.set(key, found)
    return found


def _translate(path, language):
    escaped = escape_uri_path(_path_info(path))
    # Django resolves the page and reverses it in the other language.
    translated = translate_url(escaped, language)
    if translated != escaped:
        return translated
    # Not a page (the 404 page has a switch too), or the same address: by its prefix.
    neutral = neutral_path(path)
    if language != settings.LANGUAGE_CODE:
        neutral = f"/{language}{neutral}"
    return get_script_prefix() + escape_uri_path(neutral)[1:]
