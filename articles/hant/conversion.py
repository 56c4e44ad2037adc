"""Content in Traditional Chinese: OpenCC, phrase-aware, with the phrase corrections.

Interface strings come from gettext (``locale/zh_Hant``); everything editors write —
titles, summaries, bodies, channel and source names, site settings — passes through
``to_hant`` (plain text) or ``to_hant_html`` (rich text) here.

Conversion is paid for once per text, not per request:

1. an in-process memo (articles/caching/memo.py) keyed by (config, corrections, text)
   answers repeated texts;
2. texts long enough to be worth a round trip (bodies) are also kept in Django's
   cache, keyed by (config, corrections version, hash of the text), so every process
   and every restart shares them. Edited content hashes to a new key by itself.
"""

import functools
import hashlib
import html
import re

from django.conf import settings
from django.core import checks
from django.core.cache import cache

from articles import richtext
from articles.caching import memo
from articles.hant import corrections
from articles.hant.languages import is_hant
from articles.hant.links import rewrite_link, urls_signature

DEFAULT_CONFIG = "s2tw"
# Reverse conversions for what readers type (search queries) on the Traditional site.
REVERSE_CONFIGS = {"s2tw": "tw2s", "s2twp": "tw2sp", "s2hk": "hk2s", "s2t": "t2s"}

# Bump when this module starts producing different output for the same input, so that
# results cached by an older release are not served.
FORMAT = 2
# Converting a short string costs a few microseconds, less than a cache round trip.
SHARED_CACHE_MIN_CHARS = 200
SHARED_CACHE_TIMEOUT = 60 * 60 * 24 * 30
LONG_TEXT = 500
# Joins the text runs of a body for one call into OpenCC: no dictionary phrase and no
# correction holds it, so no phrase is matched across two runs; sanitized text never
# holds it (sanitize.clean_text strips C0 controls), and when one does, each run is
# converted on its own.
_RUN_SEPARATOR = "\x1f"


def opencc_config():
    return getattr(settings, "QINGLIAN_OPENCC_CONFIG", DEFAULT_CONFIG) or DEFAULT_CONFIG


# Not in the memo: a converter is a loaded dictionary, not a value derived from content.
@functools.cache
def get_converter(config):
    """One OpenCC converter per configuration and process; loading one reads dictionaries."""
    import opencc

    return opencc.OpenCC(config)


def _opencc(config, text):
    """The one call into OpenCC (the tests count calls here)."""
    return get_converter(config).convert(text)


def opencc_only(text):
    """OpenCC's own conversion, without corrections or caching (for the admin)."""
    return _opencc(opencc_config(), text) if text else text


@checks.register()
def check_opencc_config(app_configs=None, **kwargs):
    """A mistyped QINGLIAN_OPENCC_CONFIG fails at start-up, not on the first 繁體 page."""
    config = opencc_config()
    try:
        get_converter(config)
    except Exception as error:  # OpenCC raises plain RuntimeErrors for missing files
        return [
            checks.Error(
                f"OpenCC cannot load the configuration {config!r}: {error}",
                hint="Set QINGLIAN_OPENCC_CONFIG (env OPENCC_CONFIG) to e.g. 's2tw'.",
                id="qinglian.E003",
            )
        ]
    return []


# --- plain text -------------------------------------------------------------------


def _convert_text(config, fixes, text, escape=False):
    """OpenCC on the text between corrected phrases; corrected phrases as given."""
    if text.isascii():
        return text
    matches = list(fixes.pattern.finditer(text)) if fixes.pattern else ()
    if not matches:
        return _opencc(config, text)
    out = []
    position = 0
    for match in matches:
        if match.start() > position:
            out.append(_opencc(config, text[position : match.start()]))
        replacement = fixes.mapping[match.group()]
        out.append(html.escape(replacement, quote=False) if escape else replacement)
        position = match.end()
    if position < len(text):
        out.append(_opencc(config, text[position:]))
    return "".join(out)


# --- HTML -------------------------------------------------------------------------


