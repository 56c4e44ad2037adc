"""Article.objects.published() is the one visibility rule, and every public page obeys it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.conftest import make_article, make_channel, relate

pytestmark = pytest.mark.django_db

HIDDEN_KINDS = ["draft", "pending", "offline", "future"]


def make_hidden(kind, channel, title=None, **kwargs):
    """An article readers must not see, of the given kind."""
    title = title or f"不可见文章-{kind}"
    if kind == "future":
        kwargs.setdefault("published_at", timezone.now() + timedelta(days=1))
        return make_article(title, channel, status=Article.Status.PUBLISHED, **kwargs)
    status = {
        "draft": Article.Status.DRAFT,
        "pending": Article.Status.PENDING,
        "offline": Article.Status.OFFLINE,
    }[kind]
    kwargs.setdefault("published_at", timezone.now() - timedelta(days=1))
    return make_article(title, channel, status=status, **kwargs)


@pytest.fixture
def hidden(channel):
    """One article of every hidden kind, each featured and pinned to be as loud as possible."""
    return {
        kind: make_hidden(kind, channel, is_featured=True, is_pinned=True) for kind in HIDDEN_KINDS
    }


@pytest.mark.parametrize("kind", HIDDEN_KINDS)
def test_published_excludes_hidden_articles(channel, kind):
    """Drafts, pending, offline and future-dated articles are not published."""
    article = make_hidden(kind, channel)
    assert article not in Article.objects.published()
    assert not Article.objects.published().filter(pk=article.pk).exists()


def test_published_includes_past_published_article(channel):
    """A published article whose time has come (now - 1 day) is published."""
    article = make_article(channel=channel, published_at=timezone.now() - timedelta(days=1))
    assert list(Article.objects.published()) == [article]


def test_published_is_chainable_both_ways(channel, hidden):
    """published() can follow filter() and be followed by filter()."""
    other = make_channel("新闻廉播", "xinwen")
    mine = make_article("本栏目文章", channel, published_at=timezone.now() - timedelta(days=1))
    make_article("别的栏目文章", other)

    assert list(Article.objects.filter(channel=channel).published()) == [mine]
    assert list(Article.objects.published().filter(channel=channel)) == [mine]
    assert list(channel.articles.published()) == [mine]


def test_home_shows_no_hidden_article(client, channel, hidden):
    """The home page's headlines and channel blocks list only published articles."""
    make_article("可见头条", channel, is_featured=True)
    html = client.get(reverse("articles:home")).content.decode()
    assert "可见头条" in html
    for article in hidden.values():
        assert article.title not in html
        assert article.get_absolute_url() not in html


def test_channel_page_shows_no_hidden_article(client, channel, hidden):
    """A channel page, and its parent's page, list only published articles."""
    make_article("可见文章", channel)
    for url in (channel.get_absolute_url(), channel.parent.get_absolute_url()):
        html = client.get(url).content.decode()
        assert "可见文章" in html
        for article in hidden.values():
            assert article.title not in html


@pytest.mark.parametrize("kind", HIDDEN_KINDS)
def test_article_page_is_404_for_hidden_article(client, channel, kind):
    """The page of a draft, pending, offline or future article does not exist for readers."""
    article = make_hidden(kind, channel)
    response = client.get(article.get_absolute_url())
    assert response.status_code == 404
    article.refresh_from_db()
    assert article.view_count == 0


def test_article_page_of_published_article_answers(client, channel):
    """A published article's page answers 200 with its title."""
    article = make_article("可见文章", channel)
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert "可见文章" in response.content.decode()


def test_article_becomes_visible_once_its_time_has_come(client, channel, monkeypatch):
    """When the clock passes a future article's time its page appears, with no save."""
    article = make_hidden("future", channel)
    assert client.get(article.get_absolute_url()).status_code == 404
    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() + timedelta(days=2))
    assert client.get(article.get_absolute_url()).status_code == 200


def test_related_articles_never_show_hidden_ones(client, channel, hidden):
    """The related-article list leaves out every article readers cannot open."""
    visible = make_article("可见相关文章", channel)
    article = make_article("主文章", channel)
    relate(
        article, hidden["draft"], visible, hidden["pending"], hidden["offline"], hidden["future"]
    )

    html = client.get(article.get_absolute_url()).content.decode()
    assert "可见相关文章" in html
    for other in hidden.values():
        assert other.title not in html
        assert other.get_absolute_url() not in html


def test_previous_and_next_skip_hidden_articles(client, channel):
    """Previous/next links jump over unpublished and future articles in the channel."""
    now = timezone.now()
    older = make_article("较早文章", channel, published_at=now - timedelta(days=5))
    for kind, days in (("draft", 4), ("pending", 4), ("offline", 4)):
        make_hidden(kind, channel, title=f"之前-{kind}", published_at=now - timedelta(days=days))
    article = make_article("当前文章", channel, published_at=now - timedelta(days=3))
    for kind, days in (("draft", 2), ("pending", 2), ("offline", 2)):
        make_hidden(kind, channel, title=f"之后-{kind}", published_at=now - timedelta(days=days))
    newer = make_article("较新文章", channel, published_at=now - timedelta(days=1))
    make_hidden("future", channel, title="未来文章")

    response = client.get(article.get_absolute_url())
    assert response.context["previous"] == older
    assert response.context["next"] == newer
    html = response.content.decode()
    assert "上一篇：" in html and "较早文章" in html
    assert "下一篇：" in html and "较新文章" in html
    assert "之前-" not in html and "之后-" not in html

    newest = client.get(newer.get_absolute_url())
    assert newest.context["next"] is None
    assert "未来文章" not in newest.content.decode()
    assert "下一篇：没有了" in newest.content.decode()

    oldest = client.get(older.get_absolute_url())
    assert oldest.context["previous"] is None
    assert "上一篇：没有了" in oldest.content.decode()
