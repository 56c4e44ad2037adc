"""The content generation only moves forward: a change is never undone by a cache server
that went away, came back, or restarted from an old snapshot."""

import contextlib

import pytest
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.caching import freshness, generation
from articles.models import Article
from tests.conftest import make_article

pytestmark = pytest.mark.django_db


class PartitionedCache(LocMemCache):
    """A cache shared by every process (as Redis is) that can be cut off. While away it
    answers as articles.caching.redis answers for an unreachable server: reads miss,
    writes are dropped, ``incr`` fails."""

    away = False

    def get(self, key, default=None, version=None):
        return default if self.away else super().get(key, default, version)

    def get_many(self, keys, version=None):
        return {} if self.away else super().get_many(keys, version)

    def set(self, key, value, timeout=None, version=None):
        if not self.away:
            super().set(key, value, timeout, version)

    def set_many(self, data, timeout=None, version=None):
        return list(data) if self.away else super().set_many(data, timeout, version)

    def add(self, key, value, timeout=None, version=None):
        return False if self.away else super().add(key, value, timeout, version)

    def incr(self, key, delta=1, version=None):
        if self.away:
            raise ValueError(f"Key '{key}' not found (cache server unreachable).")
        return super().incr(key, delta, version)


@pytest.fixture
def shared_cache(settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": f"{__name__}.PartitionedCache", "LOCATION": "partitioned"},
    }
    cache = caches["default"]
    cache.clear()
    PartitionedCache.away = False
    assert isinstance(generation.store(), generation.CacheStore)
    yield cache
    PartitionedCache.away = False


@pytest.fixture
def clock(monkeypatch):
    """The clock readers' requests reuse the generation by; moved by hand."""
    now = [0.0]
    monkeypatch.setattr(freshness, "_clock", lambda: now[0])
    return now


def cached(client, url):
    """Whether ``url`` is answered from the page cache (no query at all)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response.status_code, len(queries) == 0


@contextlib.contextmanager
def commit():
    """Writes committed, as outside a test's transaction: what waits for the commit runs
    (all of it, as Django's capture_on_commit_callbacks runs what the block added)."""
    yield
    waiting, connection.run_on_commit = connection.run_on_commit, []
    for _, callback, _ in waiting:
        callback()


@pytest.fixture
def committed():
    return commit


def take_offline(article, committed):
    """What a reviewer's 下线 does."""
    with committed():
        article.status = Article.Status.OFFLINE
        article.save()


def test_a_takedown_during_a_cache_outage_stays_down_after_it(
    client, channel, shared_cache, clock, committed
):
    """An article taken offline while the cache server is unreachable is not served
    again from the pages cached before, once the server answers again."""
    with committed():
        article = make_article("七星区：将被下线", channel=channel)
    url = article.get_absolute_url()
    assert client.get(url).status_code == 200
    assert cached(client, url) == (200, True)

    PartitionedCache.away = True
    take_offline(article, committed)
    assert client.get(url).status_code == 404
    PartitionedCache.away = False

    for _ in range(3):
        clock[0] += freshness.REUSE_SECONDS
        assert client.get(url).status_code == 404
        assert "七星区：将被下线" not in client.get(channel.get_absolute_url()).text


def test_a_cache_restarted_from_an_old_snapshot_does_not_bring_pages_back(
    client, channel, shared_cache, clock, committed
):
    """Redis restarted from a snapshot taken before a takedown holds the old generation:
    the site moves past it instead of serving the pages kept for it."""
    with committed():
        article = make_article("七星区：将被下线", channel=channel)
    url = article.get_absolute_url()
    assert client.get(url).status_code == 200
    snapshot = {key: shared_cache.get(key) for key in (generation.GENERATION,)}
    assert cached(client, url) == (200, True)

    take_offline(article, committed)
    assert client.get(url).status_code == 404
    shared_cache.clear()
    shared_cache.set_many(snapshot, None)  # the restart

    clock[0] += freshness.REUSE_SECONDS
    assert client.get(url).status_code == 404
    assert shared_cache.get(generation.GENERATION) > snapshot[generation.GENERATION]