def _convert_html(config, fixes, source):
    """Text tokens converted, run by run; links into the site pointed at /zh-hant/;
    tags, attribute values, comments and scripts as they were."""
    tokens = richtext.tokenize(source)
    for token in tokens:
        if token.kind == richtext.START and "href" in token.attrs:
            token.raw = rewrite_link(token)
    runs = [run for run in richtext.runs(tokens) if not all(t.raw.isascii() for t in run)]
    if runs:
        _convert_runs(config, fixes, runs)
    return richtext.serialize(tokens)


def _convert_runs(config, fixes, runs):
    joined = ["".join([token.raw for token in run]) for run in runs]
    converted = None
    if not any(_RUN_SEPARATOR in text for text in joined):
        # One call into OpenCC for the whole body: a call costs more than its text.
        whole = _convert_text(config, fixes, _RUN_SEPARATOR.join(joined), escape=True)
        converted = whole.split(_RUN_SEPARATOR)
    if converted is None or len(converted) != len(runs):
        converted = [_convert_text(config, fixes, text, escape=True) for text in joined]
    for run, before, after in zip(runs, joined, converted, strict=True):
        if len(run) == 1:
            run[0].raw = after
        elif len(after) == len(before):
            # OpenCC maps a phrase to a phrase of the same length: cut it back into nodes.
            start = 0
            for token in run:
                end = start + len(token.raw)
                token.raw, start = after[start:end], end
        else:
            for token in run:
                token.raw = _convert_text(config, fixes, token.raw, escape=True)


# --- memoized public API ----------------------------------------------------------


def _convert(config, fixes, kind, text):
    if kind == "html":
        return _convert_html(config, fixes, text)
    return _convert_text(config, fixes, text)


def _shared(config, fixes, kind, text):
    if len(text) < SHARED_CACHE_MIN_CHARS:
        return _convert(config, fixes, kind, text)
    digest = hashlib.blake2b(text.encode(), digest_size=16).hexdigest()
    name = re.sub(r"[^\w.-]", "_", config)[-40:]
    kind_key = f"html-{urls_signature()}" if kind == "html" else kind
    key = f"qinglian:hant:{FORMAT}:{name}:{fixes.version}:{kind_key}:{digest}"
    result = cache.get(key)
    if result is None:
        result = _convert(config, fixes, kind, text)
        cache.set(key, result, SHARED_CACHE_TIMEOUT)
    return result


# Two sizes, so that a crawler walking every article cannot fill memory with bodies.
@memo.memoize(8192)
def _memo_short(config, fixes, kind, text):
    return _shared(config, fixes, kind, text)


@memo.memoize(256)
def _memo_long(config, fixes, kind, text):
    return _shared(config, fixes, kind, text)


_in_force = None


def _cached(kind, text):
    global _in_force
    text = str(text)
    fixes = corrections.current()
    if fixes != _in_force:
        # Texts converted under the old corrections are never asked for again.
        _memo_short.cache_clear()
        _memo_long.cache_clear()
        _in_force = fixes
    memo_ = _memo_long if len(text) > LONG_TEXT else _memo_short
    return memo_(opencc_config(), fixes, kind, text)


def to_hant(text):
    """Plain text in Traditional Chinese (the result still needs escaping in HTML)."""
    if not text:
        return text
    return _cached("text", text)


def to_hant_html(value):
    """An HTML fragment with its text in Traditional Chinese.

    Tags, attribute values, comments and scripts are left as they are, except that a
    link into the public site is pointed at its ``/zh-hant/`` page.
    """
    if not value:
        return value
    return _cached("html", value)


def hant_if_active(text):
    """``to_hant`` when the page being rendered is Traditional, else ``text`` itself."""
    if isinstance(text, str) and text and is_hant():
        return to_hant(text)
    return text


def hant_html_if_active(value):
    if isinstance(value, str) and value and is_hant():
        return to_hant_html(value)
    return value


@memo.memoize(1024)
def to_hans(text):
    """What a reader typed in Traditional, in Simplified (e.g. a search query)."""
    if not text or text.isascii():
        return text
    config = opencc_config()
    return _opencc(REVERSE_CONFIGS.get(config.removesuffix(".json"), "t2s"), text)
