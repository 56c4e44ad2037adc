"""Article view counts without a database write per reader.

Each view increments a counter in the shared cache; every app process adds what it
has seen to the database now and then, and when it shuts down cleanly. The database
column plus the pending counter is the count readers see.
"""

import atexit
import contextlib
import logging
import threading
import time

from django.core.cache import cache
from django.db import DatabaseError
from django.db.models import F

FLUSH_EVERY_SECONDS = 30
FLUSH_EVERY_VIEWS = 200

logger = logging.getLogger(__name__)
_lock = threading.Lock()
_dirty = set()
_recorded = 0
_last_flush = time.monotonic()


def _key(article_id):
    return f"qinglian:views:{article_id}"


def record(article_id):
    """Count one view; flushes to the database when enough time or views have passed."""
    global _recorded
    key = _key(article_id)
    try:
        cache.incr(key)
    except ValueError:
        if not cache.add(key, 1, None):
            # Taken meanwhile by another process, or the cache is down (the view is lost).
            with contextlib.suppress(ValueError):
                cache.incr(key)
    with _lock:
        _dirty.add(article_id)
        _recorded += 1
        due = (
            _recorded >= FLUSH_EVERY_VIEWS or time.monotonic() - _last_flush >= FLUSH_EVERY_SECONDS
        )
    if due:
        try:
            flush()
        except DatabaseError:
            # The reader still gets the page; the counts stay pending for the next flush.
            logger.warning("Could not save view counts; will try again", exc_info=True)


def pending(article_id):
    """Views counted but not yet written to the database."""
    return cache.get(_key(article_id), 0)


def flush():
    """Move this process's pending counts into the database; returns how many views."""
    global _recorded, _last_flush
    from .models import Article

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
            Article.objects.filter(pk=article_id).update(view_count=F("view_count") + count)
            # decr, not delete: views other processes counted meanwhile stay pending.
            with contextlib.suppress(ValueError):  # the cache went down in between
                cache.decr(key, count)
            moved += count
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
