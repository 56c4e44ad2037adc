"""The Traditional Chinese (繁體) version of the site, converted by the CMS itself.

Interface strings come from gettext (``locale/zh_Hant``); everything editors write —
titles, summaries, bodies, channel and source names, site settings — passes through
``to_hant`` (plain text) or ``to_hant_html`` (rich text) here: OpenCC, phrase-aware,
with the administrators' phrase corrections (``PhraseCorrection``) applied on top.

Conversion is paid for once per text, not per request:

1. an in-process LRU keyed by (config, corrections, text) answers repeated texts;
2. texts long enough to be worth a round trip (bodies) are also kept in Django's
   cache, keyed by (config, corrections version, hash of the text), so every process
   and every restart shares them. Edited content hashes to a new key by itself.

The corrections version is a digest of the whole table, kept in the shared cache and
read at most once per request (no query per request); saving or deleting a correction
replaces it, so every process applies the change on its next request.
"""

import functools
import hashlib
import html
import re
import threading
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks
from django.core.cache import cache
from django.core.signals import request_started
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http.request import validate_host
from django.urls import Resolver404, get_resolver, get_script_prefix, resolve
from django.utils import translation
from django.utils.encoding import escape_uri_path

HANS = "zh-hans"
HANT = "zh-hant"
DEFAULT_CONFIG = "s2tw"
# Reverse conversions for what readers type (search queries) on the Traditional site.
REVERSE_CONFIGS = {"s2tw": "tw2s", "s2twp": "tw2sp", "s2hk": "hk2s", "s2t": "t2s"}

# Bump when this module starts producing different output for the same input, so that
# results cached by an older release are not served.
FORMAT = 1
# Converting a short string costs a few microseconds, less than a cache round trip.
SHARED_CACHE_MIN_CHARS = 200
SHARED_CACHE_TIMEOUT = 60 * 60 * 24 * 30
VERSION_KEY = "qinglian:hant:corrections"
TABLE_KEY = "qinglian:hant:corrections:{version}"
# Outside a request (shell, commands, odd servers) the version is re-read this often.
RECHECK_SECONDS = 2.0


def opencc_config():
    return getattr(settings, "QINGLIAN_OPENCC_CONFIG", DEFAULT_CONFIG) or DEFAULT_CONFIG


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


# --- phrase corrections ------------------------------------------------------------


class Corrections:
    """The phrase corrections in force: a version and a longest-first matcher."""

    __slots__ = ("version", "mapping", "pattern")

    def __init__(self, version, pairs):
        self.version = version
        self.mapping = dict(pairs)
        # Longest first, so that a correction for 监察干部 wins over one for 干部.
        phrases = sorted(self.mapping, key=lambda phrase: (-len(phrase), phrase))
        self.pattern = re.compile("|".join(map(re.escape, phrases))) if phrases else None


def _version_of(pairs):
    if not pairs:
        return "none"
    digest = hashlib.blake2b(digest_size=8)
    for simplified, traditional in pairs:
        digest.update(f"{simplified}\x00{traditional}\x01".encode())
    return digest.hexdigest()


def _load_pairs():
    from articles.hant.models import PhraseCorrection

    rows = PhraseCorrection.objects.values_list("simplified", "traditional")
    return sorted((s, t) for s, t in rows if s)


def _fetch(cached_version):
    if cached_version is not None:
        pairs = cache.get(TABLE_KEY.format(version=cached_version))
        if pairs is not None:
            return Corrections(cached_version, pairs)
    pairs = _load_pairs()
    version = _version_of(pairs)
    cache.set(TABLE_KEY.format(version=version), pairs, None)
    if cached_version is None:
        # add, not set: a reader that loaded the table just before an administrator's
        # change was committed must not overwrite the version the change published.
        cache.add(VERSION_KEY, version, None)
    elif cached_version != version:
        # The cached version's table was evicted and the database disagrees with it
        # (changed without signals): the database wins, or every request would query.
        cache.set(VERSION_KEY, version, None)
    return Corrections(version, pairs)


_local = threading.local()
_current = None


def corrections():
    """The corrections in force, checked against the shared cache once per request."""
    global _current
    now = time.monotonic()
    checked_at = getattr(_local, "checked_at", None)
    current = _current
    if current is not None and checked_at is not None and now - checked_at < RECHECK_SECONDS:
        return current
    version = cache.get(VERSION_KEY)
    if current is None or version is None or version != current.version:
        fresh = _fetch(version)
        if current is None or fresh.version != current.version:
            _memo_short.cache_clear()
            _memo_long.cache_clear()
        current = _current = fresh
    _local.checked_at = now
    return current


