"""Moving articles to another channel (批量移动) from the article list."""

import pytest
from django.test import Client

from articles.editorial.models import AuditEntry
from articles.models import Article
from tests.conftest import make_article, make_channel
from tests.roles import EDITOR, REVIEWER, login

pytestmark = pytest.mark.django_db
CHANGELIST = "/admin/articles/article/"
S = Article.Status


@pytest.fixture
def channels(db):
    return make_channel("工作动态", "gzdt"), make_channel("通知公告", "tzgg")


def move(client, articles, channel):
    data = {"action": "move_to_channel", "_selected_action": [a.pk for a in articles]}
    page = client.post(CHANGELIST, data)
    assert page.status_code == 200
    assert "移动到栏目" in page.text and "确定移动到其他栏目" in page.text
    for article in articles:
        assert article.title in page.text
    return client.post(CHANGELIST, {**data, "apply": "1", "channel": channel.pk}, follow=True)


def test_reviewer_moves_three_articles_and_readers_find_them_there(channels, client):
    """Three articles move; the new channel's page lists them, the old one does not,
    and each move is in the audit trail with both channels named."""
    old, new = channels
    reviewer = login(Client(), REVIEWER, "laoli")
    articles = [make_article(f"要移动的文章{i}", old) for i in range(3)]
    stays = make_article("留下的文章", old)

    response = move(reviewer, articles, new)
    assert "已把 3 篇文章移动到“通知公告”" in response.text

    assert set(Article.objects.filter(channel=new).values_list("title", flat=True)) == {
        a.title for a in articles
    }
    new_page = client.get(new.get_absolute_url()).text
    old_page = client.get(old.get_absolute_url()).text
    for article in articles:
        assert article.title in new_page and article.title not in old_page
    assert stays.title in old_page

    entries = AuditEntry.objects.filter(action=AuditEntry.Action.MOVE)
    assert sorted(e.article_id for e in entries) == sorted(a.pk for a in articles)
    entry = entries.first()
    assert entry.username == "laoli"
    assert entry.note == "从栏目“工作动态”移动到“通知公告”"
    assert entry.get_action_display() == "移动栏目"
    assert entry.from_state == entry.to_state == S.PUBLISHED


def test_editor_moves_drafts_but_not_pending_or_published(channels):
    """The workflow's rule holds: an editor changes drafts only."""
    old, new = channels
    editor = login(Client(), EDITOR, "xiaowang")
    draft = make_article("草稿", old, status=S.DRAFT)
    pending = make_article("待审稿", old, status=S.PENDING)
    published = make_article("已发布", old)

    response = move(editor, [draft, pending, published], new)
    assert "已把 1 篇文章移动到“通知公告”" in response.text
    assert "2 篇没有移动" in response.text
    assert "《待审稿》" in response.text and "《已发布》" in response.text

    moved = dict(Article.objects.values_list("title", "channel_id"))
    assert moved == {"草稿": new.pk, "待审稿": old.pk, "已发布": old.pk}
    assert list(AuditEntry.objects.values_list("article_id", flat=True)) == [draft.pk]


def test_moving_keeps_a_revision_to_restore(channels, admin_client):
    """The move is a version in the article's history, saying where it went."""
    from reversion.models import Version

    old, new = channels
    article = make_article("有历史的文章", old)
    move(admin_client, [article], new)
    comments = [
        v.revision.comment for v in Version.objects.get_for_object_reference(Article, article.pk)
    ]
    assert "从栏目“工作动态”移动到“通知公告”" in comments


def test_without_a_channel_nothing_moves(channels, admin_client):
    old, _ = channels
    article = make_article("文章", old)
    data = {"action": "move_to_channel", "_selected_action": [article.pk], "apply": "1"}
    response = admin_client.post(CHANGELIST, data)
    assert response.status_code == 200
    assert "这个字段是必填项" in response.text
    article.refresh_from_db()
    assert article.channel == old
