"""The site group's public side (docs/sites.md): each host its own site over one pool."""

import io

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.urls import reverse

from articles.caching import generation, memo
from articles.models import Placement
from tests import sites_fixtures
from tests.sites_fixtures import GONGCHENG, QIXING
from tests.test_queries import ARTICLE_QUERIES, CHANNEL_QUERIES, HOME_QUERIES

pytestmark = pytest.mark.django_db
group = sites_fixtures.group


def test_two_hosts_serve_different_homes_from_one_database(client, group):
    city = client.get("/").content.decode()
    county = client.get("/", HTTP_HOST=QIXING).content.decode()
    assert "清廉桂林" in city and "清廉七星" not in city
    assert "清廉七星" in county
    # The county's own article on its home only; the city's carried channel on both.
    assert group.county_article.title in county
    assert group.county_article.title not in city
    assert group.city_article.title in county and group.city_article.title in city
    # A channel it does not carry is not in its navigation, nor answered.
    assert "基层风采" not in county
    assert client.get(group.jiceng.get_absolute_url(), HTTP_HOST=QIXING).status_code == 404


def test_each_site_keeps_its_own_cached_pages(client, group):
    """The page cache keys pages by site: the second request of each host is its own."""
    for _ in range(2):
        assert "清廉七星" in client.get("/", HTTP_HOST=QIXING).content.decode()
        assert "清廉恭城" in client.get("/", HTTP_HOST=GONGCHENG).content.decode()
        assert "清廉桂林" in client.get("/").content.decode()


def test_a_county_article_is_not_answered_by_the_city_nor_another_county(client, group):
    url = group.county_article.get_absolute_url()
    assert client.get(url, HTTP_HOST=QIXING).status_code == 200
    assert client.get(url).status_code == 404
    assert client.get(url, HTTP_HOST=GONGCHENG).status_code == 404


def test_unknown_host_answers_as_the_main_site_or_400_by_setting(client, group, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "elsewhere.example"]
    page = client.get("/", HTTP_HOST="elsewhere.example")
    assert page.status_code == 200 and "清廉桂林" in page.content.decode()
    settings.QINGLIAN_UNKNOWN_HOST = "reject"
    assert client.get("/", HTTP_HOST="elsewhere.example").status_code == 400
    assert client.get("/", HTTP_HOST=QIXING).status_code == 200


def test_links_carry_the_site_host(client, group):
    """og:url, feeds, sitemaps and robots.txt name the county's own host."""
    page = client.get(group.county_article.get_absolute_url(), HTTP_HOST=QIXING)
    assert f'content="http://{QIXING}{group.county_article.get_absolute_url()}"' in page.text
    robots = client.get("/robots.txt", HTTP_HOST=QIXING).text
    assert f"Sitemap: http://{QIXING}/sitemap.xml" in robots
    feed = client.get(reverse("articles:feed"), HTTP_HOST=QIXING).text
    assert f"<link>http://{QIXING}/</link>" in feed
    assert group.county_article.title in feed and "基层风采的市里文章" not in feed
    section = client.get("/sitemap-articles.xml", HTTP_HOST=QIXING).text
    assert f"http://{QIXING}{group.county_article.get_absolute_url()}" in section
    assert group.city_article.get_absolute_url() in section  # carried
    assert "/channel/jiceng/" not in client.get("/sitemap-channels.xml", HTTP_HOST=QIXING).text


def test_search_and_traditional_version_per_site(client, group):
    link = f'href="{group.county_article.get_absolute_url()}"'
    found = client.get(reverse("articles:search"), {"q": "廉政谈话"}, HTTP_HOST=QIXING).text
    assert link in found
    city = client.get(reverse("articles:search"), {"q": "廉政谈话"}).text
    assert link not in city
    county = client.get("/zh-hant/", HTTP_HOST=QIXING).content.decode()
    assert "清廉七星" in county


def test_an_article_placed_in_a_city_channel_shows_there_with_that_breadcrumb(client, group):
    Placement.objects.create(article=group.county_article, channel=group.jiceng)
    listing = client.get(group.jiceng.get_absolute_url()).content.decode()
    assert group.county_article.title in listing
    page = client.get(group.county_article.get_absolute_url()).content.decode()
    assert "来源：七星区纪委监委" in page
    assert group.jiceng.get_absolute_url() in page  # the breadcrumb names the city channel


def forget():
    """As a process that has rendered nothing yet."""
    for each in caches.all():
        each.clear()
    memo.reset()
    generation.store().advance(0, lambda: 0)  # as tests/conftest.py starts each test


def test_county_pages_keep_the_query_budgets(client, group, django_assert_num_queries):
    pages = [
        (HOME_QUERIES, "/"),
        (CHANNEL_QUERIES, group.qixing_news.get_absolute_url()),
        (ARTICLE_QUERIES, group.county_article.get_absolute_url()),
    ]
    for budget, url in pages:
        forget()
        with django_assert_num_queries(budget):
            assert client.get(url, HTTP_HOST=QIXING).status_code == 200


def test_demo_command_prints_the_county_sites_addresses(db):
    out = io.StringIO()
    call_command("demo", "--no-serve", stdout=out)
    assert "七星区: http://qixing.localhost/" in out.getvalue()
    assert "恭城: http://gongcheng.localhost/" in out.getvalue()


def test_an_edit_of_a_placed_article_reaches_the_channel_it_was_placed_in(client, group):
    Placement.objects.create(article=group.county_article, channel=group.jiceng)
    assert group.county_article.title in client.get(group.jiceng.get_absolute_url()).text
    group.county_article.title = "七星区：廉政谈话覆盖全部新提任干部"
    group.county_article.save()
    assert "廉政谈话覆盖全部新提任干部" in client.get(group.jiceng.get_absolute_url()).text


def test_a_countys_pushes_never_crowd_the_citys_slot(client, group):
    """The slots are the group's, each home showing its own articles: a county's pushes
    ahead of the city's take none of the places the city's home has, and the county's
    home shows its own up to the slot's size."""
    from articles.models import Slot, slots
    from tests.conftest import make_article, place
    from tests.test_slots import carousel_titles

    carousel = Slot.objects.get(key=slots.CAROUSEL)
    carousel.size = 2
    carousel.save()
    for i in range(3):
        county = make_article(f"七星推荐{i}", group.qixing_news, site=group.qixing)
        place(county, key=slots.CAROUSEL, position=i)
    for i in range(3):
        place(make_article(f"市里推荐{i}", group.news), key=slots.CAROUSEL, position=10 + i)
    assert carousel_titles(client.get("/").text) == ["市里推荐0", "市里推荐1"]
    county_home = client.get("/", headers={"host": QIXING}).text
    assert carousel_titles(county_home) == ["七星推荐0", "七星推荐1"]
