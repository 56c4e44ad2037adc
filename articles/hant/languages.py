"""The two language versions of every public page: their codes, how ``lang`` and
``hreflang`` spell them, and the address of a page in the other version."""

from django.conf import settings
from django.urls import get_script_prefix
from django.utils import translation
from django.utils.encoding import escape_uri_path

HANS = "zh-hans"
HANT = "zh-hant"


def bcp47(language):
    """``zh-hant`` → ``zh-Hant``, as ``lang`` and ``hreflang`` spell it."""
    parts = language.split("-")
    return "-".join([parts[0]] + [p.title() if len(p) == 4 else p.upper() for p in parts[1:]])


def is_hant():
    return translation.get_language() == HANT


def neutral_path(path):
    """``path`` (as in ``request.path``) without script prefix and language prefix."""
    prefix = get_script_prefix()
    if path.startswith(prefix):
        path = path[len(prefix) - 1 :]
    language = translation.get_language_from_path(path)
    if language:
        path = path[len(language) + 1 :] or "/"
    return path or "/"


def path_in_language(path, language):
    """The same page in ``language``: ``/article/1/`` ↔ ``/zh-hant/article/1/``."""
    path = neutral_path(path)
    if language != settings.LANGUAGE_CODE:
        path = f"/{language}{path}"
    return escape_uri_path(get_script_prefix() + path[1:])
