"""Revisions, restoring, recovering deleted articles, and refusing stale saves."""

import pytest
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from articles.editorial.models import AuditEntry
from articles.models import Article, RelatedArticle
from tests.conftest import make_article
from tests.roles import ADMINISTRATOR, EDITOR, REVIEWER, change_url, form_data, login, open_and_post

pytestmark = pytest.mark.django_db

S = Article.Status


@pytest.fixture
def editor(client, channel):
    return login(client, EDITOR, "xiaowang")


@pytest.fixture
def reviewer(channel):
    return login(Client(), REVIEWER, "laoli")


@pytest.fixture
def administrator(channel):
    return login(Client(), ADMINISTRATOR, "zhuren")


def links(article):
    return list(
        RelatedArticle.objects.filter(article=article)
        .order_by("position")
        .values_list("related__title", "position")
    )


def content(article):
    article.refresh_from_db()
    return (article.title, article.summary, article.body, article.author, links(article))


def with_links(data, *pairs, existing=0):
    """Replace the related-links inline with new rows ``(article, position)``."""
    for i in range(existing):
        data[f"related_links-{i}-DELETE"] = "on"
    for i, (other, position) in enumerate(pairs, start=existing):
        data[f"related_links-{i}-related"] = other.pk
        data[f"related_links-{i}-position"] = position
    data["related_links-TOTAL_FORMS"] = existing + len(pairs)
    return data


@pytest.fixture
def edited(editor, channel):
    """A draft written in the admin, then rewritten: two versions with different links."""
    first, second, third = (make_article(t, channel) for t in ("相关甲", "相关乙", "相关丙"))
    page = editor.get(reverse("admin:articles_article_add"))
    data = form_data(
        page,
        title="七星区：初稿",
        channel=channel.pk,
        author="通讯员 李明",
        summary="初稿摘要",
        body="<p>第一段。</p><p>第二段。</p>",
    )
    response = editor.post(
        reverse("admin:articles_article_add"), with_links(data, (first, 0), (second, 1))
    )
    assert response.status_code == 302
    article = Article.objects.get(title="七星区：初稿")
    original = content(article)

    page = editor.get(change_url(article))
    data = form_data(
        page,
        title="七星区：改稿",
        summary="改稿摘要",
        author="王芳",
        body="<p>第一段，改了。</p><p>新增一段。</p>",
    )
    response = editor.post(change_url(article), with_links(data, (third, 0), existing=2))
    assert response.status_code == 302
    assert content(article)[0] == "七星区：改稿"
    assert links(article) == [("相关丙", 0)]
    return article, original


def versions(article):
    return list(Version.objects.get_for_object(article).order_by("pk"))


# --- Revisions are kept and listed ---------------------------------------------------


def test_every_save_keeps_a_revision_listed_in_the_history(editor, edited):
    """Each admin save adds a revision, listed newest first with who saved it."""
    article, _ = edited
    assert len(versions(article)) == 2
    open_and_post(editor, article, _transition="submit")
    assert len(versions(article)) == 3
    response = editor.get(reverse("admin:articles_article_history", args=[article.pk]))
    assert response.status_code == 200
    rows = response.context["version_rows"]
    assert [row["version"].pk for row in rows] == [v.pk for v in reversed(versions(article))]
    html = response.content.decode()
    assert "xiaowang" in html
    assert "提交审核" in html
    assert "比较所选的两个版本" in html


def test_state_changes_from_actions_keep_one_revision_per_article(reviewer, channel):
    """A bulk action keeps a separate revision for each article it changed."""
    first = make_article("甲", channel, status=S.PENDING)
    second = make_article("乙", channel, status=S.PENDING)
    reviewer.post(
        reverse("admin:articles_article_changelist"),
        {
            "action": "publish_selected",
            "_selected_action": [first.pk, second.pk],
            "index": 0,
            "apply": "1",
            f"version-{first.pk}": first.version,
            f"version-{second.pk}": second.version,
        },
    )
    (v1,), (v2,) = versions(first), versions(second)
    assert v1.revision_id != v2.revision_id
    assert v1.revision.user == reviewer.user


def test_compare_shows_what_changed_between_two_versions(editor, edited):
    """The comparison marks removed and added text in title, summary, body and links."""
    article, _ = edited
    old, new = versions(article)
    url = reverse("admin:articles_article_compare", args=[article.pk])
    response = editor.get(url, {"from": old.pk, "to": new.pk})
    assert response.status_code == 200
    labels = [label for label, _, _ in response.context["rows"]]
    assert labels == ["标题", "作者", "摘要", "正文", "相关文章"]
    html = response.content.decode()
    assert "<del>初</del>" in html and "<ins>改</ins>" in html
    assert "<ins>，改了</ins>" in html
    assert "<del>第二</del>" in html and "<ins>新增一</ins>" in html
    assert "相关甲" in html and "相关丙" in html
    assert "栏目" in response.context["unchanged"]


