"""The administrators' phrase corrections (``PhraseCorrection``) and how they take effect.

The corrections in force follow the content generation (articles/caching/freshness.py),
which every process reads from one store — a file beside the database without Redis,
Redis with it — and which a saved or deleted correction moves on, like any change
readers see (articles/caching/apps.py). So a correction saved in one process reaches
every other process's Traditional pages within REUSE_SECONDS, on every setup. The table
is kept in the shared cache per generation: a process reads it once per generation,
the database only when no process has yet. Their ``version``, a digest of the table,
names the texts converted under them.
"""

import hashlib
import re
import threading
import time

from django.core.signals import request_started
from django.db.models.signals import post_delete, post_save

from articles.caching import freshness, memo

TABLE_NAME = "hant-corrections"
# Outside a request (shell, commands, odd servers) the generation is re-read this often.
RECHECK_SECONDS = 2.0


class Corrections:
    """The phrase corrections in force: a version and a longest-first matcher."""

    __slots__ = ("version", "generation", "mapping", "pattern")

    def __init__(self, generation, pairs):
        self.generation = generation
        self.version = _version_of(pairs)
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


def _fetch(generation):
    key = freshness.key(generation, TABLE_NAME)
    pairs = freshness.read(key)
    if pairs is None:
        pairs = _load_pairs()
        freshness.write(key, pairs)
    return Corrections(generation, pairs)


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
    """The corrections in force, checked against the content generation once per request."""
    global _current
    now = time.monotonic()
    checked_at = _local.checked_at
    fixes = _current
    if fixes is not None and checked_at is not None and now - checked_at < RECHECK_SECONDS:
        return fixes
    generation = freshness.generation(freshness.READER)
    if fixes is None or generation != fixes.generation:
        fresh = _fetch(generation)
        # The same table under a new generation: the texts converted stay good.
        fixes = _current = fixes if fresh == fixes else fresh
        if fixes is not fresh:
            fixes.generation = generation
    _local.checked_at = now
    return fixes


def corrections_changed(**kwargs):
    """Signal receiver: a correction was saved or deleted (restore_site calls it too).
    The content generation moves with it (articles/caching/apps.py); this process reads
    the table again at once."""
    forget()


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
