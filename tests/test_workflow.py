"""The editorial workflow: roles, transitions, scheduling, preview and the audit trail."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.editorial.models import AuditEntry
from articles.models import Article
from tests.conftest import make_article, make_channel, relate
from tests.roles import (
    ADMINISTRATOR,
    EDITOR,
    REVIEWER,
    change_url,
    form_data,
    login,
    make_user,
    open_and_post,
)

pytestmark = pytest.mark.django_db

S = Article.Status
CHANGELIST = "admin:articles_article_changelist"


@pytest.fixture
def editor(client, channel):
    return login(client, EDITOR, "xiaowang")


@pytest.fixture
def reviewer(channel):
    return login(Client(), REVIEWER, "laoli")


@pytest.fixture
def administrator(channel):
    return login(Client(), ADMINISTRATOR, "zhuren")


def draft(title="七星区：草稿", **kwargs):
    return make_article(title, status=S.DRAFT, **kwargs)


def pending(title="七星区：待审", **kwargs):
    return make_article(title, status=S.PENDING, **kwargs)


def action_names(client):
    response = client.get(reverse(CHANGELIST))
    assert response.status_code == 200
    return {name for name, _ in response.context["action_form"].fields["action"].choices if name}


def run_action(client, action, *articles, **extra):
    """Run a list action; with apply="1", as confirmed on its page just now (the page
    lists each article's current version, and confirming sends those back)."""
    data = {"action": action, "_selected_action": [a.pk for a in articles], "index": 0}
    if "apply" in extra:
        for article in Article.objects.filter(pk__in=[a.pk for a in articles]):
            data[f"version-{article.pk}"] = article.version
    data.update(extra)
    return client.post(reverse(CHANGELIST), data)


def publish_confirmed(client, article, **kwargs):
    """Open the article's publish page and confirm it, as a reviewer does."""
    url = transition_url(article, "publish")
    page = client.get(url)
    assert page.status_code == 200
    return client.post(url, form_data(page, "transition_form"), **kwargs)


def transition_url(article, name):
    return reverse("admin:articles_article_transition", args=[article.pk, name])


def audit(article):
    """The article's audit trail, oldest first, as (action, from, to, username)."""
    return [
        (e.action, e.from_state, e.to_state, e.username)
        for e in AuditEntry.objects.filter(article_id=article.pk).order_by("created_at", "id")
    ]


def status_of(article):
    article.refresh_from_db()
    return article.status


# --- Roles --------------------------------------------------------------------------


def test_roles_are_groups_with_their_permissions():
    """The migration creates 编辑, 审核 and 管理员 with exactly the powers of each role."""
    perms = {
        group.name: {p.codename for p in group.permissions.all()} for group in Group.objects.all()
    }
    assert {"add_article", "change_article", "view_article", "submit_article"} <= perms[EDITOR]
    assert not {"publish_article", "reject_article", "unpublish_article"} & perms[EDITOR]
    assert "delete_article" not in perms[EDITOR]
    assert {"publish_article", "reject_article", "unpublish_article"} <= perms[REVIEWER]
    assert not {"delete_article", "change_channel", "change_source"} & perms[REVIEWER]
    assert "view_auditentry" not in perms[EDITOR] | perms[REVIEWER]
    assert {
        "delete_article",
        "add_channel",
        "change_source",
        "change_sitesettings",
        "view_auditentry",
        "add_user",
        "change_group",
        "publish_article",
    } <= perms[ADMINISTRATOR]
    assert "change_auditentry" not in perms[ADMINISTRATOR]


def test_editor_is_offered_only_the_editor_actions(editor):
    """An editor's action menu has submit, withdraw, redraft, moving (drafts only: see
    tests/test_moving.py) and pushing into a slot (tests/test_slots.py), never publish or
    delete."""
    assert action_names(editor) == {
        "submit_selected",
        "withdraw_selected",
        "redraft_selected",
        "move_to_channel",
        "push_to_slot",
    }


def test_reviewer_is_offered_review_actions_but_not_delete(reviewer):
    """A reviewer may publish, schedule, reject and take offline, but not delete."""
    names = action_names(reviewer)
    assert {
        "publish_selected",
        "schedule_selected",
        "reject_selected",
        "unpublish_selected",
    } <= names
    assert "delete_selected" not in names


def test_administrator_is_offered_every_action(administrator):
    """An administrator has every action, delete included."""
    assert {"publish_selected", "reject_selected", "delete_selected", "submit_selected"} <= (
        action_names(administrator)
    )


def test_editor_change_page_shows_submit_and_no_status_field(editor):
    """On a draft, an editor sees 保存并提交审核, no publish button and no status select."""
    article = draft()
    html = editor.get(change_url(article)).content.decode()
    assert 'name="_transition" value="submit"' in html
    assert 'value="publish"' not in html
    assert 'name="status"' not in html
    assert "预览" in html


def test_reviewer_change_page_shows_review_buttons(reviewer):
    """On a pending article, a reviewer sees publish, withdraw and a link to reject."""
    article = pending()
    html = reviewer.get(change_url(article)).content.decode()
    assert 'name="_transition" value="publish"' in html
    assert transition_url(article, "reject") in html
    assert 'name="status"' in html
    assert 'value="unpublish"' not in html


def test_editor_sees_submitted_article_read_only_with_withdraw_link(editor):
    """A submitted article is read-only to its editor, who is offered only a withdraw link."""
    article = pending(created_by=editor.user)
    html = editor.get(change_url(article)).content.decode()
    assert 'name="title"' not in html
    assert transition_url(article, "withdraw") in html
    assert 'name="_transition"' not in html


def test_audit_trail_is_hidden_from_editors_and_reviewers(editor, reviewer, administrator):
    """Only administrators find the audit trail in the admin."""
    url = reverse("admin:articles_auditentry_changelist")
    assert editor.get(url).status_code == 403
    assert reviewer.get(url).status_code == 403
    assert administrator.get(url).status_code == 200
    assert "操作记录" not in editor.get(reverse("admin:index")).content.decode()
    assert "操作记录" in administrator.get(reverse("admin:index")).content.decode()


# --- Forged requests ----------------------------------------------------------------


def test_editor_forged_status_field_is_ignored_on_change(editor):
    """A forged status=published in an editor's change form leaves the draft a draft."""
    article = draft()
    response = open_and_post(editor, article, status=S.PUBLISHED, title="七星区：改过")
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "七星区：改过"
    assert article.status == S.DRAFT
    assert not AuditEntry.objects.exists()


def test_editor_forged_status_field_is_ignored_on_add(editor, channel):
    """A forged status=published in an editor's add form creates a draft."""
    page = editor.get(reverse("admin:articles_article_add"))
    data = form_data(page, title="叠彩区：新稿", channel=channel.pk, body="<p>正文</p>")
    data["status"] = S.PUBLISHED
    response = editor.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 302
    assert Article.objects.get(title="叠彩区：新稿").status == S.DRAFT


def test_editor_forged_publish_button_is_refused(editor):
    """A forged _transition=publish from an editor is answered 403 and changes nothing."""
    article = draft()
    page = editor.get(change_url(article))
    data = form_data(page, title="偷偷改标题", _transition="publish")
    assert editor.post(change_url(article), data).status_code == 403
    article.refresh_from_db()
    assert (article.status, article.title) == (S.DRAFT, "七星区：草稿")
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize("name", ["publish", "reject", "unpublish", "no-such-step"])
def test_editor_forged_transition_url_is_refused(editor, name):
    """The single-article transition page refuses an editor what they may not do."""
    article = pending()
    response = editor.post(transition_url(article, name), {"note": "理由"})
    assert response.status_code == 403
    assert status_of(article) == S.PENDING


@pytest.mark.parametrize(
    "action", ["publish_selected", "reject_selected", "unpublish_selected", "delete_selected"]
)
def test_editor_forged_action_is_refused(editor, action):
    """A forged action name from an editor runs nothing: no state change, nothing deleted."""
    article = pending()
    response = run_action(editor, action, article, note="理由", apply="1")
    assert response.status_code in (200, 302)
    assert Article.objects.filter(pk=article.pk, status=S.PENDING).exists()
    assert not AuditEntry.objects.exists()


def test_editor_cannot_change_a_submitted_article(editor):
    """A forged change POST on a pending article is refused with 403."""
    article = pending()
    data = form_data(
        editor.get(change_url(draft("另一篇"))), title="改掉待审文章", channel=article.channel_id
    )
    assert editor.post(change_url(article), data).status_code == 403
    article.refresh_from_db()
    assert article.title == "七星区：待审"


def test_reviewer_cannot_delete(reviewer):
    """The delete view refuses a reviewer."""
    article = pending()
    url = reverse("admin:articles_article_delete", args=[article.pk])
    assert reviewer.post(url, {"post": "yes"}).status_code == 403
    assert Article.objects.filter(pk=article.pk).exists()


# --- Transitions --------------------------------------------------------------------


def test_editor_submits_and_reviewer_publishes_through_the_buttons(editor, reviewer, channel):
    """Draft → pending by the editor's button, pending → published by the reviewer's."""
    page = editor.get(reverse("admin:articles_article_add"))
    data = form_data(
        page, title="象山区：新闻", channel=channel.pk, body="<p>正文</p>", _transition="submit"
    )
    response = editor.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 302
    article = Article.objects.get(title="象山区：新闻")
    assert article.status == S.PENDING
    assert Client().get(article.get_absolute_url()).status_code == 404

    response = open_and_post(reviewer, article, _transition="publish")
    assert response.status_code == 302
    assert status_of(article) == S.PUBLISHED
    assert Client().get(article.get_absolute_url()).status_code == 200
    assert audit(article) == [
        ("submit", S.DRAFT, S.PENDING, "xiaowang"),
        ("publish", S.PENDING, S.PUBLISHED, "laoli"),
    ]


def test_reject_needs_a_reason_which_the_editor_then_reads(editor, reviewer):
    """Rejecting asks for a reason, sends the article back to draft and shows the reason."""
    article = pending()
    page = reviewer.get(transition_url(article, "reject"))
    assert page.status_code == 200
    assert 'name="note"' in page.content.decode()

    response = reviewer.post(transition_url(article, "reject"), {"note": "  "})
    assert response.status_code == 200
    assert status_of(article) == S.PENDING

    response = reviewer.post(transition_url(article, "reject"), {"note": "导语太长，请压缩。"})
    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.status, article.review_note) == (S.DRAFT, "导语太长，请压缩。")
    html = editor.get(change_url(article)).content.decode()
    assert "导语太长，请压缩。" in html
    entry = AuditEntry.objects.get(article_id=article.pk)
    assert (entry.action, entry.note, entry.username) == ("reject", "导语太长，请压缩。", "laoli")