def test_compare_escapes_what_it_shows(editor, channel):
    """Text shown in the comparison is escaped, never live markup."""
    article = make_article("<b>x</b>", channel, status=S.DRAFT)
    open_and_post(editor, article)
    open_and_post(editor, article, title="<script>alert(1)</script>")
    old, new = versions(article)
    url = reverse("admin:articles_article_compare", args=[article.pk])
    html = editor.get(url, {"from": old.pk, "to": new.pk}).content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;" in html


def test_compare_of_another_articles_version_is_refused(editor, edited, channel):
    """Versions are looked up within the article, not across articles."""
    article, _ = edited
    other = make_article("别的", channel, status=S.DRAFT)
    open_and_post(editor, other)
    (foreign,) = versions(other)
    url = reverse("admin:articles_article_compare", args=[article.pk])
    response = editor.get(url, {"from": foreign.pk, "to": versions(article)[0].pk})
    assert response.status_code == 302


# --- Restoring ----------------------------------------------------------------------


def test_restore_brings_back_the_old_revision_exactly(editor, edited):
    """Saving an old revision restores its title, summary, body, author and related links."""
    article, original = edited
    old = versions(article)[0]
    url = reverse("admin:articles_article_revision", args=[article.pk, old.pk])
    page = editor.get(url)
    assert page.status_code == 200
    # Looking at an old version changes nothing.
    assert content(article)[0] == "七星区：改稿"

    response = editor.post(url, form_data(page))
    assert response.status_code == 302
    assert content(article) == original
    assert article.status == S.DRAFT
    entry = AuditEntry.objects.get(article_id=article.pk)
    assert (entry.action, entry.username) == ("restore", "xiaowang")
    assert len(versions(article)) == 3


def test_restore_keeps_the_workflow_state(reviewer, edited):
    """Restoring a draft-time revision of a published article keeps it published as it is."""
    article, original = edited
    open_and_post(reviewer, article, _transition="publish")
    article.refresh_from_db()
    published_at = article.published_at
    old = versions(article)[0]
    url = reverse("admin:articles_article_revision", args=[article.pk, old.pk])
    response = reviewer.post(url, form_data(reviewer.get(url)))
    assert response.status_code == 302
    assert content(article) == original
    assert (article.status, article.published_at) == (S.PUBLISHED, published_at)
    assert Client().get(article.get_absolute_url()).status_code == 200


def test_editor_cannot_restore_a_published_article(editor, reviewer, edited):
    """An editor may look at an old version of a published article but not restore it."""
    article, _ = edited
    open_and_post(reviewer, article, _transition="publish")
    old = versions(article)[0]
    url = reverse("admin:articles_article_revision", args=[article.pk, old.pk])
    page = editor.get(url)
    assert page.status_code == 200
    assert editor.post(url, form_data(page, title="七星区：初稿")).status_code == 403
    assert content(article)[0] == "七星区：改稿"


def test_revision_of_another_article_is_not_found(editor, edited, channel):
    """A version id is only accepted under the article it belongs to."""
    article, _ = edited
    other = make_article("别的", channel, status=S.DRAFT)
    open_and_post(editor, other)
    (foreign,) = versions(other)
    url = reverse("admin:articles_article_revision", args=[article.pk, foreign.pk])
    assert editor.get(url).status_code == 404


# --- Recovering deleted articles ----------------------------------------------------


def test_deleted_article_is_recovered_as_a_draft(administrator, edited):
    """An administrator recovers a deleted article with its content and links, as a draft."""
    article, _ = edited
    open_and_post(administrator, article, _transition="publish")
    before = content(article)
    pk = article.pk
    url = reverse("admin:articles_article_delete", args=[pk])
    assert administrator.post(url, {"post": "yes"}).status_code == 302
    assert not Article.objects.filter(pk=pk).exists()

    listing = administrator.get(reverse("admin:articles_article_recoverlist"))
    assert listing.status_code == 200
    assert "七星区：改稿" in listing.content.decode()
    (deleted,) = Version.objects.get_deleted(Article)
    recover = reverse("admin:articles_article_recover", args=[deleted.pk])
    response = administrator.post(recover, form_data(administrator.get(recover)))
    assert response.status_code == 302

    article = Article.objects.get(pk=pk)
    assert content(article) == before
    assert article.status == S.DRAFT
    assert [e.action for e in AuditEntry.objects.filter(article_id=pk).order_by("id")] == [
        "publish",
        "delete",
        "recover",
    ]


