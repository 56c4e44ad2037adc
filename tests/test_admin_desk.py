"""The desk's day (issue 15): the main step first, one message per save, the work queue,
who may change what, the automatic summary, channel slugs, staff users and sources."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from articles.models import Article, FriendlyLink
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


def buttons(html):
    """The submit buttons of the article form, in page order: (value, label, classes)."""
    html = html[html.index('id="article_form"') :]
    found = []
    for attrs, label in re.findall(r"<button([^>]*)>([^<]*)</button>", html):
        if 'type="submit"' in attrs:
            value = re.search(r'value="([^"]*)"', attrs)
            classes = re.search(r'class="([^"]*)"', attrs)
            found.append((value and value[1], label, classes[1].split() if classes else []))
    for attrs in re.findall(r"<input([^>]*type=\"submit\"[^>]*)>", html):
        name, value = re.search(r'name="([^"]*)"', attrs), re.search(r'value="([^"]*)"', attrs)
        found.append((name[1], value[1], []))
    return found


def messages_after(client, response):
    assert response.status_code == 302, response.context and response.context["errors"]
    page = client.get(response["Location"])
    return [str(m) for m in page.context["messages"]]


# --- #8 The main step first, each message once --------------------------------------


def test_editor_main_step_is_the_first_and_primary_button(editor):
    article = make_article("七星区：草稿", status=S.DRAFT)
    html = editor.get(change_url(article)).content.decode()
    first, *rest = buttons(html)
    assert first[:2] == ("submit", "保存并提交审核")
    assert "workflow-primary" in first[2]
    assert ("_save", "保存", []) in rest
    assert html.index("保存并提交审核") < html.index('name="_save"')


def test_reviewer_main_step_on_a_pending_article_is_publish(reviewer):
    article = make_article("七星区：待审", status=S.PENDING)
    first, *_ = buttons(reviewer.get(change_url(article)).content.decode())
    assert first[:2] == ("publish", "保存并发布")
    assert "workflow-primary" in first[2]


def test_submitting_says_so_once(editor):
    article = make_article("七星区：草稿", status=S.DRAFT)
    response = open_and_post(editor, article, _transition="submit")
    assert messages_after(editor, response) == ["《七星区：草稿》已提交审核。"]


def test_publishing_says_so_once(reviewer):
    article = make_article("七星区：待审", status=S.PENDING)
    response = open_and_post(reviewer, article, _transition="publish")
    assert messages_after(reviewer, response) == ["《七星区：待审》已发布。"]


def test_saving_a_draft_says_it_is_not_submitted(editor):
    article = make_article("七星区：草稿", status=S.DRAFT)
    response = open_and_post(editor, article, title="七星区：改了")
    said = messages_after(editor, response)
    assert len(said) == 2
    assert "仍是草稿" in said[0] and "保存并提交审核" in said[0]
    assert "七星区：改了" in said[1]


# --- #11 The work queue on the admin's home -------------------------------------------


def shelf_text(html, title):
    """The text of the work queue's shelf called ``title`` (up to the next shelf)."""
    start = html.index(title)
    end = html.find("<section", start)
    return html[start : end if end > 0 else None]


def test_reviewer_home_lists_what_waits_for_review_oldest_first(reviewer):
    old = make_article("七星区：先交的", status=S.PENDING)
    new = make_article("七星区：后交的", status=S.PENDING)
    Article.objects.filter(pk=old.pk).update(updated_at=new.updated_at.replace(year=2020))
    make_article("七星区：还在写", status=S.DRAFT)
    html = reviewer.get(reverse("admin:index")).content.decode()
    shelf = shelf_text(html, "待审核（2）")
    assert shelf.index("七星区：先交的") < shelf.index("七星区：后交的")
    assert reverse("admin:articles_article_change", args=[old.pk]) in shelf
    assert "还在写" not in shelf
    assert "?status__exact=pending" in html


def test_editor_home_shows_drafts_returned_drafts_with_reason_and_published(editor):
    user = editor.user
    make_article("七星区：我的草稿", status=S.DRAFT, created_by=user)
    returned = make_article("七星区：退回的", status=S.DRAFT, created_by=user)
    Article.objects.filter(pk=returned.pk).update(review_note="导语太长，请压缩。")
    make_article("七星区：已登出", status=S.PUBLISHED, created_by=user)
    make_article("七星区：别人的草稿", status=S.DRAFT)
    html = editor.get(reverse("admin:index")).content.decode()
    assert "待审核（" not in html
    assert "七星区：退回的" in shelf_text(html, "被驳回，待我修改（1）")
    assert "导语太长，请压缩。" in shelf_text(html, "被驳回，待我修改（1）")
    assert "七星区：我的草稿" in shelf_text(html, "我的草稿（1）")
    assert "七星区：已登出" in shelf_text(html, "我的稿件已发布（1）")
    assert "别人的草稿" not in html


