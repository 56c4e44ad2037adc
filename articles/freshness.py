"""When public pages must be rendered afresh.

Anything a reader can see depends on a "content generation" kept in the shared cache:
every save or delete of content bumps it, so every page cached under the old
generation is ignored at once by every app process sharing the cache. Scheduled
publication and end times bump it too, lazily, on the first request after they pass —
no cron job needed.
"""

from django.core.cache import cache
from django.db.models import Min, Q
from django.utils import timezone

GENERATION = "qinglian:generation"
NEXT_CHANGE = "qinglian:next-change"
# A page may show a view count or a "latest" list a little old; never older than this.
MAX_AGE = 300


def _upcoming_change():
    """The next moment a scheduled article appears or leaves, as a timestamp, or None."""
    from .models import Article

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
    values = cache.get_many([GENERATION, NEXT_CHANGE])
    current = values.get(GENERATION)
    next_change = values.get(NEXT_CHANGE, 0)
    if current is None or (next_change and next_change <= timezone.now().timestamp()):
        current = bump()
    if request is not None:
        request._content_generation = current
    return current


def bump(**kwargs):
    """Make every cached page and fragment stale; works as a signal receiver too."""
    try:
        current = cache.incr(GENERATION)
    except ValueError:
        # First use, or the cache was flushed: start from the clock so that a restarted
        # cache never reuses a generation whose pages another process still holds.
        current = int(timezone.now().timestamp() * 1000)
        cache.set(GENERATION, current, None)
    cache.set(NEXT_CHANGE, _upcoming_change() or 0, None)
    return current


def _cached_key(request, name):
    return f"qinglian:{name}:{generation(request)}"


def prefetch(request, names):
    """Read the cached values ``names`` in one round trip, for ``cached`` to find."""
    keys = [_cached_key(request, name) for name in names]
    found = cache.get_many(keys)
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
        return cache.get(key)
    return None if value is _MISSING else value


def keep(request, name, value):
    """Cache ``value`` under ``name`` for as long as the content stays as it is."""
    cache.set(_cached_key(request, name), value, MAX_AGE * 12)


def cached(request, name, build):
    """A value derived from content, rebuilt only when the content changes."""
    value = lookup(request, name)
    if value is None:
        value = build()
        keep(request, name, value)
    return value
