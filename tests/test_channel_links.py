"""Channels that are links (转向链接): a navigation entry leading to another site, such
as a PHPCMS type-2 category; it has no page of its own and holds no articles."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from articles.inspections.freshness import channel_states
from articles.models import Article, Channel
from tests.conftest import make_article, make_channel
from tests.test_admin import admin_form, article_form
from tests.test_page_cache_scopes import served

pytestmark = pytest.mark.django_db
TARGET = "https://www.ccdi.gov.cn/"


@pytest.fixture
def link(db):
    return make_channel("中央纪委网站", "ccdi", external_url=TARGET, position=9)


@pytest.fixture
def news(db):
    return make_channel("工作动态", "gzdt", position=1)


def anchor_of(html, name):
    found = re.search(rf"<a [^>]*>{re.escape(name)}.*?</a>", html)
    assert found, name
    return found.group(0)


def test_admin_adds_a_link_channel_with_a_chinese_label_and_help(admin_client):
    url = reverse("admin:articles_channel_add")
    page = admin_client.get(url).text
    assert "转向链接" in page and "读者点栏目名直接打开这个网址" in page
    data = admin_form(admin_client, url, name="中央纪委网站", slug="ccdi", external_url=TARGET)
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.text
    assert Channel.objects.get(slug="ccdi").external_url == TARGET


@pytest.mark.parametrize("bad", ["javascript:alert(1)", "ftp://example.gov.cn/", "/html/zt/"])
def test_a_link_other_than_http_is_refused_in_chinese(admin_client, bad):
    url = reverse("admin:articles_channel_add")
    data = admin_form(admin_client, url, name="专题", slug="zt", external_url=bad)
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "请填写以 http:// 或 https:// 开头的完整网址" in response.text
    assert not Channel.objects.filter(slug="zt").exists()


def test_a_channel_holding_articles_cannot_become_a_link(admin_client, news):
    make_article("七星区：跟进监督", news)
    url = reverse("admin:articles_channel_change", args=[news.pk])
    response = admin_client.post(url, admin_form(admin_client, url, external_url=TARGET))
    assert response.status_code == 200
    assert "这个栏目里已有文章，不能改为转向链接" in response.text
    news.refresh_from_db()
    assert news.external_url == ""


def test_the_navigation_links_to_the_site_marked_as_leaving(client, news, link):
    make_article("七星区：跟进监督", news)
    html = client.get("/").text
    nav = re.search(r'<nav class="site-nav".*?</nav>', html, re.S).group(0)
    anchor = anchor_of(nav, "中央纪委网站")
    assert f'href="{TARGET}"' in anchor and 'rel="external noopener"' in anchor
    assert '<span class="tag tag--external">外链</span>' in anchor
    assert link.get_absolute_url() not in html
    # No empty block of articles for it on the home page; the list channel has one.
    assert f'id="block-{link.pk}"' not in html and f'id="block-{news.pk}"' in html


def test_a_link_below_a_channel_is_marked_in_its_list_of_subchannels(client, news):
    make_channel("上级网站", "sjwz", parent=news, external_url=TARGET)
    html = client.get(news.get_absolute_url()).text
    aside = re.search(r'<ul class="subchannels">.*?</ul>', html, re.S).group(0)
    anchor = anchor_of(aside, "上级网站")
    assert f'href="{TARGET}"' in anchor and "外链" in anchor


def test_its_own_address_redirects_to_the_site(client, link):
    response = client.get(link.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"] == TARGET
    assert client.get(reverse("articles:channel-feed", args=[link.slug])).status_code == 404


def test_the_sitemap_leaves_it_out(client, news, link):
    sitemap = client.get("/sitemap-channels.xml").text
    assert news.get_absolute_url() in sitemap
    assert link.get_absolute_url() not in sitemap


def test_the_article_form_does_not_offer_it_and_refuses_it(admin_client, news, link):
    page = admin_client.get(reverse("admin:articles_article_add")).text
    picker = re.search(r'<select name="channel".*?</select>', page, re.S).group(0)
    assert "工作动态" in picker and "中央纪委网站" not in picker
    data = article_form(admin_client, news, title="放错栏目", channel=link.pk)
    response = admin_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 200
    assert not Article.objects.exists()
    # The model says why, for any other way in (an import, a script).
    with pytest.raises(ValidationError, match="这个栏目是转向链接，不能放文章"):
        Article(title="放错栏目", channel=link, body="<p>正文。</p>").full_clean()


def test_a_channel_made_a_link_shows_on_cached_pages(client, news):
    make_article("七星区：跟进监督", news)
    culture = make_channel("廉政文化", "lzwh", position=2)
    client.get("/")
    assert served(client, "/")[1]
    culture.external_url = TARGET
    culture.save()
    html, hit = served(client, "/")
    assert not hit
    assert f'href="{TARGET}"' in anchor_of(html, "廉政文化")


def test_the_update_check_leaves_it_out(news, link):
    """网站检查's channel update limits: a link channel is never updated here, and is
    not reported as a channel left without news."""
    checked = [state.channel.pk for state in channel_states()]
    assert news.pk in checked and link.pk not in checked