def test_bulk_reject_asks_for_one_reason(reviewer):
    """The reject action shows a page asking for the reason, then rejects every article."""
    first, second = pending("一"), pending("二")
    response = run_action(reviewer, "reject_selected", first, second)
    assert response.status_code == 200
    assert 'name="note"' in response.content.decode()
    assert status_of(first) == S.PENDING

    response = run_action(reviewer, "reject_selected", first, second, apply="1", note="重写")
    assert response.status_code == 302
    for article in (first, second):
        article.refresh_from_db()
        assert (article.status, article.review_note) == (S.DRAFT, "重写")
    assert AuditEntry.objects.filter(action="reject").count() == 2


def test_withdraw_and_resubmit(editor):
    """An editor may withdraw a submitted article to edit it, then submit it again."""
    article = pending(created_by=editor.user)
    assert editor.post(transition_url(article, "withdraw")).status_code == 302
    assert status_of(article) == S.DRAFT
    response = open_and_post(editor, article, title="七星区：改好了", _transition="submit")
    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.status, article.title) == (S.PENDING, "七星区：改好了")
    assert [a[0] for a in audit(article)] == ["withdraw", "submit"]


def test_unpublish_then_redraft(reviewer, editor):
    """A reviewer takes an article offline; the editor turns it back into a draft."""
    article = make_article()
    response = run_action(reviewer, "unpublish_selected", article)
    assert response.status_code == 302
    assert status_of(article) == S.OFFLINE
    assert Client().get(article.get_absolute_url()).status_code == 404
    run_action(editor, "redraft_selected", article)
    assert status_of(article) == S.DRAFT
    assert [a[:3] for a in audit(article)] == [
        ("unpublish", S.PUBLISHED, S.OFFLINE),
        ("redraft", S.OFFLINE, S.DRAFT),
    ]


