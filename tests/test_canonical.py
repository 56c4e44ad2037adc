"""Absolute URLs come from the site's configured origin, never from the request.

Pages, QR codes, feeds and sitemaps are cached for every reader: a request naming
another allowed host (``Host: localhost:6666``) or another scheme (X-Forwarded-Proto)
must not put that host or scheme into what the next reader gets.
"""

import html
import re
import xml.etree.ElementTree as ET

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from articles import paths
from articles.portal.qr import qr_png
from tests.conftest import make_article

pytestmark = pytest.mark.django_db

FOREIGN = {"HTTP_HOST": "localhost:6666"}
ORIGIN = "http://testserver"
ABSOLUTE = re.compile(r"""(?:https?:)?//[^\s"'<>]+""")


@pytest.fixture
def article(channel):
    return make_article("七星区：跟进监督", channel, summary="监督检查")


def own_urls(text):
    """Every absolute URL in ``text`` that is not an outside service's, unescaped."""
    outside = ("https://service.weibo.com/", "http://www.w3.org/", "http://www.sitemaps.org/")
    found = [html.unescape(url) for url in ABSOLUTE.findall(text)]
    return [url for url in found if not url.startswith(outside)]


def assert_on_origin(text):
    urls = own_urls(text)
    assert urls, "the page gives out absolute URLs"
    for url in urls:
        assert url.startswith(ORIGIN + "/"), url
    assert "localhost" not in text and "6666" not in text


def pages(article):
    return [
        "/",
        article.channel.get_absolute_url(),
        article.get_absolute_url(),
        f"/zh-hant{article.get_absolute_url()}",
        "/search/?q=监督",
        "/no-such-page/",
    ]


def test_a_foreign_host_does_not_reach_the_next_reader(client, article):
    """A page first rendered for ``Host: localhost:6666`` names only the site's origin, for
    that request and for every reader after it."""
    for path in pages(article):
        expected = 404 if path == "/no-such-page/" else 200
        first = client.get(path, **FOREIGN)
        assert first.status_code == expected, path
        assert_on_origin(first.content.decode())
        second = client.get(path)
        assert_on_origin(second.content.decode())


def test_the_article_page_links_name_the_origin(client, article):
    """Canonical, hreflang, og:url and the Weibo share link all carry the origin."""
    client.get(article.get_absolute_url(), **FOREIGN)
    page = client.get(article.get_absolute_url()).content.decode()
    path = article.get_absolute_url()
    assert f'<link rel="canonical" href="{ORIGIN}{path}">' in page
    assert f'<link rel="alternate" hreflang="zh-Hant" href="{ORIGIN}/zh-hant{path}">' in page
    assert f'<meta property="og:url" content="{ORIGIN}{path}">' in page
    weibo = html.unescape(re.search(r'class="share__weibo" href="([^"]+)"', page).group(1))
    assert "url=http%3A%2F%2Ftestserver%2Farticle%2F" in weibo


def test_a_forwarded_scheme_does_not_reach_the_next_reader(client, article, settings):
    """Behind the proxy, ``X-Forwarded-Proto: https`` on an http site changes no link."""
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    path = article.get_absolute_url()
    first = client.get(path, HTTP_X_FORWARDED_PROTO="https").content.decode()
    second = client.get(path).content.decode()
    for page in (first, second):
        assert "https://testserver" not in page
        assert f'<link rel="canonical" href="{ORIGIN}{path}">' in page


def test_the_qr_code_drawn_for_a_foreign_host_is_the_origins(client, article):
    """The QR code PNG (kept a day by browsers, longer by the server) holds the origin."""
    url = reverse("articles:qr", args=[article.pk])
    expected = qr_png(f"{ORIGIN}{article.get_absolute_url()}")
    assert client.get(url, **FOREIGN).content == expected
    assert client.get(url).content == expected
    hant = qr_png(f"{ORIGIN}/zh-hant{article.get_absolute_url()}")
    assert client.get(f"/zh-hant{url}", **FOREIGN).content == hant


@pytest.mark.parametrize(
    "path", ["/feed/", "/zh-hant/feed/", "/channel/jiceng/feed/", "/robots.txt"]
)
def test_feeds_and_robots_txt_name_the_origin(client, article, path):
    response = client.get(path, **FOREIGN)
    assert response.status_code == 200
    assert_on_origin(response.content.decode())


@pytest.mark.parametrize(
    "path", ["/sitemap.xml", "/sitemap-home.xml", "/sitemap-channels.xml", "/sitemap-articles.xml"]
)
def test_sitemaps_name_the_origin(client, article, path, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    response = client.get(path, HTTP_X_FORWARDED_PROTO="https", **FOREIGN)
    assert response.status_code == 200
    locations = [loc.text for loc in ET.fromstring(response.content).iter() if loc.text]
    assert any(text.startswith(ORIGIN + "/") for text in locations)
    assert_on_origin(response.content.decode())


def test_site_domain_tag_names_the_origins_host(client, article, settings):
    """SiteDomain, when the site settings leave it empty, is the origin's host."""
    settings.QINGLIAN_SITE_URL = "https://www.example.gov.cn"
    page = client.get("/", **FOREIGN).content.decode()
    assert '<meta name="SiteDomain" content="www.example.gov.cn">' in page
    assert '<link rel="canonical" href="https://www.example.gov.cn/">' in page


# --- where the origin comes from ------------------------------------------------------


def test_origin_is_the_configured_site_url(settings):
    settings.QINGLIAN_SITE_URL = "https://WWW.Example.gov.cn/"
    assert paths.site_origin() == "https://www.example.gov.cn"
    assert paths.absolute_url("/article/1/") == "https://www.example.gov.cn/article/1/"


def test_origin_falls_back_to_the_first_allowed_host(settings):
    """Unset, the origin is the first host ALLOWED_HOSTS names, over HTTPS when the site
    redirects to it; a leading-dot entry names its domain, "*" names none."""
    settings.QINGLIAN_SITE_URL = ""
    settings.ALLOWED_HOSTS = ["*", ".qinglian.gov.cn", "localhost"]
    settings.SECURE_SSL_REDIRECT = True
    assert paths.site_origin() == "https://qinglian.gov.cn"
    settings.SECURE_SSL_REDIRECT = False
    settings.ALLOWED_HOSTS = ["jw.example.org"]
    assert paths.site_origin() == "http://jw.example.org"


@pytest.mark.parametrize(
    "values",
    [
        {"QINGLIAN_SITE_URL": "", "ALLOWED_HOSTS": ["*"]},
        {"QINGLIAN_SITE_URL": "www.example.gov.cn"},
        {"QINGLIAN_SITE_URL": "ftp://www.example.gov.cn"},
        {"QINGLIAN_SITE_URL": "https://www.example.gov.cn/news/"},
    ],
)
def test_origin_that_names_no_site_fails_loudly(settings, values):
    for name, value in values.items():
        setattr(settings, name, value)
    with pytest.raises(ImproperlyConfigured):
        paths.site_origin()


def test_each_site_can_have_its_own_origin():
    """The coming county subsites each give their own origin."""

    class County:
        origin = "https://xq.example.gov.cn"

    assert (
        paths.absolute_url("/article/7/", site=County()) == "https://xq.example.gov.cn/article/7/"
    )


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("//evil.example/", ORIGIN + "/evil.example/"),
        ("/zh-hant/", ORIGIN + "/zh-hant/"),
        ("https://cdn.example.org/media/a.png", "https://cdn.example.org/media/a.png"),
        ("", ""),
    ],
)
def test_absolute_url_keeps_paths_on_the_site(path, expected):
    assert paths.absolute_url(path) == expected
