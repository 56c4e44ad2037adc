"""When public pages must be rendered afresh.

Anything a reader can see depends on a "content generation" kept in the shared cache:
every save or delete of content bumps it, so every page cached under the old
generation is ignored by every app process sharing the cache — by editors' requests at
once, by readers' within REUSE_SECONDS. Scheduled publication and end times bump it
too, lazily, on the first request after they pass — no cron job needed.

What is cached for a generation (the channel tree, settings, lists) never changes, so
each process keeps what it has read of the current generation in memory, as objects:
``read``, ``read_many`` and ``write``.
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.db.models import Min, Q
from django.utils import timezone

GENERATION = "qinglian:generation"
NEXT_CHANGE = "qinglian:next-change"
# A page may show a view count or a "latest" list a little old; never older than this.
MAX_AGE = 300
# Readers' requests reuse the generation their process read last for this long, so a
# change reaches every process within a tenth of a second and a busy process asks the
# shared cache a few times a second instead of on every request. Requests with a
# session (editors, reviewers) read it afresh.
REUSE_SECONDS = 0.1
# (generation, next scheduled change, _clock() when read)
_seen = (None, 0, float("-inf"))
_clock = time.monotonic


def _upcoming_change():
    """The next moment a scheduled article appears or leaves, as a timestamp, or None."""
    from articles.models import Article

    now = timezone.now()
    upcoming = Article.objects.filter(status=Article.Status.PUBLISHED).aggregate(
        starts=Min("published_at", filter=Q(published_at__gt=now)),
        ends=Min("unpublish_at", filter=Q(unpublish_at__gt=now)),
    )
    found = min(filter(None, upcoming.values()), default=None)
    return found.timestamp() if found else None


def generation(request=None):
    """The current content generation, read once per request."""
    if request is not None and hasattr(request, "_content_generation"):
        return request._content_generation
    now = timezone.now().timestamp()
    current, next_change, read_at = _seen
    due = next_change and next_change <= now
    if due or not _reader(request) or _clock() - read_at >= REUSE_SECONDS:
        values = cache.get_many([GENERATION, NEXT_CHANGE])
        current = values.get(GENERATION)
        next_change = values.get(NEXT_CHANGE, 0)
        if current is None or (next_change and next_change <= now):
            current = bump()
        else:
            _remember(current, next_change)
    if request is not None:
        request._content_generation = current
    return current


def _reader(request):
    """A request that may see the generation read a moment ago: an anonymous reader's."""
    return request is not None and settings.SESSION_COOKIE_NAME not in request.COOKIES


def _remember(current, next_change):
    global _seen
    if current != _seen[0]:
        _objects.clear()
    _seen = (current, next_change, _clock())


def forget():
    """Read the generation afresh next time, and forget every value kept (after the
    shared cache was cleared)."""
    global _seen
    _seen = (None, 0, float("-inf"))
    _objects.clear()


def bump(**kwargs):
    """Make every cached page and fragment stale; works as a signal receiver too."""
    try:
        current = cache.incr(GENERATION)
    except ValueError:
        # First use, or the cache was flushed: start from the clock so that a restarted
        # cache never reuses a generation whose pages another process still holds.
        current = int(timezone.now().timestamp() * 1000)
        cache.set(GENERATION, current, None)
    next_change = _upcoming_change() or 0
    cache.set(NEXT_CHANGE, next_change, None)
    _remember(current, next_change)
    return current


# --- values of one generation, in this process and in the shared cache ---------------


# The current generation's values (channel tree, settings, lists) as objects, so that a
# request does not unpickle them again: they are only ever read. Emptied when the
# generation changes, and when it holds more than OBJECTS_KEPT values.
_objects = {}
OBJECTS_KEPT = 5000


def _keep_objects(values):
    if len(_objects) + len(values) > OBJECTS_KEPT:
        _objects.clear()
    _objects.update(values)


def read(key):
    """``cache.get(key)``, from this process's memory when it has the value."""
    return read_many([key]).get(key)


def read_many(keys):
    """``cache.get_many(keys)``: what this process holds, then the shared cache for the
    rest (kept here for the next request). Only for keys that name a generation: a kept
    value is never out of date, just unused once the content changes."""
    found = {key: _objects[key] for key in keys if key in _objects}
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


def _cached_key(request, name):
    return f"qinglian:{name}:{generation(request)}"


def prefetch(request, names):
    """Read the cached values ``names`` in one round trip, for ``cached`` to find."""
    keys = [_cached_key(request, name) for name in names]
    found = read_many(keys)
    # Misses are remembered too: ``lookup`` then knows not to ask again.
    request._prefetched = {
        **getattr(request, "_prefetched", {}),
        **{key: found.get(key, _MISSING) for key in keys},
    }


_MISSING = object()


def lookup(request, name):
    """The value cached under ``name`` for the current content, or None."""
    key = _cached_key(request, name)
    value = getattr(request, "_prefetched", {}).get(key)
    if value is None:
        return read(key)
    return None if value is _MISSING else value


def keep(request, name, value):
    """Cache ``value`` under ``name`` for as long as the content stays as it is."""
    write(_cached_key(request, name), value)


def cached(request, name, build):
    """A value derived from content, rebuilt only when the content changes."""
    value = lookup(request, name)
    if value is None:
        value = build()
        keep(request, name, value)
    return value
