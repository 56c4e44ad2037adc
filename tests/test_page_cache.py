import re
from datetime import timedelta

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.caching import freshness, generation, view_counts
from articles.models import Article, FriendlyLink, SiteSettings
from tests.conftest import make_article, make_channel, relate


@pytest.fixture
def site(db):
    top = make_channel("清廉之窗", "qinglian")
    channel = make_channel("基层风采", "jiceng", parent=top)
    article = make_article("七星区：跟进监督", channel=channel)
    other = make_article("恭城：为民办实事", channel=channel)
    relate(article, other)
    return article, other, channel


def served(client, url, **extra):
    """(response, whether it came from the page cache): a cached page costs no query."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
    return response, len(queries) == 0


def pages(article, channel):
    return [reverse("articles:home"), channel.get_absolute_url(), article.get_absolute_url()]


def test_second_anonymous_request_is_served_from_cache_without_queries(client, site):
    """A reader's repeat request is answered from the page cache with no SQL at all."""
    article, _, channel = site
    for url in pages(article, channel):
        first, hit = served(client, url)
        assert not hit
        second, hit = served(client, url)
        assert hit, url
        assert second.content == first.content
        assert "X-Page-Cache" not in second and "X-Page-Cache" not in first


def test_editing_an_article_refreshes_every_page_showing_it(client, site):
    """A saved edit shows at once on home, channel, article and related-link pages."""
    article, other, channel = site
    urls = pages(article, channel) + [other.get_absolute_url()]
    other_urls = pages(other, channel)
    for url in urls + other_urls:
        client.get(url)
    other.title = "恭城：新标题"
    other.save()
    for url in [reverse("articles:home"), channel.get_absolute_url(), article.get_absolute_url()]:
        assert "恭城：新标题" in client.get(url).content.decode(), url


def test_unpublishing_removes_the_article_from_cached_pages(client, site):
    """Taking an article offline makes its page 404 and drops it from lists at once."""
    article, other, channel = site
    for url in pages(other, channel):
        client.get(url)
    other.status = Article.Status.OFFLINE
    other.save()
    assert client.get(other.get_absolute_url()).status_code == 404
    assert "恭城：为民办实事" not in client.get(channel.get_absolute_url()).content.decode()
    assert "恭城：为民办实事" not in client.get(article.get_absolute_url()).content.decode()


def test_a_newly_published_article_becomes_next_at_once(client, site):
    """Previous/next links, kept per content generation, follow a new article at once."""
    article, other, channel = site
    newest = max((article, other), key=lambda a: (a.published_at, a.pk))
    for query in ("", "?page=2"):
        assert client.get(newest.get_absolute_url() + query).context["next"] is None
    fresh = make_article("新发布的文章", channel=channel, published_at=timezone.now())
    for query in ("", "?page=2", "?page=3"):
        assert client.get(newest.get_absolute_url() + query).context["next"] == fresh


def test_scheduled_article_appears_when_its_time_comes_without_any_save(client, site, monkeypatch):
    """Cached pages turn fresh by themselves when a scheduled publication time passes."""
    article, _, channel = site
    later = timezone.now() + timedelta(hours=2)
    make_article("叠彩区：定时发布", channel=channel, published_at=later)
    assert "叠彩区：定时发布" not in client.get(channel.get_absolute_url()).content.decode()
    assert served(client, channel.get_absolute_url())[1]

    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() + timedelta(hours=3))
    assert "叠彩区：定时发布" in client.get(channel.get_absolute_url()).content.decode()


def test_logged_in_staff_are_never_served_cached_pages(admin_client, site):
    """Requests carrying a session see the live page and nothing they see is cached."""
    article, _, _ = site
    Client().get(article.get_absolute_url())  # a reader's copy in the cache
    for _ in range(2):
        response, hit = served(admin_client, article.get_absolute_url())
        assert response.status_code == 200
        assert not hit


def test_views_are_counted_on_cache_hits_without_a_write_per_request(client, site):
    """Every view counts, cached or not, and reaches the database only on a flush."""
    article, _, _ = site
    with CaptureQueriesContext(connection) as queries:
        for _ in range(5):
            client.get(article.get_absolute_url())
    assert not [q for q in queries if q["sql"].lstrip().upper().startswith("UPDATE")]
    article.refresh_from_db()
    assert article.view_count == 0
    assert view_counts.flush() == 5
    article.refresh_from_db()
    assert article.view_count == 5


def test_rendering_a_page_after_an_edit_reuses_cached_tree_and_settings(client, site):
    """Only the articles' own rows are read when the channel tree and settings are cached."""
    article, _, _ = site
    client.get(article.get_absolute_url())
    with CaptureQueriesContext(connection) as queries:
        response = client.get(article.get_absolute_url() + "?page=2")
    assert response.status_code == 200
    # The article with its related, previous and next articles, whose ids are kept.
    assert len(queries) == 1, [q["sql"] for q in queries]