def test_bulk_publish_skips_articles_it_does_not_suit(reviewer):
    """Publishing a selection publishes the pending one and reports the one already out."""
    waiting, out = pending("待审"), make_article("已发")
    response = run_action(reviewer, "publish_selected", waiting, out, apply="1", follow=True)
    response = reviewer.get(reverse(CHANGELIST))
    assert status_of(waiting) == S.PUBLISHED
    assert [a[0] for a in audit(out)] == []
    messages = [str(m) for m in response.context["messages"]]
    assert any("已跳过" in m and "已发" in m for m in messages)


def test_reviewer_status_field_change_is_a_transition(reviewer):
    """Changing the status select is checked and audited like a button."""
    article = pending()
    response = open_and_post(reviewer, article, status=S.PUBLISHED)
    assert response.status_code == 302
    assert status_of(article) == S.PUBLISHED
    assert audit(article) == [("publish", S.PENDING, S.PUBLISHED, "laoli")]


def test_status_field_refuses_a_jump_that_is_no_transition(reviewer):
    """The status select cannot take a draft straight offline."""
    article = draft()
    response = open_and_post(reviewer, article, status=S.OFFLINE)
    assert response.status_code == 200
    assert status_of(article) == S.DRAFT
    assert not AuditEntry.objects.exists()


