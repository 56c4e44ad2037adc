"""排序: pinned first, then the editors' weight, then newest first — in channel lists,
home blocks and every page of a long channel."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.conftest import make_article, make_channel
from tests.test_admin import article_form

pytestmark = pytest.mark.django_db


def titles(html):
    return re.findall(
        r'<li class="article-list__item">\s*<a [^>]*>(?:<span[^>]*>[^<]*</span>)?([^<]+)<', html
    )


@pytest.fixture
def channel(db):
    return make_channel("工作动态", "gzdt")


def test_channel_list_sorts_pinned_then_weight_then_newest(channel, client):
    now = timezone.now()

    def article(title, hours, **kwargs):
        return make_article(title, channel, published_at=now - timedelta(hours=hours), **kwargs)

    article("最新", 1)
    article("较旧", 5)
    article("加权旧文", 9, weight=10)
    article("置顶", 20, is_pinned=True)
    article("降权新文", 0.5, weight=-1)
    article("加权更重", 30, weight=20)

    expected = ["置顶", "加权更重", "加权旧文", "最新", "较旧", "降权新文"]
    assert titles(client.get(channel.get_absolute_url()).text) == expected
    assert titles(client.get("/").text) == expected  # the channel's home block


def test_weight_holds_on_later_pages(channel, client):
    """The weighted article of page 2 is where the order puts it, on every page."""
    now = timezone.now()
    for i in range(45):
        make_article(f"文章{i:02d}", channel, published_at=now - timedelta(hours=i + 1))
    make_article("沉底", channel, published_at=now, weight=-5)
    third = titles(client.get(channel.get_absolute_url() + "?page=3").text)
    assert third[-1] == "沉底"
    assert "沉底" not in titles(client.get(channel.get_absolute_url()).text)


def test_editor_sets_the_weight_on_the_form(admin_client, channel):
    data = article_form(admin_client, channel, title="排序靠前", weight="8")
    assert admin_client.post(reverse("admin:articles_article_add"), data).status_code == 302
    assert Article.objects.get().weight == 8
    page = admin_client.get(reverse("admin:articles_article_changelist")).text
    assert "排序 8" in page
    form = admin_client.get(reverse("admin:articles_article_add")).text
    assert "从大到小排列" in form


def test_list_order_is_served_by_its_index(channel):
    """The channel list's ORDER BY matches the article_channel_list index column by
    column, so a database walks the index instead of sorting a channel's rows."""
    index = next(i for i in Article._meta.indexes if i.name == "article_channel_list")
    ordering = Article.objects.published().for_list().query.order_by
    assert list(index.fields[2:]) == list(ordering[:3])
