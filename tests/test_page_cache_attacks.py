"""Attacks on the page cache (issue 21 #3, #11) and on view counts, replayed: a page kept
for one host, scheme or query string is never served for another, flooding the query
string evicts nothing, and a failing cache never counts a view twice."""

import pytest
from django.core.cache import cache
from django.test import Client

from articles.caching import page_cache, view_counts
from tests.conftest import make_article
from tests.test_page_cache import served

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(channel):
    return make_article("七星区：跟进监督", channel=channel)


def test_a_page_kept_for_another_host_is_not_served(article):
    """A request with another allowed Host does not put that host into the page every
    following reader gets."""
    url = article.get_absolute_url()
    Client(HTTP_HOST="localhost:6666").get(url)
    reader = Client()
    page = reader.get(url).text
    assert "localhost" not in page
    assert "6666" not in page


def test_a_page_kept_for_https_is_not_served_over_http(article):
    """The scheme is part of what a page was rendered for."""
    url = article.get_absolute_url()
    Client().get(url, secure=True)
    assert served(Client(), url, secure=False)[1] is False


def test_cache_state_is_not_announced(client, article):
    """Neither a first nor a repeated request says whether it came from the cache."""
    for _ in range(2):
        response = client.get(article.get_absolute_url())
        assert "X-Page-Cache" not in response.headers


def test_query_string_flooding_evicts_no_page(client, article):
    """Thousands of made-up parameters make no new pages: the home page stays cached."""
    assert not served(client, "/")[1]
    for n in range(1100):
        client.get(f"/robots.txt?flood={n}")
        client.get(f"/?flood={n}")
    assert served(client, "/")[1]
    assert "flood" not in client.get("/?flood=1").text


def test_one_client_cannot_fill_the_cache(article, channel, monkeypatch):
    """Beyond its share a client's pages are rendered and not kept; others' still are."""
    monkeypatch.setattr(page_cache, "PAGES_PER_CLIENT", 5)
    flooder = Client(REMOTE_ADDR="203.0.113.7")
    url = channel.get_absolute_url()
    for n in range(1, 6):
        flooder.get(f"{url}?page={n}")
    assert served(flooder, f"{url}?page=1")[1]
    for _ in range(2):
        assert not served(flooder, f"{url}?page=6")[1]
    reader = Client(REMOTE_ADDR="198.51.100.2")
    reader.get(f"{url}?page=6")
    assert served(reader, f"{url}?page=6")[1]


def test_a_failed_cache_decrement_never_counts_views_twice(client, article, monkeypatch):
    """When the cache fails to take the moved views off its counter, the database does
    not get them: the next flush moves them, once."""
    for _ in range(3):
        client.get(article.get_absolute_url() + "?page=1")
    view_counts._send()

    def unreachable(*args, **kwargs):
        raise ValueError("Key not found (cache server unreachable).")

    monkeypatch.setattr(cache, "decr", unreachable)
    view_counts.flush()
    monkeypatch.undo()
    client.get(article.get_absolute_url() + "?page=1")  # a later reader
    view_counts.flush()
    article.refresh_from_db()
    assert article.view_count == 4


def test_too_many_parameters_are_refused_as_django_refuses_them(client, article):
    """More parameters than DATA_UPLOAD_MAX_NUMBER_FIELDS: 400, before any page is kept."""
    flood = "&".join(f"a{n}=1" for n in range(1001))
    assert client.get(f"/?{flood}").status_code == 400
    assert client.get(f"/?{flood}").status_code == 400


def test_the_same_query_written_two_ways_is_one_page(client, article):
    """Parameters the views read, in another order, with spaces, zeros and repeats (the
    last counts, as request.GET says), are the page already kept; bytes that are not
    UTF-8 are read as Django reads them, without an error."""
    url = "/search/?q=%E7%9B%91%E7%9D%A3&page=1"
    assert not served(client, url)[1]
    assert served(client, "/search/?utm=x&page=01&q=%E7%9B%91%E7%9D%A3%20")[1]
    assert served(client, "/search/?q=other&page=1&q=%E7%9B%91%E7%9D%A3")[1]
    assert client.get("/search/?q=%FF%FE").status_code == 200