def _publish_corrections():
    pairs = _load_pairs()
    version = _version_of(pairs)
    cache.set(TABLE_KEY.format(version=version), pairs, None)
    cache.set(VERSION_KEY, version, None)


def corrections_changed(**kwargs):
    """Signal receiver: a correction was saved or deleted."""
    global _current
    _current = None
    _local.checked_at = None
    # At once, for this connection's view of the data (and for tests, which never
    # commit), and again once committed, for every other process.
    cache.delete(VERSION_KEY)
    transaction.on_commit(_publish_corrections)


def _request_started(**kwargs):
    _local.checked_at = None


def connect_signals():
    from articles.hant.models import PhraseCorrection

    for signal in (post_save, post_delete):
        signal.connect(
            corrections_changed,
            sender=PhraseCorrection,
            weak=False,
            dispatch_uid=f"hant-corrections-{signal!r}",
        )
    request_started.connect(_request_started, weak=False, dispatch_uid="hant-request-started")


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
                id="qinglian.E001",
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

_TOKEN = re.compile(
    r"<!--.*?(?:-->|\Z)"  # comments are left alone, whatever they hold
    r"|<![^>]*>|<\?[^>]*>"
    r"|<(/?)([A-Za-z][A-Za-z0-9:-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>",  # quoted values may hold >
    re.S,
)
_ATTRIBUTE = re.compile(r"""([^\s"'<>/=]+)(\s*=\s*)?("[^"]*"|'[^']*'|[^\s"'>]+)?""")
_RAW_TEXT = {"script", "style", "textarea", "title"}
# Text on both sides of these tags is one run for OpenCC, so that a phrase stays a
# phrase when an editor bolds half of it.
_INLINE = {
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "del", "dfn", "em", "font", "i",
    "ins", "kbd", "mark", "q", "s", "samp", "small", "span", "strike", "strong", "sub", "sup",
    "time", "tt", "u", "var", "wbr",
}  # fmt: skip


def _convert_html(config, fixes, source):
    out = []
    run = []  # indexes in ``out`` of the text nodes of the current inline run

    def flush():
        if run:
            _convert_run(config, fixes, out, run)
            run.clear()

    position = 0
    while True:
        match = _TOKEN.search(source, position)
        end = match.start() if match else len(source)
        if end > position:
            run.append(len(out))
            out.append(source[position:end])
        if match is None:
            break
        name = (match.group(2) or "").lower()
        if name not in _INLINE:
            flush()
        closing = match.group(1) == "/"
        out.append(_rewrite_tag(match) if name and not closing else match.group(0))
        position = match.end()
        if name in _RAW_TEXT and not closing:
            # Script and style text is code, not prose.
            close = re.compile(rf"</{name}\s*>", re.I).search(source, position)
            stop = close.start() if close else len(source)
            out.append(source[position:stop])
            position = stop
    flush()
    return "".join(out)


def _convert_run(config, fixes, out, run):
    texts = [out[i] for i in run]
    joined = "".join(texts)
    if joined.isascii():
        return
    converted = _convert_text(config, fixes, joined, escape=True)
    if len(converted) == len(joined):
        # OpenCC maps a phrase to a phrase of the same length: cut it back into nodes.
        start = 0
        for i, text in zip(run, texts, strict=True):
            out[i] = converted[start : start + len(text)]
            start += len(text)
    else:
        for i, text in zip(run, texts, strict=True):
            out[i] = _convert_text(config, fixes, text, escape=True)


def _rewrite_tag(match):
    attributes = match.group(3)
    if "href" not in attributes.lower():
        return match.group(0)

    def rewrite(attribute):
        name, equals, value = attribute.groups()
        if name.lower() != "href" or not equals or not value:
            return attribute.group(0)
        quote = value[0] if value[0] in "\"'" else ""
        raw = value[1:-1] if quote else value
        at = _hant_insert_at(html.unescape(raw))
        if at is None or html.unescape(raw[:at]) != raw[:at]:
            return attribute.group(0)
        return f"{name}{equals}{quote}{raw[:at]}/{HANT}{raw[at:]}{quote}"

    start, end = match.span(3)
    whole = match.group(0)
    offset = match.start()
    return whole[: start - offset] + _ATTRIBUTE.sub(rewrite, attributes) + whole[end - offset :]


def _own_host(host):
    allowed = [h for h in settings.ALLOWED_HOSTS if h != "*"]
    return bool(host) and validate_host(host, allowed)