def test_publish_is_refused_when_the_end_time_has_passed(reviewer):
    """Publishing an article whose end time has passed is refused with an explanation."""
    article = pending(unpublish_at=timezone.now() - timedelta(hours=1))
    response = publish_confirmed(reviewer, article, follow=True)
    assert status_of(article) == S.PENDING
    assert "下线时间已过" in response.content.decode()


def test_every_step_of_a_life_is_audited(editor, reviewer, administrator, channel):
    """Submit, reject, submit, schedule, unpublish, redraft and delete all leave a record."""
    article = draft()
    editor.post(transition_url(article, "submit"))
    reviewer.post(transition_url(article, "reject"), {"note": "补充图片"})
    editor.post(transition_url(article, "submit"))
    later = timezone.localtime(timezone.now() + timedelta(days=1))
    run_action(
        reviewer,
        "schedule_selected",
        article,
        apply="1",
        published_at_0=later.strftime("%Y-%m-%d"),
        published_at_1=later.strftime("%H:%M"),
    )
    reviewer.post(transition_url(article, "unpublish"))
    editor.post(transition_url(article, "redraft"))
    administrator.post(reverse("admin:articles_article_delete", args=[article.pk]), {"post": "yes"})
    assert audit(article) == [
        ("submit", S.DRAFT, S.PENDING, "xiaowang"),
        ("reject", S.PENDING, S.DRAFT, "laoli"),
        ("submit", S.DRAFT, S.PENDING, "xiaowang"),
        ("schedule", S.PENDING, S.PUBLISHED, "laoli"),
        ("unpublish", S.PUBLISHED, S.OFFLINE, "laoli"),
        ("redraft", S.OFFLINE, S.DRAFT, "xiaowang"),
        ("delete", S.DRAFT, "", "zhuren"),
    ]


# --- Scheduling ---------------------------------------------------------------------


