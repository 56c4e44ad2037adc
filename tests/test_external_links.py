"""External-link articles (转向链接): a title in lists that leads to another site."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from articles.models import Article
from tests.conftest import make_article, make_channel, place, relate
from tests.test_admin import article_form

pytestmark = pytest.mark.django_db
TARGET = "https://www.gxjjjc.gov.cn/tzgg/202501/t20250110_1.html"


@pytest.fixture
def channel(db):
    return make_channel("通知公告", "tzgg")


@pytest.fixture
def external(channel):
    return make_article("自治区纪委监委关于开展培训的通知", channel, body="", external_url=TARGET)


def link_to(html, title):
    """The <a> element whose text starts with ``title``."""
    pinned = r'(?:<span class="tag">[^<]*</span>)?'
    found = re.search(rf"<a [^>]*>{pinned}{re.escape(title)}.*?</a>", html)
    assert found, title
    return found.group(0)


def test_admin_saves_a_title_with_a_link_and_no_body(admin_client, channel):
    """An editor fills in the title and the link only; the article is saved."""
    data = article_form(admin_client, channel, title="上级通知", body="", external_url=TARGET)
    response = admin_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 302, response.text
    assert Article.objects.get().external_url == TARGET


def test_body_is_still_required_without_a_link(admin_client, channel):
    data = article_form(admin_client, channel, title="空文章", body="")
    response = admin_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 200
    assert "请填写正文" in response.text and "转向链接" in response.text
    assert not Article.objects.exists()


@pytest.mark.parametrize(
    "bad",
    [
        "javascript:alert(1)",
        "JavaScript:alert(document.cookie)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "ftp://files.example.gov.cn/a.pdf",
        "file:///etc/passwd",
    ],
)
def test_link_other_than_http_is_refused_with_a_clear_message(admin_client, channel, bad):
    """Only http and https addresses: anything a browser would run or show from the
    link itself is refused, and the editor is told what to write instead."""
    data = article_form(admin_client, channel, title="恶意链接", body="", external_url=bad)
    response = admin_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 200
    assert "请填写以 http:// 或 https:// 开头的完整网址" in response.text
    assert not Article.objects.exists()


def test_lists_link_to_the_target_marked_as_leaving_the_site(client, channel, external):
    """Channel list, home block and headlines lead to the target, marked 外链 in words
    (read by screen readers as well as seen) and rel="external noopener"."""
    place(external)
    for url in (channel.get_absolute_url(), "/"):
        html = client.get(url).text
        link = link_to(html, external.title)
        assert f'href="{TARGET}"' in link
        assert 'rel="external noopener"' in link
        assert '<span class="tag tag--external">外链</span>' in link
        assert external.get_absolute_url() not in html


def test_its_own_address_redirects_to_the_target(client, external):
    response = client.get(external.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"] == TARGET


def test_an_unpublished_external_article_does_not_redirect(client, channel):
    draft = make_article(
        "未发布的转向", channel, body="", external_url=TARGET, status=Article.Status.DRAFT
    )
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_related_and_neighbour_links_go_to_the_target(client, channel, external):
    article = make_article("普通文章", channel)
    relate(article, external)
    html = client.get(article.get_absolute_url()).text
    related = re.search(r'<section class="related".*?</section>', html, re.S).group(0)
    assert f'href="{TARGET}"' in related and "外链" in related
    # The external one is the previous article of the channel (older than the other).
    nav = re.search(r'<nav class="prev-next".*?</nav>', html, re.S).group(0)
    assert f'href="{TARGET}"' in nav


def test_feed_item_leads_to_the_target_and_sitemap_leaves_it_out(client, channel, external):
    other = make_article("普通文章", channel)
    feed = client.get(reverse("articles:feed")).text
    assert f"<link>{TARGET}</link>" in feed
    own = f"http://testserver{external.get_absolute_url()}"
    assert f'<guid isPermaLink="false">{own}</guid>' in feed
    sitemap = client.get("/sitemap-articles.xml").text
    assert other.get_absolute_url() in sitemap
    assert external.get_absolute_url() not in sitemap


def test_search_result_leads_to_the_target(client, channel, external):
    html = client.get(reverse("articles:search"), {"q": "培训"}).text
    assert f'href="{TARGET}"' in link_to_search(html)


def link_to_search(html):
    return re.search(r'<h2 class="search-result__title">.*?</h2>', html, re.S).group(0)


def test_a_link_stored_without_the_form_is_never_a_live_link(client, channel):
    """A javascript: address that reached the database without the form (an import)
    is not put in any href, and the article keeps its own page."""
    article = make_article("导入的文章", channel)
    Article.objects.filter(pk=article.pk).update(external_url="javascript:alert(1)")
    html = Client().get(channel.get_absolute_url()).text
    assert "javascript:" not in html
    assert client.get(article.get_absolute_url()).status_code == 200


def test_preview_says_readers_go_to_the_target(admin_client, external):
    page = admin_client.get(reverse("admin:articles_article_preview", args=[external.pk])).text
    assert "这是转向链接文章" in page and f'href="{TARGET}"' in page
