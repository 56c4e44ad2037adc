"""Article view counts without a database write per reader.

Each process gathers views for a second, then adds them to a counter in the shared
cache; every app process adds what it has seen to the database now and then, and when
it shuts down cleanly. The database column plus the pending counter is the count
readers see.
"""

import atexit
import contextlib
import logging
import threading
import time

from django.core.cache import cache
from django.db import DatabaseError
from django.db.models import F

from articles.caching import memo

FLUSH_EVERY_SECONDS = 30
FLUSH_EVERY_VIEWS = 200
SEND_EVERY_SECONDS = 1
SEND_EVERY_VIEWS = 50

logger = logging.getLogger(__name__)
_lock = threading.Lock()
_dirty = set()
_recorded = 0
_last_flush = time.monotonic()
_unsent = {}  # article id -> views not yet added to the shared cache
_unsent_views = 0  # their sum
_last_send = time.monotonic()
# What the shared counters held when this process last read them: a page shows a count
# read within the last SEND_EVERY_SECONDS (views reach the counters no more often), so
# rendering a busy article again costs no round trip for it. Kept in step with what this
# process sends and moves.
SHARED_REMEMBERED = 10_000
_shared = memo.Memo("shared view counts", SHARED_REMEMBERED)  # id -> (count, when read)


@memo.on_reset
def _forget_unsent():
    """(Tests: views gathered by one test are not counted in the next, and each test
    starts a new gathering period, so that its page views cost the same queries
    however long the run has lasted.)"""
    global _unsent_views, _recorded, _last_flush, _last_send
    with _lock:
        _unsent.clear()
        _dirty.clear()
        _unsent_views = _recorded = 0
        _last_flush = _last_send = time.monotonic()


def _key(article_id):
    return f"qinglian:views:{article_id}"


def _add(article_id, count):
    key = _key(article_id)
    try:
        cache.incr(key, count)
    except ValueError:
        if not cache.add(key, count, None):
            # Taken meanwhile by another process, or the cache is down (the views are lost).
            with contextlib.suppress(ValueError):
                cache.incr(key, count)


def _send():
    """Add the views this process has gathered to the shared counters."""
    global _last_send, _unsent_views
    with _lock:
        gathered = dict(_unsent)
        _unsent.clear()
        _unsent_views = 0
        _last_send = time.monotonic()
    for article_id, count in gathered.items():
        _add(article_id, count)
        _adjust(article_id, count)


def _adjust(article_id, change):
    with _lock:
        if article_id in _shared:
            count, read_at = _shared.get(article_id)
            _shared.set(article_id, (count + change, read_at))


def record(article_id):
    """Count one view; flushes to the database when enough time or views have passed.

    Views are gathered in the process and sent to the shared cache once a second (or
    every SEND_EVERY_VIEWS), so that a cached page costs no extra round trip to Redis.
    """
    global _recorded, _unsent_views
    with _lock:
        _unsent[article_id] = _unsent.get(article_id, 0) + 1
        _unsent_views += 1
        _dirty.add(article_id)
        _recorded += 1
        now = time.monotonic()
        send = _unsent_views >= SEND_EVERY_VIEWS or now - _last_send >= SEND_EVERY_SECONDS
        due = _recorded >= FLUSH_EVERY_VIEWS or now - _last_flush >= FLUSH_EVERY_SECONDS
    if send and not due:
        _send()
    if due:
        try:
            flush()
        except DatabaseError:
            # The reader still gets the page; the counts stay pending for the next flush.
            logger.warning("Could not save view counts; will try again", exc_info=True)


def pending(article_id):
    """Views counted but not yet written to the database."""
    now = time.monotonic()
    with _lock:
        unsent = _unsent.get(article_id, 0)
        seen = _shared.get(article_id)
    if seen is not None and now - seen[1] < SEND_EVERY_SECONDS:
        return seen[0] + unsent
    count = cache.get(_key(article_id), 0)
    with _lock:
        _shared.set(article_id, (count, now))
    return count + unsent


def flush():
    """Move this process's pending counts into the database; returns how many views."""
    global _recorded, _last_flush
    from articles.models import Article

    _send()
    with _lock:
        ids = list(_dirty)
        _dirty.clear()
        _recorded = 0
        _last_flush = time.monotonic()
    moved = 0
    try:
        for article_id in ids:
            key = _key(article_id)
            count = cache.get(key, 0)
            if not count:
                continue
            # Taken from the shared counter first, then written: a cache that fails in
            # between leaves the views pending, never counted twice. (decr, not delete:
            # views other processes counted meanwhile stay pending.)
            try:
                cache.decr(key, count)
            except ValueError:  # the cache went down in between: nothing taken
                with _lock:
                    _dirty.add(article_id)
                continue
            _adjust(article_id, -count)
            try:
                updated = Article.objects.filter(pk=article_id).update(
                    view_count=F("view_count") + count
                )
            except Exception:
                _add(article_id, count)  # back to pending for the next flush
                _adjust(article_id, count)
                raise
            moved += count if updated else 0  # (an article deleted meanwhile)
    except Exception:
        with _lock:
            _dirty.update(ids)  # what was moved has a pending count of 0 now
        raise
    return moved


def _flush_at_exit():
    try:
        flush()
    except Exception:  # the database or cache may already be gone at interpreter exit
        logger.warning("Could not save pending view counts at exit", exc_info=True)


atexit.register(_flush_at_exit)
