"""Where the processes of a site find the content generation, and how it moves forward.

Two stores, one rule: a generation value is never handed out twice, whatever restarts
or goes away. Values are milliseconds since the epoch at least (``fresh_value``), so a
store that starts again empty — a deleted file, a flushed or restarted Redis — starts
beyond every value used before it, and a process never accepts a value below one it
has used itself (``floor``): a Redis restarted from an old snapshot, or one that
missed a change while it was unreachable, is moved past it at its first answer.

- ``FileStore``: without a shared cache (the embedded default, local-memory caches in
  each process) the processes of one machine share a small file beside the database.
  Reading it costs a ``read()`` of a few bytes, no query, at most every REUSE_SECONDS.
- ``CacheStore``: with Redis, two keys in it, as every process of every host sees them.

Each holds the generation and ``next_change``, the next moment a scheduled article
appears or leaves (a timestamp, 0 for none), so that the first request after it moves
the generation on without any cron job.

Beside them, the **scoped counters** of the current generation (docs/caching.md): what
changed since the generation last moved, by scope (``lists``, ``article:<id>``,
``channel:<id>``), each with a value never handed out before for that scope. Read with
the generation in the same round trip; moving the generation forgets them all (every
page is stale then anyway). Past ``MAX_SCOPES`` a change moves the generation instead.
"""

import contextlib
import fcntl
import hashlib
import os
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.utils import timezone

GENERATION = "qinglian:generation"
NEXT_CHANGE = "qinglian:next-change"
SCOPES = "qinglian:scopes"
SCOPES_LOCK = "qinglian:scopes-lock"
# Scoped counters kept for one generation; a busy day moves it instead every few hundred
# edits, which keeps each read small.
MAX_SCOPES = 1000
# Caches each process keeps to itself: a generation in them would be seen by one
# process only (and a local-memory cache may evict it).
NOT_SHARED = ("LocMemCache", "DummyCache")


def fresh_value(floor):
    """A generation larger than ``floor`` and than any handed out before now."""
    return max(floor + 1, int(timezone.now().timestamp() * 1000))