def test_schedule_action_sets_the_times_and_hides_until_then(reviewer, channel):
    """定时发布 publishes with a future time and an end time; readers see nothing yet."""
    article = pending(is_featured=True)
    start = timezone.localtime(timezone.now() + timedelta(days=1)).replace(second=0, microsecond=0)
    end = start + timedelta(days=7)
    page = run_action(reviewer, "schedule_selected", article)
    assert 'name="published_at_0"' in page.content.decode()
    response = run_action(
        reviewer,
        "schedule_selected",
        article,
        apply="1",
        published_at_0=start.strftime("%Y-%m-%d"),
        published_at_1=start.strftime("%H:%M"),
        unpublish_at_0=end.strftime("%Y-%m-%d"),
        unpublish_at_1=end.strftime("%H:%M"),
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.status, article.published_at, article.unpublish_at) == (
        S.PUBLISHED,
        start,
        end,
    )
    assert not article.is_visible
    reader = Client()
    assert reader.get(article.get_absolute_url()).status_code == 404
    assert article.title not in reader.get("/").content.decode()
    assert AuditEntry.objects.get(article_id=article.pk).action == "schedule"


def test_schedule_refuses_a_past_time(reviewer):
    """Scheduling for a time already gone is refused on the schedule page."""
    article = pending()
    past = timezone.localtime(timezone.now() - timedelta(days=1))
    response = run_action(
        reviewer,
        "schedule_selected",
        article,
        apply="1",
        published_at_0=past.strftime("%Y-%m-%d"),
        published_at_1=past.strftime("%H:%M"),
    )
    assert response.status_code == 200
    assert "应晚于现在" in response.content.decode()
    assert status_of(article) == S.PENDING


def hidden_article(kind, channel, title):
    now = timezone.now()
    if kind == "scheduled":
        return make_article(title, channel, published_at=now + timedelta(days=1))
    return make_article(
        title, channel, published_at=now - timedelta(days=2), unpublish_at=now - timedelta(days=1)
    )


@pytest.mark.parametrize("kind", ["scheduled", "ended"])
def test_scheduled_and_ended_articles_are_absent_from_every_public_page(client, channel, kind):
    """Home, channel pages, the article page, related links and prev/next all leave it out."""
    now = timezone.now()
    hidden = hidden_article(kind, channel, "看不见的文章")
    Article.objects.filter(pk=hidden.pk).update(is_featured=True, is_pinned=True)
    older = make_article("较早文章", channel, published_at=now - timedelta(days=5))
    newer = make_article("较新文章", channel, published_at=now - timedelta(hours=1))
    relate(older, hidden, newer)

    assert hidden not in Article.objects.published()
    for url in ("/", channel.get_absolute_url(), channel.parent.get_absolute_url()):
        html = client.get(url).content.decode()
        assert "较新文章" in html
        assert "看不见的文章" not in html, url
    assert client.get(hidden.get_absolute_url()).status_code == 404
    page = client.get(older.get_absolute_url())
    assert "看不见的文章" not in page.content.decode()
    assert page.context["next"] == newer
    assert client.get(newer.get_absolute_url()).context["previous"] == older


def test_end_time_in_the_future_keeps_the_article_visible_until_then(client, channel, monkeypatch):
    """An article with an end time still to come is shown, and hidden once it passes."""
    article = make_article(channel=channel, unpublish_at=timezone.now() + timedelta(days=1))
    assert article in Article.objects.published()
    assert article.is_visible
    assert client.get(article.get_absolute_url()).status_code == 200
    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() + timedelta(days=2))
    assert client.get(article.get_absolute_url()).status_code == 404
    article.refresh_from_db()
    assert not article.is_visible


def test_admin_list_says_what_readers_see(reviewer, channel):
    """The article list tells scheduled and ended articles apart from visible ones."""
    hidden_article("scheduled", channel, "定时的")
    hidden_article("ended", channel, "过期的")
    html = reviewer.get(reverse(CHANGELIST)).content.decode()
    assert "定时发布，未到时间" in html
    assert "已过下线时间" in html


