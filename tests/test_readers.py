"""长者模式 and 监督举报 through the paths readers take (the test client): the switch and
its cookie, the page cache's two variants, the report page and its settings."""

import pytest
from django.urls import reverse

from articles.caching.variants import ELDER_COOKIE
from articles.models import SiteSettings
from articles.portal.elder import safe_next
from tests.conftest import make_article, make_channel

pytestmark = pytest.mark.django_db

ELDER_HTML = '<html lang="zh-Hans" class="elder">'
NORMAL_HTML = '<html lang="zh-Hans">'


@pytest.fixture
def site(db):
    settings = SiteSettings.load()
    settings.report_enabled = True
    settings.report_phone = "0773-12388"
    settings.save()
    channel = make_channel("清廉之窗", "qinglian")
    article = make_article("七星区：跟进监督", channel=channel)
    return channel, article


def page_urls(site):
    channel, article = site
    return [
        "/",
        channel.get_absolute_url(),
        article.get_absolute_url(),
        "/search/?q=监督",
        "/jubao/",
        "/no-such-page/",
        "/zh-hant/",
    ]


def served(client, url):
    """(html, whether it came from the page cache: a cached page renders no template)."""
    response = client.get(url)
    return response.content.decode(), not response.templates


def test_the_switch_sets_the_cookie_and_goes_back_to_the_page(client, site):
    channel, _ = site
    path = channel.get_absolute_url() + "?page=2"
    response = client.get("/elder/", {"on": "1", "next": path})
    assert response.status_code == 302
    assert response["Location"] == path
    cookie = response.cookies[ELDER_COOKIE]
    assert cookie.value == "1"
    assert cookie["max-age"] >= 30 * 24 * 3600
    assert cookie["samesite"] == "Lax"
    assert "no-store" in response["Cache-Control"]
    response = client.get("/elder/", {"on": "0", "next": "/zh-hant/"})
    assert response["Location"] == "/zh-hant/"
    assert response.cookies[ELDER_COOKIE].value == "0"


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "\\\\evil.example",
        "///evil.example/",
        "javascript:alert(1)",
        "evil.example",
        "/\r\nSet-Cookie: x=1",
        "/\tevil",
        "",
    ],
)
def test_the_switch_never_sends_readers_to_another_site(client, site, target):
    """An open redirect through the switch, tried the usual ways: each lands on the home page."""
    response = client.get("/elder/", {"on": "1", "next": target})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert safe_next(target) == "/"


def test_the_switch_is_a_link_on_every_page_and_names_its_way_back(client, site):
    for url in page_urls(site):
        html = client.get(url).content.decode()
        assert 'class="elder-switch" href="/elder/?on=1&amp;next=' in html, url
    html = client.get("/search/?q=监督&utm=x").content.decode()
    assert "next=%2Fsearch%2F%3Fq%3D%25E7%259B%2591%25E7%259D%25A3" in html


def test_an_elder_reader_never_gets_the_normal_page_from_the_cache(client, site):
    """Normal first, then elder: the elder reader gets the elder page, and each variant is
    then served from the cache to the readers it is for — never to the others."""
    for url in page_urls(site):
        client.cookies.pop(ELDER_COOKIE, None)
        html, _ = served(client, url)
        assert 'class="elder"' not in html.split(">", 2)[1], url
        client.cookies[ELDER_COOKIE] = "1"
        html, hit = served(client, url)
        assert not hit, url
        assert '<html lang="zh-Han' in html and 'class="elder"' in html.split("<head>")[0], url
        assert "退出长者模式" in html or "退出長者模式" in html, url
        html, hit = served(client, url)
        assert hit and 'class="elder"' in html.split("<head>")[0], url
        client.cookies.pop(ELDER_COOKIE)
        html, hit = served(client, url)
        assert hit and 'class="elder"' not in html.split("<head>")[0], url


def test_a_normal_reader_never_gets_the_elder_page_from_the_cache(client, site):
    client.cookies[ELDER_COOKIE] = "1"
    assert ELDER_HTML in client.get("/").content.decode()
    for value in ("0", "", "yes", "1 "):
        client.cookies[ELDER_COOKIE] = value
        html, hit = served(client, "/")
        assert NORMAL_HTML in html, value
    del client.cookies[ELDER_COOKIE]
    html, hit = served(client, "/")
    assert hit and NORMAL_HTML in html


def test_without_javascript_the_link_turns_elder_mode_on_and_off(client, site):
    """Following the link (as a browser without scripts does) gives the elder page."""
    _, article = site
    html = client.get(article.get_absolute_url()).content.decode()
    assert NORMAL_HTML in html
    response = client.get("/elder/", {"on": "1", "next": article.get_absolute_url()}, follow=True)
    assert ELDER_HTML in response.content.decode()
    response = client.get("/elder/", {"on": "0", "next": "/"}, follow=True)
    assert NORMAL_HTML in response.content.decode()


def test_the_report_page_explains_what_and_how(client, site):
    html = client.get("/jubao/").content.decode()
    assert "可以举报什么" in html and "举报须知" in html
    assert 'href="https://www.12388.gov.cn/"' in html
    assert 'href="tel:077312388"' in html
    assert 'href="tel:12388"' in html
    hant = client.get("/zh-hant/jubao/").content.decode()
    assert "可以舉報什麼" in hant and 'href="tel:077312388"' in hant


def test_every_page_shows_the_entrance_and_the_numbers_to_call(client, site):
    for url in page_urls(site):
        html = client.get(url).content.decode()
        assert 'class="report-link" href="' in html, url
        assert 'href="tel:077312388"' in html, url
        assert 'href="https://www.12388.gov.cn/"' in html, url


def test_the_entrance_follows_the_settings(client, site):
    settings = SiteSettings.load()
    settings.report_enabled = False
    settings.save()
    assert client.get("/jubao/").status_code == 404
    html = client.get("/").content.decode()
    assert "report-link" not in html and "12388" not in html
    settings.report_enabled = True
    settings.report_phone = "+86 773 12388"
    settings.save()
    html = client.get("/").content.decode()
    assert 'href="tel:+8677312388"' in html


def test_the_reader_tools_are_labelled_in_both_scripts(client, site):
    html = client.get("/").content.decode()
    assert 'aria-controls="a11y-panel"' in html and 'aria-expanded="false"' in html
    assert "开始朗读" in html and "高对比度" in html
    hant = client.get("/zh-hant/").content.decode()
    assert "開始朗讀" in hant and "高對比度" in hant and "無障礙" in hant
    assert "長者模式" in hant and "監督舉報" in hant


def test_the_demo_turns_the_entrance_on(db):
    from django.core.management import call_command

    call_command("load_demo", verbosity=0)
    settings = SiteSettings.load()
    assert settings.report_enabled
    assert settings.report_url == "https://www.12388.gov.cn/"
    assert settings.report_phone


def test_the_report_page_costs_the_furniture_only(client, site, django_assert_num_queries):
    """Cold, the report page reads what every page reads (tree, settings, friendly links)
    and nothing more; then it is a cached page."""
    with django_assert_num_queries(3):
        client.get(reverse("articles:report"))
    with django_assert_num_queries(0):
        client.get(reverse("articles:report"))