class FileStore:
    def __init__(self, path):
        self.path = Path(path)

    def read(self):
        """(generation or None, next_change, scoped counters)."""
        try:
            text = self.path.read_text()
        except FileNotFoundError:
            return None, 0, {}
        try:
            first, *rest = text.splitlines()
            value, next_change = first.split()
            scopes = dict(line.split() for line in rest)
            return int(value), float(next_change), {k: int(v) for k, v in scopes.items()}
        except ValueError:  # a file cut short by a full disk: start beyond it
            return None, 0, {}

    def advance(self, floor, upcoming, only_if_due=False):
        """Move the generation on; returns (generation, next_change), ``upcoming()``
        giving the next scheduled change."""
        with open(self.path.with_name(self.path.name + ".lock"), "a") as lock:
            # Processes of one machine take turns, so that none overwrites a newer value.
            fcntl.flock(lock, fcntl.LOCK_EX)
            old, next_change, scopes = self.read()
            if only_if_due and old is not None and not _due(next_change):
                return old, next_change, scopes  # another process moved it meanwhile
            return self._advance(floor, old, upcoming)

    def _advance(self, floor, old, upcoming):
        value = fresh_value(max(floor, old or 0))
        next_change = upcoming()
        self._write(value, next_change, {})
        return value, next_change, {}

    def touch(self, names, floor, upcoming):
        """Move the scoped counters ``names`` on; returns what ``read`` does."""
        with open(self.path.with_name(self.path.name + ".lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            value, next_change, scopes = self.read()
            if behind(value, scopes, floor) or len(scopes) + len(names) > MAX_SCOPES:
                return self._advance(floor, value, upcoming)
            scopes = _moved(scopes, names, value)
            next_change = upcoming()
            self._write(value, next_change, scopes)
        return value, next_change, scopes

    def _write(self, value, next_change, scopes):
        # A new file renamed over the old one: a reader sees the old or the new, whole.
        fd, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=self.path.name)
        try:
            with os.fdopen(fd, "w") as out:
                out.write(f"{value} {next_change}\n")
                out.writelines(f"{name} {counter}\n" for name, counter in scopes.items())
            os.replace(temporary, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise


class CacheStore:
    def __init__(self, cache):
        self.cache = cache

    def read(self):
        values = self.cache.get_many([GENERATION, NEXT_CHANGE, SCOPES])
        value = values.get(GENERATION)
        return value, values.get(NEXT_CHANGE, 0), _scopes_of(values.get(SCOPES), value)

    def advance(self, floor, upcoming, only_if_due=False):
        # (only_if_due: processes may all move it when a scheduled time passes; harmless.)
        try:
            value = self.cache.incr(GENERATION)
        except ValueError:  # missing (first use, flushed, restarted empty) or unreachable
            value = None
        if value is None or value <= floor:
            # Behind what this process has used: Redis came back from a snapshot, or
            # missed changes while it could not be reached. Past all of them, at once.
            value = fresh_value(max(floor, value or 0))
            self.cache.set(GENERATION, value, None)
        next_change = upcoming()
        self.cache.set(NEXT_CHANGE, next_change, None)
        # (The scoped counters name the generation they belong to: no need to clear them.)
        return value, next_change, {}

    def touch(self, names, floor, upcoming):
        # Processes take turns through a key only one can add; one that cannot get it
        # in a second moves the generation instead, which is always right.
        for _ in range(50):
            if self.cache.add(SCOPES_LOCK, os.getpid(), 5):
                break
            time.sleep(0.02)
        else:
            return self.advance(floor, upcoming)
        try:
            values = self.cache.get_many([GENERATION, SCOPES])
            value = values.get(GENERATION)
            scopes = _scopes_of(values.get(SCOPES), value)
            if behind(value, scopes, floor) or len(scopes) + len(names) > MAX_SCOPES:
                return self.advance(floor, upcoming)
            scopes = _moved(scopes, names, value)
            next_change = upcoming()
            self.cache.set_many({SCOPES: (value, scopes), NEXT_CHANGE: next_change}, None)
        finally:
            self.cache.delete(SCOPES_LOCK)
        return value, next_change, scopes


def top(value, scopes):
    """The largest value the store holds: its generation or a scoped counter."""
    return max([value or 0, *scopes.values()])


def behind(value, scopes, floor):
    """Whether the store lacks what a process has seen (``floor``): it was emptied, or
    came back from an old snapshot, and every page may be stale."""
    return value is None or top(value, scopes) < floor


def _scopes_of(stored, generation):
    """The scoped counters kept in Redis, if they belong to ``generation``."""
    if not stored or stored[0] != generation:
        return {}
    return stored[1]


def _moved(scopes, names, generation):
    """``scopes`` with each of ``names`` on a value it never had."""
    counter = fresh_value(max([generation, *scopes.values()]))
    return {**scopes, **dict.fromkeys(names, counter)}


def _due(next_change):
    return bool(next_change) and next_change <= timezone.now().timestamp()


def store():
    """The store every process of this site reads."""
    shared = caches["default"]
    if type(shared).__name__ not in NOT_SHARED:
        return CacheStore(shared)
    return FileStore(file_path())


def file_path():
    """``QINGLIAN_GENERATION_FILE``, or a file named after the database: beside an SQLite
    database file, else in the machine's temporary folder."""
    configured = getattr(settings, "QINGLIAN_GENERATION_FILE", None)
    if configured:
        return Path(configured)
    db = settings.DATABASES["default"]
    name = str(db.get("NAME") or "")
    if db["ENGINE"].endswith("sqlite3") and name and os.path.isabs(name):
        return Path(f"{name}-generation")
    identity = "|".join(str(db.get(k) or "") for k in ("ENGINE", "HOST", "PORT", "NAME"))
    digest = hashlib.sha256(f"{settings.BASE_DIR}|{identity}".encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"qinglian-generation-{digest}"
