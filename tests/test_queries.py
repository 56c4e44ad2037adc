"""Query budgets: every public page costs the same few queries whatever the site holds."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import FriendlyLink, SiteSettings
from tests.conftest import make_article, make_channel, make_source, relate

pytestmark = pytest.mark.django_db

# Measured, then pinned. A change here means a page now reads the database differently.
# Each page's footer adds one: the friendly links (友情链接), cached like the site settings.
HOME_QUERIES = 6  # tree, settings, links, all channel lists (listings.py), slots, articles
CHANNEL_QUERIES = 5  # tree, settings, links, all channel lists (listings.py), one page of articles
ARTICLE_QUERIES = 5  # article, tree, related with previous and next, settings, links

ITEM = re.compile(r'<li class="article-list__item">')


def items(response):
    """How many article-list items the page shows."""
    return len(ITEM.findall(response.content.decode()))


@pytest.fixture(autouse=True)
def site_settings(db):
    """The site settings row exists, as it does on a running site."""
    site = SiteSettings.load()
    site.weibo_url = "https://weibo.com/"
    site.save()
    for position in range(3):
        FriendlyLink.objects.create(
            name=f"链接{position}", url=f"https://example.org/{position}", position=position
        )
    return site


@pytest.fixture
def small_site():
    """One channel holding one article."""
    channel = make_channel("新闻廉播", "xinwen")
    article = make_article("唯一文章", channel, source=make_source(), is_featured=True)
    return channel, article


@pytest.fixture
def big_site():
    """60 articles over 15 channels in a three-level tree; the first branch has 44 of them."""
    now = timezone.now()
    channels = []
    for t in range(3):
        top = make_channel(f"顶级{t}", f"top-{t}", position=t)
        channels.append(top)
        for c in range(5 if t == 0 else 1):
            child = make_channel(f"子{t}-{c}", f"child-{t}-{c}", parent=top, position=c)
            channels.append(child)
            if t == 0:
                channels.append(make_channel(f"孙{t}-{c}", f"grand-{t}-{c}", parent=child))
    assert len(channels) == 15
    sources = [make_source() for _ in range(5)]
    articles = [
        make_article(
            f"文章{i:02d}",
            channels[i % 15],
            source=sources[i % 5],
            author="通讯员 李明" if i % 2 else "",
            is_featured=i % 7 == 0,
            is_pinned=i % 11 == 0,
            published_at=now - timedelta(hours=i + 1),
        )
        for i in range(60)
    ]
    article = articles[30]
    relate(article, *articles[:10])
    return channels, articles


def test_home_small_site(client, small_site, django_assert_num_queries):
    """The home page with one article costs the pinned number of queries."""
    with django_assert_num_queries(HOME_QUERIES):
        response = client.get(reverse("articles:home"))
    assert response.status_code == 200
    assert "唯一文章" in response.content.decode()


def test_home_big_site(client, big_site, django_assert_num_queries):
    """The home page of a full site costs the same queries as with one article."""
    with django_assert_num_queries(HOME_QUERIES):
        response = client.get(reverse("articles:home"))
    assert response.status_code == 200
    # Three blocks of eight, plus four headlines after the lead.
    assert items(response) == 3 * 8 + 4
    assert len(response.context["blocks"]) == 3


def test_channel_small_site(client, small_site, django_assert_num_queries):
    """A channel page with one article costs the pinned number of queries."""
    channel, _ = small_site
    with django_assert_num_queries(CHANNEL_QUERIES):
        response = client.get(channel.get_absolute_url())
    assert response.status_code == 200
    assert items(response) == 1


@pytest.mark.parametrize(("number", "count"), [(1, 20), (3, 4)])
def test_channel_big_site(client, big_site, django_assert_num_queries, number, count):
    """Any page of a deep channel costs the same queries as a channel with one article."""
    channels, _ = big_site
    url = f"{channels[0].get_absolute_url()}?page={number}"
    with django_assert_num_queries(CHANNEL_QUERIES):
        response = client.get(url)
    assert response.status_code == 200
    assert items(response) == count
    assert f"第 {number} 页 / 共 3 页" in response.content.decode()


def test_article_small_site(client, small_site, django_assert_num_queries):
    """An article page with nothing related costs the pinned number of queries."""
    _, article = small_site
    with django_assert_num_queries(ARTICLE_QUERIES):
        response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert "唯一文章" in response.content.decode()


def test_article_big_site(client, big_site, django_assert_num_queries):
    """An article page with ten related links and neighbours costs the same queries."""
    _, articles = big_site
    article = articles[30]
    with django_assert_num_queries(ARTICLE_QUERIES):
        response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert items(response) == 10
    assert response.context["previous"] == articles[45]
    assert response.context["next"] == articles[15]
    assert "来源：" in page and "作者：" not in page


def test_previous_next_and_related_are_named_queries(big_site, django_assert_num_queries):
    """The article page's neighbours and related links come from named QuerySet methods
    (``before``, ``after``, ``related_to``), each one query starting from published()."""
    from articles.models import Article

    _, articles = big_site
    article = articles[30]
    published = Article.objects.published()
    with django_assert_num_queries(3):
        previous = published.before(article).first()
        following = published.after(article).first()
        related = set(published.related_to(article))
    assert (previous, following) == (articles[45], articles[15])
    assert related == set(article.related.all())
    assert len(related) == 10
    # Only published ones, and only the article's own channel.
    articles[45].status = Article.Status.OFFLINE
    articles[45].save()
    assert published.before(article).first() is None  # 45 was the oldest of its channel
    assert all(a.channel_id == article.channel_id for a in published.after(article))
