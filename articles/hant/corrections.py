"""The administrators' phrase corrections (``PhraseCorrection``) and how they take effect.

The corrections in force carry a version, a digest of the whole table, kept in the
shared cache with the table itself and read at most once per request (no query per
request). Saving or deleting a correction replaces the version, so every process
applies the change on its next request.
"""

import hashlib
import re
import threading
import time

from django.core.cache import cache
from django.core.signals import request_started
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from articles.caching import memo

VERSION_KEY = "qinglian:hant:corrections"
TABLE_KEY = "qinglian:hant:corrections:{version}"
# Outside a request (shell, commands, odd servers) the version is re-read this often.
RECHECK_SECONDS = 2.0


class Corrections:
    """The phrase corrections in force: a version and a longest-first matcher."""

    __slots__ = ("version", "mapping", "pattern")

    def __init__(self, version, pairs):
        self.version = version
        self.mapping = dict(pairs)
        # Longest first, so that a correction for 监察干部 wins over one for 干部.
        phrases = sorted(self.mapping, key=lambda phrase: (-len(phrase), phrase))
        self.pattern = re.compile("|".join(map(re.escape, phrases))) if phrases else None

    # Equal by version, so that texts converted under one copy of a table are found
    # again under the next copy read from the cache.
    def __eq__(self, other):
        return isinstance(other, Corrections) and other.version == self.version

    def __hash__(self):
        return hash(self.version)


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


class _State(threading.local):
    checked_at = None


_local = _State()
_current = None


@memo.on_reset
def forget():
    """Read the corrections again on next use (``memo.reset()`` calls this too)."""
    global _current
    _current = None
    _local.checked_at = None


def current():
    """The corrections in force, checked against the shared cache once per request."""
    global _current
    now = time.monotonic()
    checked_at = _local.checked_at
    fixes = _current
    if fixes is not None and checked_at is not None and now - checked_at < RECHECK_SECONDS:
        return fixes
    version = cache.get(VERSION_KEY)
    if fixes is None or version is None or version != fixes.version:
        fixes = _current = _fetch(version)
    _local.checked_at = now
    return fixes


def _publish():
    pairs = _load_pairs()
    version = _version_of(pairs)
    cache.set(TABLE_KEY.format(version=version), pairs, None)
    cache.set(VERSION_KEY, version, None)


def corrections_changed(**kwargs):
    """Signal receiver: a correction was saved or deleted (restore_site calls it too)."""
    forget()
    # At once, for this connection's view of the data (and for tests, which never
    # commit), and again once committed, for every other process.
    cache.delete(VERSION_KEY)
    transaction.on_commit(_publish)


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