def test_site_name_links_and_navigation_change_on_every_page_at_once(client, site):
    """The header, navigation and footer are rendered once per process and kept; a
    change to the settings, the links or the channels shows on the next page at once."""
    article, _, channel = site
    urls = pages(article, channel)
    for url in urls:
        client.get(url)
    settings = SiteSettings.load()
    settings.site_name = "清廉漓江"
    settings.save()
    FriendlyLink.objects.create(name="中央纪委国家监委网站", url="https://www.ccdi.gov.cn/")
    make_channel("新闻廉播", "xinwen")
    for url in urls:
        page = client.get(url).content.decode()
        assert '<span class="site-name">清廉漓江</span>' in page, url
        assert "中央纪委国家监委网站" in page, url
        assert 'href="/channel/xinwen/">新闻廉播</a>' in page, url
    hant = client.get("/zh-hant" + article.get_absolute_url()).content.decode()
    assert '<span class="site-name">清廉灕江</span>' in hant
    assert 'href="/zh-hant/channel/xinwen/">新聞廉播</a>' in hant


def test_navigation_marks_the_page_being_shown(client, site):
    """However the navigation is kept, each page marks its own link as current."""
    article, _, channel = site
    current = re.compile(r'<a href="([^"]*)" aria-current="page">')
    top = channel.parent.get_absolute_url()
    for url, marked in [
        (reverse("articles:home"), ["/"]),
        (top, [top]),
        (article.get_absolute_url(), []),
        (channel.get_absolute_url(), []),
        (reverse("articles:home") + "?page=2", ["/"]),
        (top, [top]),
    ]:
        nav = re.search(r'<nav class="site-nav".*?</nav>', client.get(url).content.decode(), re.S)
        assert current.findall(nav.group()) == marked, url


def test_cached_pages_carry_the_headers_of_a_rendered_page(client, site):
    """A page served from the cache has the security policy, language and Vary headers
    it had when rendered, in both language versions."""
    article, _, _ = site
    for url in [article.get_absolute_url(), "/zh-hant" + article.get_absolute_url()]:
        first, first_hit = served(client, url)
        second, second_hit = served(client, url)
        assert (first_hit, second_hit) == (False, True)
        for header in (
            "Content-Security-Policy",
            "Content-Language",
            "Vary",
            "X-Content-Type-Options",
            "Referrer-Policy",
        ):
            assert second[header] == first[header], header
        assert "script-src 'self'" in second["Content-Security-Policy"]
    assert second["Content-Language"] == "zh-hant"


@pytest.fixture
def clock(monkeypatch):
    """The clock by which a process decides to read the generation again."""
    now = [1000.0]
    monkeypatch.setattr(freshness, "_clock", lambda: now[0])
    return now


def test_a_change_made_by_another_process_reaches_readers_within_a_tenth_of_a_second(
    admin_client, site, clock
):
    """Another process's edit bumps the shared generation: this process's readers see it
    once REUSE_SECONDS have passed, editors at once."""
    article, other, channel = site
    reader = Client()
    url = channel.get_absolute_url()
    assert "恭城：为民办实事" in reader.get(url).content.decode()
    # What another process does on saving: the row, then the shared generation.
    Article.objects.filter(pk=other.pk).update(title="恭城：另一进程改的标题")
    generation.store().advance(0, lambda: 0)

    assert "恭城：另一进程改的标题" in admin_client.get(url).content.decode()
    clock[0] += freshness.REUSE_SECONDS
    page, hit = served(reader, url)
    assert not hit
    assert "恭城：另一进程改的标题" in page.content.decode()


def test_a_reader_s_page_costs_no_call_to_the_shared_cache(client, site, settings, clock):
    """With a shared cache in another server (Redis), a reader's cached page is served
    by the process alone: the generation read a moment ago, the page kept here."""
    locmem = "django.core.cache.backends.locmem.LocMemCache"
    settings.CACHES = {
        name: {"BACKEND": locmem, "LOCATION": f"{name}-in-test"}
        for name in ("default", "template_fragments", "pages")
    }
    article, _, _ = site
    assert not served(client, article.get_absolute_url())[1]
    shared = caches["default"]
    asked = []
    for method in ("get", "get_many", "set", "set_many"):
        real = getattr(shared, method)
        setattr(shared, method, lambda *a, real=real, **k: asked.append(a) or real(*a, **k))
    for _ in range(3):
        assert served(client, article.get_absolute_url())[1]
    assert asked == []
    # Another page of the same generation: its furniture is what this process holds.
    asked.clear()
    assert not served(client, article.get_absolute_url() + "?page=2")[1]
    assert [a for a in asked if "page" in str(a)] == []