def test_recovering_is_for_administrators(editor, reviewer, administrator):
    """Editors and reviewers neither see nor open the list of deleted articles."""
    url = reverse("admin:articles_article_recoverlist")
    assert editor.get(url).status_code == 403
    assert reviewer.get(url).status_code == 403
    changelist = reverse("admin:articles_article_changelist")
    assert url not in reviewer.get(changelist).content.decode()
    assert url in administrator.get(changelist).content.decode()


# --- No lost updates ----------------------------------------------------------------


def test_second_stale_save_is_refused_and_nothing_is_lost(editor, channel):
    """Two editors open the same draft; the second save is refused and both texts survive."""
    article = make_article("七星区：原稿", channel, status=S.DRAFT)
    open_and_post(editor, article)
    other = login(Client(), EDITOR, "xiaozhao")
    url = change_url(article)
    mine = form_data(editor.get(url), title="七星区：小王的标题", body="<p>小王写的正文。</p>")
    theirs = form_data(other.get(url), title="七星区：小赵的标题", body="<p>小赵写的正文。</p>")

    assert editor.post(url, mine).status_code == 302
    response = other.post(url, theirs)
    assert response.status_code == 200
    html = response.content.decode()
    assert "没有保存" in html and "xiaowang" in html
    # What the second editor typed is still in the form.
    assert 'value="七星区：小赵的标题"' in html
    assert "小赵写的正文" in html
    # And a way to see the other change.
    assert reverse("admin:articles_article_compare", args=[article.pk]) in html
    article.refresh_from_db()
    assert (article.title, article.body) == ("七星区：小王的标题", "<p>小王写的正文。</p>")

    # Saving the same form again, without ticking that the other change was seen, is
    # refused too.
    assert 'type="checkbox" name="overwrite"' in html
    assert other.post(url, form_data(response)).status_code == 200
    article.refresh_from_db()
    assert article.title == "七星区：小王的标题"

    # Having looked, the second editor may knowingly save over it; the first text stays
    # in the history.
    response = other.post(url, {**form_data(response), "overwrite": "on"})
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "七星区：小赵的标题"
    titles = [v.field_dict["title"] for v in versions(article)]
    assert titles == ["七星区：原稿", "七星区：小王的标题", "七星区：小赵的标题"]


def test_overwrite_counts_only_for_the_version_that_was_seen(editor, channel):
    """A third save in between makes an earlier "I have seen it" tick stale again."""
    article = make_article("七星区：原稿", channel, status=S.DRAFT)
    url = change_url(article)
    stale = form_data(editor.get(url), title="旧表单")
    open_and_post(editor, article, title="第二次")
    refused = editor.post(url, stale)
    open_and_post(editor, article, title="第三次")
    response = editor.post(url, {**form_data(refused), "overwrite": "on"})
    assert response.status_code == 200
    article.refresh_from_db()
    assert article.title == "第三次"


def test_save_without_a_version_is_refused(editor, channel):
    """A change form that does not say which version it edits is refused, not trusted."""
    article = make_article("七星区：原稿", channel, status=S.DRAFT)
    data = form_data(editor.get(change_url(article)), title="无版本号", base_version=None)
    assert editor.post(change_url(article), data).status_code == 200
    article.refresh_from_db()
    assert article.title == "七星区：原稿"


def test_state_change_meanwhile_makes_the_open_form_stale(editor, reviewer, channel):
    """A reviewer's transition while an editor has the form open refuses the editor's save."""
    article = make_article("七星区：原稿", channel, status=S.DRAFT)
    data = form_data(editor.get(change_url(article)), title="编辑的修改")
    open_and_post(reviewer, article, summary="审核改的摘要")
    assert editor.post(change_url(article), data).status_code == 200
    article.refresh_from_db()
    assert (article.title, article.summary) == ("七星区：原稿", "审核改的摘要")


def test_each_revision_says_what_changed(editor, reviewer, channel):
    """A save that only submits or publishes says so; an edit names the fields it changed."""
    article = make_article("七星区：初稿", channel, status=S.DRAFT)
    open_and_post(editor, article, title="七星区：改稿")
    open_and_post(editor, article, _transition="submit")
    open_and_post(reviewer, article, _transition="publish")
    comments = [v.revision.get_comment() for v in versions(article)]
    # Publishing dates the article now, and says so.
    assert comments == ["第一次在后台保存", "提交审核", "修改了发布时间；发布"]
    open_and_post(reviewer, article, title="七星区：定稿")
    assert versions(article)[-1].revision.get_comment() == "修改了标题"
