"""Template side of the 繁體 version: ``{% load hant %}``.

``{{ value|hant }}`` and ``{{ html|hant_html }}`` convert content when the page is
Traditional and do nothing on Simplified pages; ``html_lang``, ``language_links``,
``this_page_url`` and ``script_switch`` give the ``lang`` attribute, the canonical and
hreflang links, ``og:url`` and the 简/繁 switch.
"""

from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language

from articles.hant.conversion import hant_html_if_active, hant_if_active
from articles.hant.languages import HANS, HANT, bcp47, path_in_language
from articles.paths import absolute_url

register = template.Library()

SWITCH_LABELS = {HANS: "简体", HANT: "繁體"}


@register.filter(is_safe=True)
def hant(value):
    """Content in the page's script: OpenCC (with corrections) on Traditional pages."""
    return hant_if_active(value)


@register.filter(is_safe=True)
def hant_html(value):
    """Rich text in the page's script; tags, attributes and outside links untouched."""
    return hant_html_if_active(value)


@register.simple_tag
def html_lang():
    return bcp47(get_language() or settings.LANGUAGE_CODE)


def _request_path(context):
    request = context.get("request")
    return request, (request.path if request is not None else "/")


@register.simple_tag(takes_context=True)
def script_switch(context):
    """The same page in the other script, query string kept: ``url``, ``lang``, ``label``."""
    request, path = _request_path(context)
    other = HANS if get_language() == HANT else HANT
    url = path_in_language(path, other)
    # Re-encoded from the parsed query: the raw QUERY_STRING of a WSGI request holds
    # Chinese as Latin-1 mojibake when a client sent it unencoded.
    query = request.GET.urlencode() if request is not None else ""
    if query:
        url = f"{url}?{query}"
    return {"url": url, "lang": bcp47(other), "label": SWITCH_LABELS[other]}


@register.simple_tag(takes_context=True)
def this_page_url(context):
    """This page's absolute URL in the active language (for og:url): a path a reader
    made up, ``//evil.example/`` say, stays a path of this site."""
    request, path = _request_path(context)
    if request is None:
        return ""
    return absolute_url(path_in_language(path, get_language()))


@register.simple_tag(takes_context=True)
def language_links(context, path=None, **params):
    """Canonical link (this language version) and hreflang alternates of the page.

    ``path`` defaults to the request's; keyword arguments become the query string of
    every link (empty values are left out), e.g. ``page=page.number`` on page 2.
    """
    request, request_path = _request_path(context)
    if request is None:
        return ""
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    suffix = f"?{query}" if query else ""
    urls = {
        language: absolute_url(path_in_language(path or request_path, language)) + suffix
        for language, _ in settings.LANGUAGES
    }
    current = get_language() if get_language() in urls else settings.LANGUAGE_CODE
    alternates = [(bcp47(language), url) for language, url in urls.items()]
    alternates.append(("x-default", urls[settings.LANGUAGE_CODE]))
    return format_html(
        '<link rel="canonical" href="{}">\n{}',
        urls[current],
        format_html_join("\n", '<link rel="alternate" hreflang="{}" href="{}">', alternates),
    )
