"""When public pages must be rendered afresh.

Anything a reader can see depends on the "content generation", which every process of
the site reads from one store (articles/caching/generation.py: a file beside the
database on the embedded default, Redis in production). A transaction that changes
what readers see moves it on once, when it commits (``changed``), so every page,
fragment and value cached under the old generation is ignored by every process — by
editors' requests at once, by readers' within REUSE_SECONDS. Scheduled publication and
end times move it too, on the first request after they pass: no cron job needed.

Until its change reaches the store, the process that made it uses a generation of its
own on top of the shared one (``_State.local``): its own readers never get a page from
before its change, even inside the transaction (tests run in one that never commits).

A change to published articles moves only the **scoped counters** of what it touched
(``changed(scopes=...)``: ``lists``, ``article:<id>``, ``channel:<id>``), kept beside
the generation and read with it; a cached page records the counters of the scopes it
shows, and is served only while they are unchanged (``Versions``, docs/caching.md).

What is cached for a generation (the channel tree, settings, lists) never changes, so
each process keeps what it has read of the current generation in memory, as objects:
``read``, ``read_many`` and ``write``.
"""

import logging
import os
import secrets
import time

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.db.models import Min, Q
from django.utils import timezone

from articles.caching import generation as stores
from articles.caching import memo

logger = logging.getLogger(__name__)

# A page may show a view count or a "latest" list a little old; never older than this.
MAX_AGE = 300
# Readers' requests reuse the generation their process read last for this long, so a
# change reaches every process within a tenth of a second and a busy process asks the
# store a few times a second instead of on every request. Requests with a session
# (editors, reviewers) read it afresh.
REUSE_SECONDS = 0.1
_clock = time.monotonic
# Names this process's own generations (never another's, even after a fork).
_TOKEN = secrets.token_hex(4)


class _State:
    def __init__(self):
        self.shared = None  # the store's generation, as last read
        self.next_change = 0  # the store's next scheduled change (timestamp, 0: none)
        self.read_at = float("-inf")  # _clock() when read
        self.floor = 0  # the largest generation this process has used
        self.owed = False  # a change committed here that the store has not been told of
        self.local = 0  # this process's changes on top of ``local_base``
        self.local_base = None
        self.local_times = []  # scheduled times among those changes
        self.dirty = False  # a change since the generation was last handed out
        self.scopes = {}  # the store's scoped counters, as last read (replaced, never changed)
        self.overlay = {}  # scope -> mark of this process's changes the store lacks yet
        self.pending = set()  # scopes changed in the open transaction
        self.marks = 0


_state = _State()


@memo.on_reset
def forget():
    """Read the generation afresh next time, and forget every value kept (after the
    shared cache was cleared). The floor is kept: a value once used is never reused."""
    global _state
    floor = _state.floor
    _state = _State()
    _state.floor = floor


class Versions:
    """The scoped counters as a request saw them (``versions``): a page records those of
    the scopes it shows, and is good while they are the same."""

    def __init__(self, scopes, overlay):
        self.scopes, self.overlay = scopes, overlay

    def of(self, name):
        version = str(self.scopes.get(name, 0))
        mark = self.overlay.get(name)
        return f"{version}.{mark}" if mark else version

    def record(self, names):
        return tuple((name, self.of(name)) for name in names)

    def still(self, recorded):
        return all(self.of(name) == version for name, version in recorded)


def versions(request=None, current=None):
    """The scoped counters of the current generation (``current``, when just read)."""
    if current is None:
        generation(request)
    return Versions(_state.scopes, dict(_state.overlay))


def content_generation(request=None):
    """The generation of values derived from published articles (lists, linked ids):
    moves with the generation and with every change to published articles."""
    current = generation(request)
    return f"{current}~{versions(request, current).of('lists')}"


def _upcoming_change():
    """The next moment a scheduled article appears or leaves, or a recommendation
    (推荐位) ends, as a timestamp, or 0."""
    from articles.models import Article, SlotPlacement

    now = timezone.now()
    upcoming = Article.objects.filter(status=Article.Status.PUBLISHED).aggregate(
        starts=Min("published_at", filter=Q(published_at__gt=now)),
        ends=Min("unpublish_at", filter=Q(unpublish_at__gt=now)),
    )
    upcoming["placements"] = SlotPlacement.objects.filter(until__gt=now).aggregate(
        ends=Min("until")
    )["ends"]
    found = min(filter(None, upcoming.values()), default=None)
    return found.timestamp() if found else 0


def generation(request=None):
    """The current content generation, a string for keys. ``request``: an anonymous
    reader's may use the one read a moment ago (the page context keeps it for the rest
    of the request: articles/portal/context.py)."""
    state = _state
    now = timezone.now().timestamp()
    due = bool(state.next_change) and state.next_change <= now
    if due or state.owed or not _reader(request) or _clock() - state.read_at >= REUSE_SECONDS:
        _refresh(state, now)
    if state.local_times and min(state.local_times) <= now:
        # A time scheduled by this process's own change has come.
        state.local_times = [t for t in state.local_times if t > now]
        state.dirty = True
    if state.dirty:
        state.dirty = False
        state.local += 1
        state.local_base = state.shared
    if state.local_base is not None and state.shared > state.local_base:
        # The store has moved past this process's changes: back to the shared value.
        state.local, state.local_base, state.local_times = 0, None, []
    current = str(state.shared)
    if state.local_base is not None:
        current = f"{state.shared}.{_TOKEN}{os.getpid()}.{state.local}"
    return current


