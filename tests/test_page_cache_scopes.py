"""Invalidate what changed, not the world (docs/caching.md, issue 14 #3): an edit of one
published article re-renders the pages that show it, and leaves the others cached."""

import contextlib

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article, Channel, FriendlyLink
from tests.conftest import make_article, make_channel, relate
from tests.test_freshness import commit

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(db):
    """Two branches of the tree: 清廉之窗 › 基层风采 (X) holds A, 工作动态 (Y) holds B and C,
    and C links to A as related."""
    with commit():
        top = make_channel("清廉之窗", "qinglian")
        x = make_channel("基层风采", "jiceng", parent=top)
        y = make_channel("工作动态", "gongzuo")
        a = make_article("七星区：跟进监督", channel=x)
        neighbour = make_article("七星区：更早的一篇", channel=x)
        neighbour.published_at = a.published_at.replace(minute=0) - a.published_at.resolution
        neighbour.save()
        b = make_article("恭城：为民办实事", channel=y)
        c = make_article("恭城：相关报道", channel=y)
        relate(c, a)
    return {"top": top, "x": x, "y": y, "a": a, "b": b, "c": c, "neighbour": neighbour}


def served(client, url):
    """(text, whether it came from the page cache: no query at all)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode(), len(queries) == 0


def urls(site):
    a, b, c = site["a"], site["b"], site["c"]
    return {
        "a": a.get_absolute_url(),
        "x": site["x"].get_absolute_url(),
        "top": site["top"].get_absolute_url(),
        "home": reverse("articles:home"),
        "feed": reverse("articles:feed"),
        "search": reverse("articles:search") + "?q=七星区",
        "neighbour": site["neighbour"].get_absolute_url(),
        "c": c.get_absolute_url(),
        "b": b.get_absolute_url(),
        "y": site["y"].get_absolute_url(),
    }


def warm(client, pages):
    for url in pages.values():
        client.get(url)
    assert all(served(client, url)[1] for url in pages.values())


# In a test's transaction (the writing process's own readers) and committed (every
# process, through the shared store).
WRITES = [contextlib.nullcontext, commit]


@pytest.mark.parametrize("written", WRITES, ids=["in-transaction", "committed"])
def test_an_edit_re_renders_the_pages_showing_the_article_and_no_other(client, site, written):
    pages = urls(site)
    warm(client, pages)
    with written(), transaction.atomic():
        a = Article.objects.get(pk=site["a"].pk)
        a.title = "七星区：新标题"
        a.save()
    for name in ("a", "x", "top", "home", "feed", "search", "neighbour", "c"):
        text, hit = served(client, pages[name])
        assert not hit, name
        assert "新标题" in text, name
    # Another channel's page, and an article page there that does not link to A.
    for name in ("b", "y"):
        assert served(client, pages[name])[1], name


@pytest.mark.parametrize("written", WRITES, ids=["in-transaction", "committed"])
def test_a_move_to_another_channel_refreshes_both(client, site, written):
    pages = urls(site)
    warm(client, pages)
    with written():
        a = Article.objects.get(pk=site["a"].pk)
        a.channel = site["y"]
        a.save()
    assert "七星区：跟进监督" not in served(client, pages["x"])[0]
    assert "七星区：跟进监督" in served(client, pages["y"])[0]


@pytest.mark.parametrize("written", WRITES, ids=["in-transaction", "committed"])
def test_a_takedown_and_a_deletion_leave_every_page_that_showed_the_article(client, site, written):
    pages = urls(site)
    warm(client, pages)
    with written():
        Article.objects.filter(pk=site["a"].pk).get().delete()
    assert client.get(pages["a"]).status_code == 404
    for name in ("x", "top", "home", "c", "neighbour"):
        text, hit = served(client, pages[name])
        assert "七星区：跟进监督" not in text, name
    assert served(client, pages["b"])[1]
    assert served(client, pages["y"])[1]


def test_a_new_related_link_refreshes_only_the_page_that_links(client, site):
    pages = urls(site)
    warm(client, pages)
    with commit():
        relate(site["b"], site["a"])
    text, hit = served(client, pages["b"])
    assert not hit and "七星区：跟进监督" in text
    assert served(client, pages["y"])[1]
    assert served(client, pages["x"])[1]


def test_a_draft_linked_from_a_published_page_shows_there_once_published(client, site):
    """The page that links to an article not yet published is re-rendered when it is."""
    with commit():
        draft = make_article("恭城：待发布", channel=site["x"], status=Article.Status.DRAFT)
        relate(site["b"], draft)
    pages = urls(site)
    warm(client, pages)
    with commit():
        draft.status = Article.Status.PUBLISHED
        draft.save()
    assert "恭城：待发布" in served(client, pages["b"])[0]
    assert served(client, pages["y"])[1]


@pytest.mark.parametrize(
    "change",
    [
        lambda site: Channel.objects.filter(pk=site["x"].pk).get().save(),
        lambda site: FriendlyLink.objects.create(name="广西纪检监察网", url="https://example.org/"),
    ],
    ids=["channel", "friendly-link"],
)
def test_changes_to_the_tree_and_the_furniture_still_make_everything_stale(client, site, change):
    pages = urls(site)
    warm(client, pages)
    with commit():
        change(site)
    for name in ("b", "y", "a", "home"):
        assert not served(client, pages[name])[1], name