def test_a_rejected_draft_is_marked_in_the_article_list(editor):
    returned = make_article("七星区：退回的", status=S.DRAFT)
    Article.objects.filter(pk=returned.pk).update(review_note="请核实数字。")
    make_article("七星区：新草稿", status=S.DRAFT)
    html = editor.get(reverse("admin:articles_article_changelist")).content.decode()
    assert html.count("草稿（被驳回）") == 1


# --- #19 Who may change what, said on the form ------------------------------------------


NOTICE = 'class="workflow-note read-only-notice"'


@pytest.mark.parametrize(
    ("status", "says"),
    [(S.PENDING, "审核期间不能修改"), (S.PUBLISHED, "只能由审核人员修改")],
)
def test_editor_reads_why_a_form_is_read_only(editor, status, says):
    article = make_article("七星区：已交", status=status)
    html = editor.get(change_url(article)).content.decode()
    assert NOTICE in html and says in html
    assert 'name="title"' not in html
    response = open_and_post(editor, article, title="七星区：偷改")
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.title == "七星区：已交"


def test_editor_draft_and_reviewer_forms_carry_no_notice(editor, reviewer):
    draft = make_article("七星区：草稿", status=S.DRAFT)
    assert NOTICE not in editor.get(change_url(draft)).content.decode()
    for status in (S.PENDING, S.PUBLISHED):
        article = make_article(f"七星区：{status}", status=status)
        html = reviewer.get(change_url(article)).content.decode()
        assert NOTICE not in html and 'name="title"' in html


def test_a_read_only_body_shows_rendered_not_as_html_source(editor):
    """#10: after submitting, the editor reads the body as readers will, in a box; markup
    outside the allow-list is not run."""
    body = (
        "<p>\u3000\u3000督查组<strong>发现问题21个</strong>。</p>"
        '<table class="bordered"><tbody><tr><td>序号</td></tr></tbody></table>'
    )
    article = make_article("七星区：已交", status=S.PENDING, body=body)
    Article.objects.filter(pk=article.pk).update(body=body + "<script>alert(1)</script>")
    html = editor.get(change_url(article)).content.decode()
    shown = re.search(r'<div class="body-as-read">(.*?)</div>', html, re.S)[1]
    assert "<strong>发现问题21个</strong>" in shown and "<td>序号</td>" in shown
    assert "&lt;p&gt;" not in html and "<script>alert(1)" not in html


# --- #14 The automatic summary follows the body until the editor writes one -----------


def test_automatic_summary_follows_the_body_until_written_by_hand(editor, channel):
    article = make_article(
        "七星区：摘要", status=S.DRAFT, body="<p>第一段旧的。</p><p>第二段。</p>"
    )
    assert article.summary == "第一段旧的。"
    page = editor.get(change_url(article)).content.decode()
    assert "现在是自动摘要" in page

    open_and_post(editor, article, body="<p>第一段新的。</p><p>第二段。</p>")
    article.refresh_from_db()
    assert article.summary == "第一段新的。"

    open_and_post(editor, article, summary="编辑写的导语。")
    open_and_post(editor, article, body="<p>第一段又改了。</p>")
    article.refresh_from_db()
    assert article.summary == "编辑写的导语。"
    assert "现在是自己撰写的摘要" in editor.get(change_url(article)).content.decode()

    open_and_post(editor, article, summary="")
    article.refresh_from_db()
    assert article.summary == "第一段又改了。"


def test_summary_and_body_changed_together_keeps_the_new_summary(editor):
    article = make_article("七星区：摘要", status=S.DRAFT, body="<p>第一段。</p>")
    open_and_post(editor, article, body="<p>新第一段。</p>", summary="手写摘要。")
    article.refresh_from_db()
    assert article.summary == "手写摘要。"


# --- #17 A channel's slug from its name --------------------------------------------------


@pytest.fixture
def administrator(channel):
    return login(Client(), ADMINISTRATOR, "zhuren")


def add_channel(client, **fields):
    url = reverse("admin:articles_channel_add")
    page = client.get(url)
    assert "留空则按栏目名称的拼音自动生成" in page.content.decode()
    data = form_data(page, "channel_form", **fields)
    return client.post(url, data)