class _Reader:
    COOKIES = {}


# For what a reader sees outside a request's own reads (the 繁體 corrections): the
# generation as read within REUSE_SECONDS.
READER = _Reader()


def _reader(request):
    """A request that may see the generation read a moment ago: an anonymous reader's."""
    return request is not None and settings.SESSION_COOKIE_NAME not in request.COOKIES


def _refresh(state, now):
    store = stores.store()
    value, next_change, scopes = store.read()
    if state.owed or stores.behind(value, scopes, state.floor):
        # Not there (first use, a store started afresh) or behind what this process
        # used: never go back to a generation whose pages may still be kept.
        value, next_change, scopes = _advance_store(store, state)
    elif next_change and next_change <= now:
        value, next_change, scopes = store.advance(state.floor, _upcoming_change, only_if_due=True)
    _remember(state, value, next_change, scopes)


def _remember(state, value, next_change, scopes):
    if value != state.shared:
        _objects.clear()
    state.shared, state.next_change, state.read_at = value, next_change, _clock()
    state.scopes = scopes
    # (Scoped counters too: a store that loses them has gone back.)
    state.floor = max(state.floor, stores.top(value, scopes))


def _advance_store(store, state):
    try:
        value, next_change, scopes = store.advance(state.floor, _upcoming_change)
    except (DatabaseError, OSError):
        # Tell the store at the next read; meanwhile this process goes on its own.
        logger.warning("Could not move the content generation on", exc_info=True)
        state.owed = True
        state.dirty = True
        return stores.fresh_value(state.floor), 0, {}
    state.owed = False
    return value, next_change, scopes


def bump(**kwargs):
    """Make every cached page and fragment stale now, on every process (after a
    restore, a search index rebuild); works as a signal receiver too."""
    state = _state
    _remember(state, *_advance_store(stores.store(), state))
    return str(state.shared)


def changed(times=(), scopes=None):
    """Something readers see, or will see at ``times`` (timestamps), was written;
    ``scopes``: only what depends on those changed (else everything did).

    This process stops using what it cached at once; every process does once the
    transaction commits — one move of the generation (or of the scoped counters) per
    transaction, however many rows it wrote.
    """
    state = _state
    state.local_times.extend(t for t in times if t)
    if scopes is None:
        state.dirty = True
        _once_committed(bump)
        return
    state.marks += 1
    mark = f"{_TOKEN}{os.getpid()}.{state.marks}"
    state.overlay.update(dict.fromkeys(scopes, mark))
    state.pending.update(scopes)
    _once_committed(_commit_scopes)


def _once_committed(callback):
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        callback()
        return
    # Django keeps a transaction's pending callbacks in ``run_on_commit`` (pinned by
    # tests/test_write_path.py): one move of the generation is enough for all of them.
    if not any(pending is callback for _, pending, _ in connection.run_on_commit):
        transaction.on_commit(callback)


def _commit_scopes():
    """Tell the store which scopes this transaction changed."""
    state = _state
    names, state.pending = sorted(state.pending), set()
    if not names:
        return
    try:
        value, next_change, scopes = stores.store().touch(names, state.floor, _upcoming_change)
    except (DatabaseError, OSError):
        logger.warning("Could not move the scoped counters on", exc_info=True)
        state.owed = True  # the whole generation moves at the next read instead
        state.dirty = True
        return
    for name in names:
        state.overlay.pop(name, None)
    _remember(state, value, next_change, scopes)


# --- values of one generation, in this process and in the shared cache ---------------


# The current generation's values (channel tree, settings, lists) as objects, so that a
# request does not unpickle them again: they are only ever read. Emptied when the
# generation changes.
_objects = memo.Memo("content values", 5000)
_keep_objects = _objects.update


def read(key):
    """``cache.get(key)``, from this process's memory when it has the value."""
    return read_many([key]).get(key)


def read_many(keys):
    """``cache.get_many(keys)``: what this process holds, then the shared cache for the
    rest (kept here for the next request). Only for keys that name a generation: a kept
    value is never out of date, just unused once the content changes."""
    found = _objects.get_many(keys)
    if len(found) < len(keys):
        fetched = cache.get_many([key for key in keys if key not in found])
        _keep_objects(fetched)
        found.update(fetched)
    return found


def write(key, value, timeout=MAX_AGE * 12):
    """``cache.set(key, value)``, here and in the shared cache."""
    # (Not write_many: Redis sets several keys in a transaction, one key in one command.)
    cache.set(key, value, timeout)
    _keep_objects({key: value})


def write_many(values, timeout=MAX_AGE * 12):
    """``cache.set_many(values)``, here and in the shared cache."""
    cache.set_many(values, timeout)
    _keep_objects(values)


def key(generation, name):
    """The cache key of the value ``name`` for ``generation``."""
    return f"qinglian:{name}:{generation}"


def cached(request, name, build):
    """A value derived from content, rebuilt only when the content changes."""
    found = key(content_generation(request), name)
    value = read(found)
    if value is None:
        value = build()
        write(found, value)
    return value