def _hant_insert_at(url):
    """Where ``/zh-hant`` goes into ``url`` to reach the Traditional page, or None."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme or parts.netloc:
        if parts.scheme not in ("http", "https", "") or not _own_host(parts.hostname):
            return None
        at = url.index("//") + 2 + len(parts.netloc)
    elif url.startswith("/"):
        at = 0
    else:
        return None  # relative, fragment-only, mailto: … stay as they are
    path = parts.path
    prefix = get_script_prefix()
    if not path.startswith(prefix):
        return None
    at += len(prefix) - 1
    return at if is_hant_path(path[len(prefix) - 1 :]) else None


@functools.lru_cache(maxsize=2048)
def is_hant_path(path):
    """Whether ``path`` (no script prefix) is a public page that has a Traditional twin."""
    if translation.get_language_from_path(path):
        return False  # already in a language
    with translation.override(HANT):
        for candidate in (path, path + "/"):
            try:
                resolve(f"/{HANT}{candidate}")
            except Resolver404:
                if not settings.APPEND_SLASH or path.endswith("/"):
                    return False
                continue
            return True
    return False


# --- memoized public API ----------------------------------------------------------

LONG_TEXT = 500


def _convert(config, fixes, kind, text):
    if kind == "html":
        return _convert_html(config, fixes, text)
    return _convert_text(config, fixes, text)


@functools.cache
def _urls_signature():
    """A digest of the public URL patterns: which links in a body get /zh-hant/ depends on
    them, so converted HTML cached before a release that adds a page is not reused."""
    digest = hashlib.blake2b(digest_size=4)

    def walk(patterns, depth=0):
        for pattern in patterns:
            digest.update(f"{depth}:{pattern.pattern}\n".encode())
            walk(getattr(pattern, "url_patterns", ()), depth + 1)

    walk(get_resolver().url_patterns)
    return digest.hexdigest()


def _shared(config, fixes, kind, text):
    if len(text) < SHARED_CACHE_MIN_CHARS:
        return _convert(config, fixes, kind, text)
    digest = hashlib.blake2b(text.encode(), digest_size=16).hexdigest()
    name = re.sub(r"[^\w.-]", "_", config)[-40:]
    kind_key = f"html-{_urls_signature()}" if kind == "html" else kind
    key = f"qinglian:hant:{FORMAT}:{name}:{fixes.version}:{kind_key}:{digest}"
    result = cache.get(key)
    if result is None:
        result = _convert(config, fixes, kind, text)
        cache.set(key, result, SHARED_CACHE_TIMEOUT)
    return result


# Two sizes, so that a crawler walking every article cannot fill memory with bodies.
@functools.lru_cache(maxsize=8192)
def _memo_short(config, fixes, kind, text):
    return _shared(config, fixes, kind, text)


@functools.lru_cache(maxsize=256)
def _memo_long(config, fixes, kind, text):
    return _shared(config, fixes, kind, text)


def _cached(kind, text):
    text = str(text)
    memo = _memo_long if len(text) > LONG_TEXT else _memo_short
    return memo(opencc_config(), corrections(), kind, text)


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


def is_hant():
    return translation.get_language() == HANT


def hant_if_active(text):
    """``to_hant`` when the page being rendered is Traditional, else ``text`` itself."""
    if isinstance(text, str) and text and is_hant():
        return to_hant(text)
    return text


def hant_html_if_active(value):
    if isinstance(value, str) and value and is_hant():
        return to_hant_html(value)
    return value


@functools.lru_cache(maxsize=1024)
def to_hans(text):
    """What a reader typed in Traditional, in Simplified (e.g. a search query)."""
    if not text or text.isascii():
        return text
    config = opencc_config()
    return _opencc(REVERSE_CONFIGS.get(config.removesuffix(".json"), "t2s"), text)


def clear_memory():
    """Forget everything held in this process (the shared cache is left alone)."""
    global _current
    _current = None
    _local.checked_at = None
    _memo_short.cache_clear()
    _memo_long.cache_clear()
    is_hant_path.cache_clear()
    _urls_signature.cache_clear()
    to_hans.cache_clear()


# --- URLs of the two language versions ------------------------------------------


def bcp47(language):
    """``zh-hant`` → ``zh-Hant``, as ``lang`` and ``hreflang`` spell it."""
    parts = language.split("-")
    return "-".join([parts[0]] + [p.title() if len(p) == 4 else p.upper() for p in parts[1:]])


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