def test_new_channel_slug_is_the_pinyin_of_its_name_and_unique(administrator):
    from articles.models import Channel

    response = add_channel(administrator, name="工作动态", slug="")
    assert response.status_code == 302
    assert Channel.objects.get(name="工作动态").slug == "gongzuodongtai"
    # The fixture's 基层风采 has slug "jiceng": a second one gets the pinyin; a third, -2.
    add_channel(administrator, name="基层风采", slug="")
    add_channel(administrator, name="基层风采", slug="")
    slugs = set(Channel.objects.filter(name="基层风采").values_list("slug", flat=True))
    assert slugs == {"jiceng", "jicengfengcai", "jicengfengcai-2"}


def test_a_typed_channel_slug_is_kept(administrator):
    from articles.models import Channel

    add_channel(administrator, name="通知公告", slug="notices")
    assert Channel.objects.get(name="通知公告").slug == "notices"


def test_column_types_have_chinese_labels_in_list_filter_and_form(administrator):
    html = administrator.get(reverse("admin:articles_channel_changelist")).content.decode()
    assert "工作动态" in html and "Work News" not in html
    form = administrator.get(reverse("admin:articles_channel_add")).content.decode()
    assert '<option value="概况信息">概况信息</option>' in form


# --- #16 A staff user in one form ---------------------------------------------------------


def test_administrator_creates_a_reviewer_in_one_form(administrator):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    url = reverse("admin:auth_user_add")
    page = administrator.get(url)
    html = page.content.decode()
    assert "角色" in html and "审核" in html
    data = form_data(
        page,
        "user_form",
        username="laozhang",
        last_name="张",
        first_name="明",
        role=str(Group.objects.get(name=REVIEWER).pk),
        usable_password="true",
        password1="Qinglian-2024-pass",
        password2="Qinglian-2024-pass",
    )
    response = administrator.post(url, data)
    assert response.status_code == 302
    user = get_user_model().objects.get(username="laozhang")
    assert user.is_staff and not user.is_superuser
    assert [g.name for g in user.groups.all()] == [REVIEWER]
    assert user.check_password("Qinglian-2024-pass")
    assert Client().login(username="laozhang", password="Qinglian-2024-pass")


def test_a_staff_user_without_password_gets_a_link_to_set_one(administrator):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    url = reverse("admin:auth_user_add")
    data = form_data(
        administrator.get(url),
        "user_form",
        username="xiaozhao",
        role=str(Group.objects.get(name=EDITOR).pk),
        usable_password="false",
    )
    response = administrator.post(url, data)
    user = get_user_model().objects.get(username="xiaozhao")
    assert user.is_staff and not user.has_usable_password()
    assert [g.name for g in user.groups.all()] == [EDITOR]
    said = messages_after(administrator, response)
    link = reverse("admin:auth_user_password_change", args=[user.pk])
    assert any("还没有密码" in m and link in m for m in said)


# --- #15 Editors add a 来源 from the article form ----------------------------------------


def test_editor_adds_a_source_from_the_article_form(editor):
    from articles.models import Source

    article = make_article("七星区：草稿", status=S.DRAFT)
    html = editor.get(change_url(article)).content.decode()
    assert 'id="add_id_source"' in html
    assert "点右边的“+”新增一个来源" in html
    url = reverse("admin:articles_source_add") + "?_to_field=id&_popup=1"
    page = editor.get(url)
    assert page.status_code == 200
    data = form_data(page, "source_form", name="七星区纪委监委")
    assert editor.post(url, data).status_code == 200
    source = Source.objects.get(name="七星区纪委监委")
    open_and_post(editor, article, source=source.pk)
    article.refresh_from_db()
    assert article.source == source


def test_editor_still_may_not_change_or_delete_sources(editor):
    from articles.models import Source

    source = Source.objects.create(name="市纪委监委")
    url = reverse("admin:articles_source_change", args=[source.pk])
    assert editor.post(url, {"name": "改名"}).status_code == 403
    assert (
        editor.post(
            reverse("admin:articles_source_delete", args=[source.pk]), {"post": "yes"}
        ).status_code
        == 403
    )


# --- #2 Administrators keep the site's furniture --------------------------------------


def test_administrator_adds_a_friendly_link_with_an_existing_name(administrator):
    """The 管理员 group manages friendly links (migration 0019); two links may share a
    name (two pages of the same site), which the demo command later leaves alone."""
    FriendlyLink.objects.create(name="中央纪委国家监委网站", url="https://www.ccdi.gov.cn/")
    add = reverse("admin:articles_friendlylink_add")
    data = form_data(
        administrator.get(add),
        "friendlylink_form",
        name="中央纪委国家监委网站",
        url="https://www.ccdi.gov.cn/ywtt/",
        position="2",
    )
    assert administrator.post(add, data).status_code == 302
    assert FriendlyLink.objects.filter(name="中央纪委国家监委网站").count() == 2
    for url in (reverse("admin:articles_sitesettings_changelist"), add):
        assert administrator.get(url, follow=True).status_code == 200
