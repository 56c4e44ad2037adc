"""System checks on the project's own configuration."""

import re
from importlib import import_module

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.urls import Resolver404, URLResolver
from django.urls.resolvers import RegexPattern
from django.utils import translation

# Where a regex's fixed text ends (a route's ends at its first converter, "<").
_REGEX_SYNTAX = re.compile(r"[\\.^$*+?{}\[\]|()]")


def _literal(pattern):
    text = str(pattern)
    if isinstance(pattern, RegexPattern):
        return _REGEX_SYNTAX.split(text.removeprefix("^"), maxsplit=1)[0]
    return text.split("<", 1)[0]


def _public_prefixes(patterns, prefix=""):
    """The fixed beginning of every public address: "feed/", "channel/", "zh-hant/feed/"."""
    for entry in patterns:
        here = prefix + _literal(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _public_prefixes(entry.url_patterns, here)
        else:
            yield here


@register(Tags.urls)
def admin_url_shadows_no_public_page(app_configs, **kwargs):
    """ADMIN_URL must not take a public address: Django tries the admin first, so every
    address under it (the admin answers all of them) is lost to readers — ADMIN_URL=feed/
    would take the RSS feed. Checked against the URLconf itself, in every language."""
    admin_url = settings.ADMIN_URL
    if admin_url.strip("/") == "":
        return [Error("ADMIN_URL cannot be the site's root.", id="qinglian.E001")]
    everything = import_module(settings.ROOT_URLCONF).urlpatterns
    public = [p for p in everything if not str(p.pattern).startswith(admin_url)]
    resolver = URLResolver(RegexPattern(r"^/"), public)
    # Files served before the URLconf is consulted (WhiteNoise; media while developing).
    shadowed = {
        url.lstrip("/")
        for url in (settings.STATIC_URL, settings.MEDIA_URL)
        if "//" not in url and url.lstrip("/").startswith(admin_url)
    }
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            shadowed.update(p for p in _public_prefixes(public) if p.startswith(admin_url))
            try:
                resolver.resolve("/" + admin_url)
            except Resolver404:
                continue
            shadowed.add(admin_url)
    if not shadowed:
        return []
    return [
        Error(
            f"ADMIN_URL {admin_url!r} takes public addresses: "
            + ", ".join(sorted("/" + p for p in shadowed))
            + ".",
            hint="Choose a path of its own, e.g. ADMIN_URL=guanli-7f3a/.",
            id="qinglian.E002",
        )
    ]
