"""One write path: what readers cannot see costs them nothing, and what they can see moves
the content generation once per transaction, however many rows it wrote."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles import fields
from articles.caching import freshness, generation, view_counts
from articles.models import Article, FriendlyLink, SiteSettings
from tests.conftest import make_article, relate
from tests.test_admin import article_form
from tests.test_freshness import commit

pytestmark = pytest.mark.django_db


@pytest.fixture
def advances(monkeypatch):
    """Every move of the shared store, counted: of the content generation, or of the
    scoped counters (``touch``: a change to published articles)."""
    moves = []
    for store in (generation.FileStore, generation.CacheStore):
        for name in ("advance", "touch"):
            real = getattr(store, name)

            def move(self, *args, real=real, **kwargs):
                moves.append(args)
                return real(self, *args, **kwargs)

            monkeypatch.setattr(store, name, move)
    return moves


@pytest.fixture
def site(channel):
    with commit():
        article = make_article("七星区：跟进监督", channel=channel)
        others = [make_article(f"相关文章{i}", channel=channel) for i in range(3)]
        relate(article, *others)
    return article, channel


def reader_hits(client, urls):
    """Whether every page is answered from the page cache (no query at all)."""
    hits = []
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        hits.append(len(queries) == 0)
    return all(hits)


def test_saving_a_draft_leaves_readers_pages_cached(client, site, advances):
    """A draft saved (and resaved, submitted, withdrawn) moves nothing: readers' next
    requests are still cache hits."""
    article, channel = site
    urls = ["/", channel.get_absolute_url(), article.get_absolute_url()]
    for url in urls:
        client.get(url)
    assert reader_hits(client, urls)
    with commit():
        draft = make_article("草稿", channel=channel, status=Article.Status.DRAFT)
        relate(draft, article)
    for status in (Article.Status.DRAFT, Article.Status.PENDING, Article.Status.DRAFT):
        with commit():
            draft = Article.objects.get(pk=draft.pk)
            draft.status = status
            draft.body = "<p>改了又改。</p>"
            draft.save()
    assert advances == []
    assert reader_hits(client, urls)


def test_view_counts_and_logins_move_nothing(client, site, admin_client, advances):
    """Flushing view counts and an editor logging in leave readers' pages alone."""
    article, _ = site
    for _ in range(3):
        client.get(article.get_absolute_url())
    with commit():
        view_counts.flush()
        admin_client.get(reverse("admin:index"))
    assert advances == []


def test_an_admin_save_with_related_links_moves_the_generation_once(
    admin_client, client, site, advances
):
    """Editing a published article with three related links in the admin is one
    transaction and one move, not one per row; readers see the edit."""
    article, channel = site
    change_url = reverse("admin:articles_article_change", args=[article.pk])
    data = article_form(admin_client, channel, change_url=change_url, title="七星区：新标题")
    with commit():
        assert admin_client.post(change_url, data).status_code == 302
    assert len(advances) == 1
    assert "七星区：新标题" in client.get(article.get_absolute_url()).text


@pytest.mark.parametrize("status", [Article.Status.PUBLISHED, Article.Status.OFFLINE])
def test_publishing_and_taking_offline_move_it_once(client, channel, advances, status):
    """A change of what readers see moves it once, and readers see the change."""
    initial = Article.Status.PENDING if status == Article.Status.PUBLISHED else "published"
    with commit():
        article = make_article("七星区：状态变化", channel=channel, status=initial)
    advances.clear()
    before = client.get(channel.get_absolute_url()).text
    with commit(), transaction.atomic():
        article.status = status
        article.save()
    assert len(advances) == 1
    after = client.get(channel.get_absolute_url()).text
    assert ("七星区：状态变化" in after) == (status == Article.Status.PUBLISHED)
    assert ("七星区：状态变化" in before) != ("七星区：状态变化" in after)


def test_settings_and_links_move_it_once_per_transaction(client, channel, advances):
    """Site settings and friendly links are shown on every page: one move per transaction."""
    with commit(), transaction.atomic():
        site = SiteSettings.load()
        site.site_name = "清廉测试网"
        site.save()
        for position in range(3):
            FriendlyLink.objects.create(name=f"链接{position}", url="https://e.org/", position=0)
    assert len(advances) == 1
    assert "清廉测试网" in client.get("/").text


def test_a_bulk_write_of_many_articles_moves_it_once(client, channel, advances):
    """``bulk_create`` of a thousand published articles is one move of the generation."""
    with commit(), transaction.atomic():
        Article.objects.bulk_create(
            Article(title=f"批量{i}", channel=channel, body="<p>正文</p>", status="published")
            for i in range(1000)
        )
    assert len(advances) == 1
    assert "批量999" in client.get(channel.get_absolute_url()).text


def test_pending_moves_are_kept_once_in_the_transaction(channel):
    """(Django keeps a transaction's on-commit callbacks in ``run_on_commit``: the one move
    is registered once, however many writes.)"""
    with transaction.atomic():
        for i in range(3):
            make_article(f"文章{i}", channel=channel)
        waiting = [c for _, c, _ in connection.run_on_commit if c is freshness.bump]
    assert len(waiting) == 1


def test_the_body_is_sanitized_once_per_save(channel, monkeypatch):
    """Saving an article cleans its body once, not once in save() and again in the field."""
    calls = []
    real = fields.sanitize_html
    monkeypatch.setattr(fields, "sanitize_html", lambda html: calls.append(html) or real(html))
    article = make_article("七星区：清洗一次", channel=channel, body="<p onclick=x>正文</p>")
    assert len(calls) == 1
    assert article.body == "<p>正文</p>"
    article.refresh_from_db()
    assert article.body == "<p>正文</p>"
