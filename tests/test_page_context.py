"""One page context per request; ids bounded by the URL; what the Redis cache relies on
in Django's client, pinned."""

from pathlib import Path

import pytest
from django.core.cache.backends.redis import RedisCacheClient

from articles.caching.redis import ResilientRedisCache
from tests.conftest import make_article

ROOT = Path(__file__).resolve().parent.parent
# The modules that used to talk through private request attributes.
MODULES = [
    "articles/caching/freshness.py",
    "articles/caching/page_cache.py",
    "articles/portal/views.py",
    "articles/portal/listings.py",
    "articles/portal/context_processors.py",
    "articles/portal/context.py",
]


@pytest.mark.django_db
def test_a_public_page_builds_one_page_context(client, channel):
    """The article page's tree, settings, links and generation come from one object."""
    article = make_article("七星区：跟进监督", channel=channel)
    response = client.get(article.get_absolute_url())
    context = response.wsgi_request.page_context
    assert context.tree.by_id[channel.pk].name == channel.name
    assert response.context["site_settings"] is context.settings
    assert response.context["fragment_scope"].startswith(context.generation)


def test_no_private_request_attributes():
    """Pages share what they need through the page context, not ``request._…``."""
    for module in MODULES:
        assert "request._" not in (ROOT / module).read_text(), module


@pytest.mark.django_db
@pytest.mark.parametrize("pk", ["9223372036854775808", "99999999999999999999999"])
def test_ids_beyond_the_database_answer_404(client, pk):
    """An id no database column can hold matches no page."""
    assert client.get(f"/article/{pk}/").status_code == 404
    assert client.get(f"/article/{pk}/qr.png").status_code == 404


def test_what_the_redis_cache_relies_on_in_django_s_client():
    """articles/caching/redis.py reuses one redis client per connection pool through two
    private methods of Django's RedisCacheClient; a Django upgrade that changes them
    fails here, not in production."""
    assert callable(RedisCacheClient._get_connection_pool)
    cache = ResilientRedisCache("redis://127.0.0.1:1/0", {})
    client = cache._cache
    assert client._client is not None
    assert client.get_client(write=True) is client.get_client(write=True)
    assert client.get_client(write=False) is client.get_client(write=False)