def test_end_time_must_follow_publication_time(reviewer):
    """The form refuses an end time before the publication time."""
    article = pending()
    before = timezone.localtime(article.published_at - timedelta(days=1))
    response = open_and_post(
        reviewer,
        article,
        unpublish_at_0=before.strftime("%Y-%m-%d"),
        unpublish_at_1=before.strftime("%H:%M:%S"),
    )
    assert response.status_code == 200
    assert "下线时间必须晚于发布时间" in response.content.decode()


# --- Preview ------------------------------------------------------------------------


def preview_url(article):
    return reverse("admin:articles_article_preview", args=[article.pk])


def test_preview_is_refused_to_anonymous_and_non_staff(client, django_user_model, channel):
    """Anonymous readers and logged-in non-staff are sent to the login page."""
    article = draft()
    response = client.get(preview_url(article))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
    client.force_login(django_user_model.objects.create_user("reader", password="pw-Unused-9"))
    response = client.get(preview_url(article))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_preview_is_forbidden_to_staff_without_change_permission(client, django_user_model):
    """A staff user who may only view articles gets 403."""
    from django.contrib.auth.models import Permission

    article = draft()
    user = django_user_model.objects.create_user("viewer", password="pw-Unused-9", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_article"))
    client.force_login(user)
    assert client.get(preview_url(article)).status_code == 403


def test_preview_shows_the_public_page_marked_and_never_cached(editor):
    """Staff with change permission see the public template with a 预览 banner, uncached."""
    article = draft(summary="摘要文字")
    response = editor.get(preview_url(article))
    assert response.status_code == 200
    assert "articles/article_detail.html" in [t.name for t in response.templates]
    html = response.content.decode()
    assert "preview-banner" in html and "预览" in html
    assert "七星区：草稿" in html and "摘要文字" in html
    for word in ("no-cache", "no-store", "must-revalidate", "private"):
        assert word in response["Cache-Control"]
    assert "noindex" in response["X-Robots-Tag"]
    article.refresh_from_db()
    assert article.view_count == 0
    assert Client().get(article.get_absolute_url()).status_code == 404


def test_preview_of_the_form_shows_what_is_typed_without_saving(editor):
    """#12: 预览 posts the form as it is on screen; the page shows the typed title and
    body (cleaned as a save would), says so, and nothing is saved."""
    article = draft(summary="")
    page = editor.get(change_url(article))
    html = page.content.decode()
    assert 'formaction="' + preview_url(article) + '"' in html and 'formtarget="_blank"' in html
    data = form_data(
        page,
        title="七星区：改过还没保存的标题",
        body="<p>新写的第一段。</p><script>alert(1)</script>",
    )
    response = editor.post(preview_url(article), data)
    assert response.status_code == 200
    shown = response.content.decode()
    assert "七星区：改过还没保存的标题" in shown and "新写的第一段。" in shown
    assert "<script>alert(1)" not in shown
    assert "还没有保存的修改" in shown
    assert "noindex" in response["X-Robots-Tag"]
    article.refresh_from_db()
    assert article.title == "七星区：草稿" and "新写的第一段" not in article.body
    # The saved version, by its address, says it is the saved one.
    assert "最后保存的版本" in editor.get(preview_url(article)).content.decode()


def test_preview_of_a_form_the_user_may_not_change_is_refused(editor):
    """An editor may not preview typed changes of a pending article (nor save them)."""
    article = pending()
    response = editor.post(preview_url(article), {"title": "七星区：偷看"})
    assert response.status_code == 403
    assert 'formaction="' not in editor.get(change_url(article)).content.decode()


def test_preview_post_needs_the_csrf_token(channel):
    article = draft()
    client = login(Client(enforce_csrf_checks=True), EDITOR, "xiaoli")
    assert client.post(preview_url(article), {"title": "七星区：跨站"}).status_code == 403


def test_public_page_has_no_preview_banner(client):
    """Readers never see the preview banner."""
    article = make_article()
    assert "preview-banner" not in client.get(article.get_absolute_url()).content.decode()


# --- Audit trail admin --------------------------------------------------------------


def test_audit_trail_is_read_only_and_filterable(administrator, reviewer):
    """Administrators filter the trail by action and user; nobody adds, changes or deletes."""
    first, second = pending("甲"), pending("乙")
    publish_confirmed(reviewer, first)
    reviewer.post(transition_url(second, "reject"), {"note": "不行"})
    url = reverse("admin:articles_auditentry_changelist")

    response = administrator.get(url, {"action__exact": "reject"})
    assert [e.article_title for e in response.context["cl"].result_list] == ["乙"]
    response = administrator.get(url, {"user__id__exact": reviewer.user.pk})
    assert {e.article_title for e in response.context["cl"].result_list} == {"甲", "乙"}
    response = administrator.get(url, {"user__id__exact": administrator.user.pk})
    assert list(response.context["cl"].result_list) == []
    html = administrator.get(url).content.decode()
    for text in ("操作", "操作人", "驳回", "发布"):
        assert text in html

    entry = AuditEntry.objects.get(action="reject")
    change = reverse("admin:articles_auditentry_change", args=[entry.pk])
    assert administrator.get(change).status_code == 200
    assert administrator.post(change, {"note": "改写"}).status_code == 403
    assert administrator.get(reverse("admin:articles_auditentry_add")).status_code == 403
    delete = reverse("admin:articles_auditentry_delete", args=[entry.pk])
    assert administrator.post(delete, {"post": "yes"}).status_code == 403
    entry.refresh_from_db()
    assert entry.note == "不行"


def test_deleting_from_the_list_is_audited(administrator):
    """The delete action records one entry per deleted article."""
    first, second = draft("甲"), make_article("乙")
    response = run_action(administrator, "delete_selected", first, second, post="yes")
    assert response.status_code == 302
    assert not Article.objects.exists()
    assert sorted(
        AuditEntry.objects.filter(action="delete").values_list("article_title", "from_state")
    ) == [("乙", S.PUBLISHED), ("甲", S.DRAFT)]


def test_new_channel_is_not_needed_for_roles(reviewer):
    """A reviewer still reads the channel and source lists the article form needs."""
    make_channel("新闻廉播", "xinwen")
    assert reviewer.get(reverse("admin:articles_channel_changelist")).status_code == 200
    assert reviewer.get(reverse("admin:articles_source_changelist")).status_code == 200
    assert reviewer.get(reverse("admin:articles_channel_add")).status_code == 403


def test_editor_needs_staff_status_to_log_in(client, channel):
    """A user in the 编辑 group without staff status cannot open the admin."""
    user = make_user(EDITOR, "nostaff", is_staff=False)
    client.force_login(user)
    response = client.get(reverse(CHANGELIST))
    assert response.status_code == 302


# --- Withdrawing one's own, publishing what was read (issue 21 #8) ------------------


def confirm_page_data(response, **changes):
    """What pressing the confirm button of a transition or action page sends."""
    assert response.status_code == 200
    return form_data(response, "transition_form", **changes)


def test_editor_cannot_withdraw_a_colleagues_submission(editor, client):
    """Withdrawing is for one's own submission: another editor's, by link or by action,
    is refused and stays pending (else they could edit and resubmit it)."""
    colleague = login(Client(), EDITOR, "xiaozhang")
    article = draft()
    colleague.post(transition_url(article, "submit"))
    assert status_of(article) == S.PENDING

    editor.post(transition_url(article, "withdraw"))
    assert status_of(article) == S.PENDING
    run_action(editor, "withdraw_selected", article)
    assert status_of(article) == S.PENDING
    assert transition_url(article, "withdraw") not in editor.get(change_url(article)).text

    colleague.post(transition_url(article, "withdraw"))
    assert status_of(article) == S.DRAFT


def test_reviewer_may_still_withdraw_any_submission(reviewer, editor):
    """A reviewer, who may change any article, may send any submission back to draft."""
    article = draft()
    editor.post(transition_url(article, "submit"))
    reviewer.post(transition_url(article, "withdraw"))
    assert status_of(article) == S.DRAFT


def _swap_text_after_review(editor, article):
    """The attack: between review and publishing, withdraw, change and resubmit."""
    editor.post(transition_url(article, "withdraw"))
    open_and_post(editor, article, title="七星区：偷换的内容", _transition="submit")
    assert status_of(article) == S.PENDING


def test_transition_page_publishes_only_the_version_the_reviewer_confirmed(editor, reviewer):
    """The publish page shows the version it will publish and refuses if it has moved."""
    article = draft(created_by=editor.user)
    editor.post(transition_url(article, "submit"))
    page = reviewer.get(transition_url(article, "publish"))
    article.refresh_from_db()
    assert f"第 {article.version} 版" in page.text
    _swap_text_after_review(editor, article)

    reviewer.post(transition_url(article, "publish"), confirm_page_data(page))
    assert status_of(article) == S.PENDING
    shown = reviewer.get(change_url(article)).text
    assert "没有发布" in shown
    assert not AuditEntry.objects.filter(article_id=article.pk, action="publish").exists()

    page = reviewer.get(transition_url(article, "publish"))
    reviewer.post(transition_url(article, "publish"), confirm_page_data(page))
    assert status_of(article) == S.PUBLISHED


def test_bulk_publish_publishes_only_the_versions_shown(editor, reviewer):
    """The 发布 action lists the versions it will publish; one changed since is skipped."""
    steady, swapped = draft("七星区：没动"), draft("七星区：被换")
    for article in (steady, swapped):
        editor.post(transition_url(article, "submit"))
    page = run_action(reviewer, "publish_selected", steady, swapped)
    assert "第 " in page.text and status_of(steady) == S.PENDING
    _swap_text_after_review(editor, swapped)

    response = reviewer.post(reverse(CHANGELIST), confirm_page_data(page), follow=True)
    assert status_of(steady) == S.PUBLISHED
    assert status_of(swapped) == S.PENDING
    assert any("没有发布" in str(m) and "偷换" in str(m) for m in response.context["messages"])


# --- Publication time (issue 15 #7) -------------------------------------------------


def test_publishing_dates_the_article_when_it_is_published(editor, reviewer):
    """An article written days ago and published now is dated now, not when its form
    was opened, whether published from the form, its page or the list."""
    days_ago = timezone.now() - timedelta(days=3)
    by_form, by_page, by_list = (
        pending(t, published_at=days_ago) for t in ("七星区：甲", "七星区：乙", "七星区：丙")
    )
    before = timezone.now().replace(second=0, microsecond=0)
    open_and_post(reviewer, by_form, _transition="publish")
    publish_confirmed(reviewer, by_page)
    run_action(reviewer, "publish_selected", by_list, apply="1")
    for article in (by_form, by_page, by_list):
        article.refresh_from_db()
        assert article.status == S.PUBLISHED
        assert article.published_at >= before


def test_publishing_keeps_a_time_set_on_purpose(reviewer):
    """A reviewer who sets the time in the form while publishing keeps that time; so
    does an article taken offline and published again."""
    article = pending()
    chosen = timezone.localtime(timezone.now() - timedelta(days=2)).replace(second=0, microsecond=0)
    open_and_post(
        reviewer,
        article,
        _transition="publish",
        published_at_0=chosen.strftime("%Y-%m-%d"),
        published_at_1=chosen.strftime("%H:%M:%S"),
    )
    article.refresh_from_db()
    assert (article.status, article.published_at) == (S.PUBLISHED, chosen)
    run_action(reviewer, "unpublish_selected", article)
    run_action(reviewer, "publish_selected", article, apply="1")
    article.refresh_from_db()
    assert (article.status, article.published_at) == (S.PUBLISHED, chosen)
