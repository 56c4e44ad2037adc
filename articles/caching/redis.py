"""A Redis cache that degrades instead of failing.

Everything the site keeps in the cache (whole pages, the content generation, the
channel tree, converted Traditional text, pending view counts) can be rebuilt from the
database. So when Redis cannot be reached, reads are misses and writes are dropped:
pages are rendered from the database, slower but whole, and a warning is logged (at
most once a minute). After a failure the server is left alone for ``RETRY_SECONDS``,
so that an outage costs each request nothing, not a timeout per cache call.
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)
RETRY_SECONDS = 5.0
WARN_EVERY_SECONDS = 60.0

_lock = threading.Lock()
# Per cache location, shared by the threads of a process (each has its own cache object).
_down_until = {}
_last_warning = {}


class _ReusingClient(RedisCacheClient):
    """Django's client builds a new ``redis.Redis`` (with its table of reply parsers) for
    every cache call, which costs more than the call; one per connection pool serves."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients[pool] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _ReusingClient

    def _location(self):
        return ",".join(self._servers)

    def _available(self):
        return _down_until.get(self._location(), 0.0) <= time.monotonic()

    def _failed(self, exc):
        location, now = self._location(), time.monotonic()
        with _lock:
            _down_until[location] = now + RETRY_SECONDS
            warn = now - _last_warning.get(location, -WARN_EVERY_SECONDS) >= WARN_EVERY_SECONDS
            if warn:
                _last_warning[location] = now
        if warn:
            logger.warning(
                "Cache server %s unreachable (%s); pages are served from the database "
                "until it is back.",
                location,
                exc,
            )

    def _succeeded(self):
        location = self._location()
        if location in _down_until:
            with _lock:
                was_down = _down_until.pop(location, None) is not None
            if was_down:
                logger.warning("Cache server %s reachable again.", location)

    def _try(self, fallback, operation, *args, **kwargs):
        if not self._available():
            return fallback()
        try:
            result = operation(*args, **kwargs)
        except UNREACHABLE as exc:
            self._failed(exc)
            return fallback()
        self._succeeded()
        return result

    def get(self, key, default=None, version=None):
        return self._try(lambda: default, super().get, key, default, version)

    def get_many(self, keys, version=None):
        return self._try(dict, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._try(lambda: False, super().has_key, key, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._try(lambda: None, super().set, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._try(lambda: list(data), super().set_many, data, timeout, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._try(lambda: False, super().add, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._try(lambda: False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._try(lambda: False, super().delete, key, version)

    def delete_many(self, keys, version=None):
        return self._try(lambda: None, super().delete_many, keys, version)

    def incr(self, key, delta=1, version=None):
        def missing():
            # What Django's caches say for a key they do not hold.
            raise ValueError(f"Key '{key}' not found (cache server unreachable).")

        return self._try(missing, super().incr, key, delta, version)

    def clear(self):
        return self._try(lambda: False, super().clear)
