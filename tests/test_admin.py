"""The editors' admin: Chinese interface, channel tree, article editing and protections."""

import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Channel, RelatedArticle, SiteSettings, Source
from tests.conftest import make_article, make_channel, make_source

pytestmark = pytest.mark.django_db

PROTECTED = "将要求删除以下受保护的相关对象"


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Users are created with a cheap hasher; no test here is about passwords."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


class _FormReader(HTMLParser):
    """Reads what a browser would submit from the admin's main form on a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.inside = False
        self.values = []
        self._textarea = None
        self._select = None
        self._option = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            # The admin's add/change form is the one with id "<model>_form".
            self.inside = (attrs.get("id") or "").endswith("_form")
            return
        name = attrs.get("name")
        if not self.inside or "disabled" in attrs:
            return
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.values.append((name, attrs.get("value") or "on"))
            elif kind not in ("submit", "button", "image", "reset", "file"):
                self.values.append((name, attrs.get("value") or ""))
        elif tag == "textarea" and name:
            self._textarea = (name, [])
        elif tag == "select" and name:
            self._select = (name, "multiple" in attrs, [])
        elif tag == "option" and self._select is not None:
            self._option = [attrs.get("value"), "selected" in attrs, []]
            self._select[2].append(self._option)

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self._textarea is not None:
            name, parts = self._textarea
            # Browsers drop the one newline that may follow <textarea>.
            self.values.append((name, "".join(parts).removeprefix("\n")))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            name, multiple, options = self._select
            chosen = [o for o in options if o[1]] or ([] if multiple else options[:1])
            for value, _, text in chosen:
                self.values.append((name, value if value is not None else "".join(text).strip()))
            self._select = None
        elif tag == "option":
            self._option = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1].append(data)
        elif self._option is not None:
            self._option[2].append(data)


def admin_form(client, page_url, /, **fields):
    """The POST data a browser sends from the admin form at ``page_url``, ``fields`` changed."""
    response = client.get(page_url)
    assert response.status_code == 200, page_url
    reader = _FormReader()
    reader.feed(response.text)
    reader.close()
    data = {}
    for name, value in reader.values:
        if name in data:
            data[name] = (
                [*data[name], value] if isinstance(data[name], list) else [data[name], value]
            )
        else:
            data[name] = value
    data.update(fields)
    return data


def article_form(client, channel, /, related=(), change_url=None, **fields):
    """POST data for the article add view (or the change view at ``change_url``).

    Starts from the form the admin renders, so hidden fields come along. On the add
    view the article defaults to published two hours ago in ``channel``. ``related``
    is a list of (article, position) pairs, added as new rows of the inline.
    """
    data = admin_form(client, change_url or reverse("admin:articles_article_add"))
    if change_url is None:
        published = timezone.localtime(timezone.now() - timedelta(hours=2))
        data.update(
            {
                "title": "七星区：跟进监督",
                "channel": channel.pk,
                "body": "<p>正文。</p>",
                "status": Article.Status.PUBLISHED,
                "published_at_0": published.strftime("%Y-%m-%d"),
                "published_at_1": published.strftime("%H:%M:%S"),
            }
        )
    if "related_links-INITIAL_FORMS" not in data:
        # The user may not edit related articles: the form has no inline at all.
        assert not related
        data.update(fields)
        return data
    # Keep the rows already saved, drop the blank extra rows, append the wanted ones.
    initial = int(data["related_links-INITIAL_FORMS"])
    data = {
        key: value
        for key, value in data.items()
        if not ((m := re.match(r"related_links-(\d+)-", key)) and int(m.group(1)) >= initial)
    }
    for i, (article, position) in enumerate(related, start=initial):
        data[f"related_links-{i}-related"] = article.pk
        data[f"related_links-{i}-position"] = position
    data["related_links-TOTAL_FORMS"] = str(initial + len(related))
    data.update(fields)
    return data


# What an editor is given: articles, their related-article rows, and the pickers.
EDITOR_PERMISSIONS = [
    "add_article",
    "change_article",
    "view_article",
    "add_relatedarticle",
    "change_relatedarticle",
    "delete_relatedarticle",
    "view_relatedarticle",
    "view_channel",
    "view_source",
]


def make_staff(django_user_model, username, *perms):
    """A staff user who is not a superuser, with the given articles permissions."""
    user = django_user_model.objects.create_user(username, password="pw-Unused-9", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="articles", codename__in=perms)
    )
    return user


def changelist_names(response):
    return re.findall(r'class="field-indented_name"><a [^>]*>([^<]*)</a>', response.text)


# --- Chinese interface --------------------------------------------------------------


def test_admin_index_speaks_chinese(admin_client):
    """The admin home shows the site header and the app's models by their Chinese names."""
    response = admin_client.get(reverse("admin:index"))
    assert response.status_code == 200
    for text in ("清廉网站内容管理", "管理首页", "文章", "栏目", "来源", "网站设置"):
        assert text in response.text


def test_article_changelist_speaks_chinese(admin_client, channel, source):
    """The article list has Chinese title, columns and filters."""
    make_article("秀峰区：整治", channel=channel, source=source)
    response = admin_client.get(reverse("admin:articles_article_changelist"))
    assert response.status_code == 200
    text = response.text
    assert "选择要修改的文章" in text
    assert "筛选" in text
    assert "搜索" in text
    for column in ("标题", "状态", "栏目", "来源", "发布时间", "置顶", "标记", "浏览次数"):
        assert column in text
    for title in ("状态", "栏目", "来源", "置顶"):
        assert f'data-filter-title="{title}"' in text
    assert "已发布" in text
    assert "秀峰区：整治" in text


def test_article_add_form_speaks_chinese(admin_client, channel):
    """The article form labels its fields and fieldsets in Chinese."""
    response = admin_client.get(reverse("admin:articles_article_add"))
    assert response.status_code == 200
    for label in ("标题", "栏目", "来源", "作者", "摘要", "正文", "封面图片", "发布时间"):
        assert label in response.text
    assert "相关文章（按排序数字从小到大显示）" in response.text


# --- Channel tree -------------------------------------------------------------------


@pytest.fixture
def tree():
    """Two top channels created out of order, with children and a grandchild."""
    window = make_channel("清廉之窗", "qinglian", position=2)
    news = make_channel("新闻廉播", "xinwen", position=1)
    xunshi = make_channel("巡视巡察", "xunshi", parent=window, position=2)
    jiceng = make_channel("基层风采", "jiceng", parent=window, position=1)
    qixing = make_channel("七星区", "qixing", parent=jiceng, position=1)
    yaowen = make_channel("要闻", "yaowen", parent=news, position=1)
    return {
        "window": window,
        "news": news,
        "xunshi": xunshi,
        "jiceng": jiceng,
        "qixing": qixing,
        "yaowen": yaowen,
    }


def test_channel_changelist_is_indented_tree(admin_client, tree):
    """Channels are listed parents first, children right after, indented with U+3000."""
    response = admin_client.get(reverse("admin:articles_channel_changelist"))
    assert response.status_code == 200
    indent = "\u3000\u3000"
    assert changelist_names(response) == [
        "新闻廉播",
        indent + "要闻",
        "清廉之窗",
        indent + "基层风采",
        indent * 2 + "七星区",
        indent + "巡视巡察",
    ]


def test_channel_parent_picker_is_indented_tree(admin_client, tree):
    """The parent picker offers the channels as the same indented tree."""
    response = admin_client.get(reverse("admin:articles_channel_add"))
    options = re.findall(r'<option value="(\d+)"[^>]*>([^<]*)</option>', response.text)
    indent = "\u3000\u3000"
    assert options == [
        (str(tree["news"].pk), "新闻廉播"),
        (str(tree["yaowen"].pk), indent + "要闻"),
        (str(tree["window"].pk), "清廉之窗"),
        (str(tree["jiceng"].pk), indent + "基层风采"),
        (str(tree["qixing"].pk), indent * 2 + "七星区"),
        (str(tree["xunshi"].pk), indent + "巡视巡察"),
    ]


@pytest.mark.parametrize("new_parent", ["window", "jiceng", "qixing"])
def test_channel_parent_cannot_be_itself_or_descendant(admin_client, tree, new_parent):
    """A channel cannot be moved under itself or under one of its descendants."""
    window = tree["window"]
    url = reverse("admin:articles_channel_change", args=[window.pk])
    response = admin_client.post(url, admin_form(admin_client, url, parent=tree[new_parent].pk))
    assert response.status_code == 200
    assert "上级栏目不能是本栏目或它的下级栏目。" in response.text
    window.refresh_from_db()
    assert window.parent_id is None


def test_channel_can_move_under_another_branch(admin_client, tree):
    """Moving a channel under a channel outside its own branch is saved."""
    jiceng = tree["jiceng"]
    url = reverse("admin:articles_channel_change", args=[jiceng.pk])
    response = admin_client.post(url, admin_form(admin_client, url, parent=tree["news"].pk))
    assert response.status_code == 302
    jiceng.refresh_from_db()
    assert jiceng.parent == tree["news"]


# --- Adding and editing articles ----------------------------------------------------


def test_add_article_through_admin(admin_client, channel, source):
    """An article added in the admin keeps its body, source, user and related order."""
    first = make_article("第一篇相关", channel=channel)
    second = make_article("第二篇相关", channel=channel)
    data = article_form(
        admin_client,
        channel,
        related=[(first, 5), (second, 1)],
        title="雁山区：清廉村居",
        source=source.pk,
        author="通讯员 李明",
        body="<p>\u3000\u3000雁山区推进<strong>清廉村居</strong>建设。</p><p>第二段。</p>",
    )
    response = admin_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    article = Article.objects.get(title="雁山区：清廉村居")
    assert article.source == source
    assert article.author == "通讯员 李明"
    assert (
        article.body
        == "<p>\u3000\u3000雁山区推进<strong>清廉村居</strong>建设。</p><p>第二段。</p>"
    )
    assert article.created_by == admin_client.user
    assert article.updated_by == admin_client.user
    assert article.summary == "雁山区推进清廉村居建设。"
    assert list(
        RelatedArticle.objects.filter(article=article).values_list("related__title", "position")
    ) == [("第二篇相关", 1), ("第一篇相关", 5)]

    page = admin_client.get(article.get_absolute_url())
    assert page.status_code == 200
    related_section = page.text.split('id="related-title"', 1)[1]
    assert related_section.index("第二篇相关") < related_section.index("第一篇相关")


def test_admin_body_is_sanitized(admin_client, channel):
    """HTML posted in the body field is stored reduced to the allow-list."""
    data = article_form(
        admin_client,
        channel,
        title="清洗测试",
        body='<p onclick="alert(1)">正文</p><script>alert(1)</script>',
    )
    response = admin_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 302
    assert Article.objects.get(title="清洗测试").body == "<p>正文</p>"


def test_article_cannot_be_related_to_itself(admin_client, channel):
    """The inline refuses a related article that is the article itself."""
    article = make_article("自己", channel=channel)
    url = reverse("admin:articles_article_change", args=[article.pk])
    response = admin_client.post(
        url, article_form(admin_client, channel, related=[(article, 0)], change_url=url)
    )
    assert response.status_code == 200
    assert "文章不能与自己相关。" in response.text
    assert not RelatedArticle.objects.exists()


def test_edit_by_another_user_updates_only_updated_by(
    admin_client, client, channel, django_user_model
):
    """Another editor's change sets updated_by to them and keeps created_by."""
    response = admin_client.post(
        reverse("admin:articles_article_add"),
        article_form(admin_client, channel, title="原标题", status=Article.Status.DRAFT),
    )
    assert response.status_code == 302
    article = Article.objects.get(title="原标题")
    creator = admin_client.user

    editor = make_staff(django_user_model, "editor", *EDITOR_PERMISSIONS)
    client.force_login(editor)
    url = reverse("admin:articles_article_change", args=[article.pk])
    response = client.post(url, article_form(client, channel, change_url=url, title="新标题"))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "新标题"
    assert article.created_by == creator
    assert article.updated_by == editor


def test_source_autocomplete(admin_client, source):
    """The source picker's autocomplete finds a source by part of its name."""
    make_source("秀峰区纪委监委")
    response = admin_client.get(
        "/admin/autocomplete/",
        {
            "app_label": "articles",
            "model_name": "article",
            "field_name": "source",
            "term": "七星",
        },
    )
    assert response.status_code == 200
    assert response.json()["results"] == [{"id": str(source.pk), "text": "七星区纪委监委"}]


@pytest.mark.filterwarnings("error::django.core.paginator.UnorderedObjectListWarning")
def test_source_autocomplete_is_in_name_order(admin_client):
    """Autocomplete pages through matching sources in name order, never unordered."""
    make_source("B县纪委监委")
    make_source("C县纪委监委")
    make_source("A县纪委监委")
    response = admin_client.get(
        "/admin/autocomplete/",
        {
            "app_label": "articles",
            "model_name": "article",
            "field_name": "source",
            "term": "纪委",
        },
    )
    names = [item["text"] for item in response.json()["results"]]
    assert names == ["A县纪委监委", "B县纪委监委", "C县纪委监委"]


def test_related_article_autocomplete(admin_client, channel):
    """The related-articles inline finds articles by title."""
    wanted = make_article("临桂区：开放日", channel=channel)
    make_article("阳朔县：旅游监督", channel=channel)
    response = admin_client.get(
        "/admin/autocomplete/",
        {
            "app_label": "articles",
            "model_name": "relatedarticle",
            "field_name": "related",
            "term": "临桂",
        },
    )
    assert response.status_code == 200
    assert response.json()["results"] == [{"id": str(wanted.pk), "text": "临桂区：开放日"}]


# --- Protected deletes --------------------------------------------------------------


def assert_delete_refused(admin_client, obj):
    """The delete view shows the protection and a confirming POST deletes nothing."""
    opts = obj._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_delete", args=[obj.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    assert PROTECTED in page.text
    response = admin_client.post(url, {"post": "yes"})
    assert response.status_code == 200
    assert PROTECTED in response.text
    assert type(obj).objects.filter(pk=obj.pk).exists()


def assert_bulk_delete_refused(admin_client, obj):
    """The delete action shows the protection and a confirming POST deletes nothing."""
    opts = obj._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    data = {"action": "delete_selected", "_selected_action": [obj.pk]}
    page = admin_client.post(url, data)
    assert page.status_code == 200
    assert f"要删除所选的 {opts.verbose_name_plural}, {PROTECTED}" in page.text
    response = admin_client.post(url, {**data, "post": "yes"})
    assert PROTECTED in response.text
    assert type(obj).objects.filter(pk=obj.pk).exists()


def test_channel_with_articles_cannot_be_deleted(admin_client, channel):
    """A channel that still has articles is protected in the delete view."""
    make_article(channel=channel)
    assert_delete_refused(admin_client, channel)


def test_channel_with_children_cannot_be_deleted(admin_client, channel):
    """A channel that still has child channels is protected in the delete view."""
    assert_delete_refused(admin_client, channel.parent)


def test_source_in_use_cannot_be_deleted(admin_client, channel, source):
    """A source that articles use is protected in the delete view."""
    make_article(channel=channel, source=source)
    assert_delete_refused(admin_client, source)


def test_bulk_delete_of_channel_with_articles_refused(admin_client, channel):
    """The delete action does not delete a channel that has articles."""
    make_article(channel=channel)
    assert_bulk_delete_refused(admin_client, channel)


def test_bulk_delete_of_channel_with_children_refused(admin_client, channel):
    """The delete action does not delete a channel that has child channels."""
    assert_bulk_delete_refused(admin_client, channel.parent)


def test_bulk_delete_of_source_in_use_refused(admin_client, channel, source):
    """The delete action does not delete a source that articles use."""
    make_article(channel=channel, source=source)
    assert_bulk_delete_refused(admin_client, source)


def test_unused_source_can_be_deleted(admin_client):
    """A source no article uses is deleted after confirmation."""
    unused = make_source("无人使用")
    url = reverse("admin:articles_source_delete", args=[unused.pk])
    response = admin_client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not Source.objects.filter(pk=unused.pk).exists()


def test_empty_leaf_channel_can_be_deleted(admin_client, channel):
    """A channel without articles or children is deleted after confirmation."""
    url = reverse("admin:articles_channel_delete", args=[channel.pk])
    response = admin_client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not Channel.objects.filter(pk=channel.pk).exists()


# --- Article list -------------------------------------------------------------------


def test_article_list_date_hierarchy(admin_client, channel):
    """The list offers the publication years and filtering by year narrows it."""
    make_article("旧文章", channel=channel, published_at=timezone.now().replace(year=2021))
    make_article("新文章", channel=channel)
    url = reverse("admin:articles_article_changelist")
    response = admin_client.get(url)
    this_year = timezone.localtime().year
    assert "?published_at__year=2021" in response.text
    assert f"?published_at__year={this_year}" in response.text

    response = admin_client.get(url, {"published_at__year": "2021"})
    assert response.status_code == 200
    assert [a.title for a in response.context["cl"].result_list] == ["旧文章"]


def test_article_list_search_by_title(admin_client, channel):
    """Searching the list by part of a title returns that article only."""
    make_article("灵川县：小微权力清单", channel=channel)
    make_article("永福县：节日监督", channel=channel)
    response = admin_client.get(reverse("admin:articles_article_changelist"), {"q": "小微权力"})
    assert response.status_code == 200
    assert [a.title for a in response.context["cl"].result_list] == ["灵川县：小微权力清单"]


def test_article_list_filter_by_status(admin_client, channel):
    """Filtering the list by status shows only articles in that status."""
    make_article("草稿文章", channel=channel, status=Article.Status.DRAFT)
    make_article("已发文章", channel=channel)
    response = admin_client.get(
        reverse("admin:articles_article_changelist"), {"status__exact": "draft"}
    )
    assert [a.title for a in response.context["cl"].result_list] == ["草稿文章"]


# --- Site settings ------------------------------------------------------------------


def test_site_settings_changelist_redirects_to_the_one_object(admin_client):
    """The settings list goes straight to the form of the single settings row."""
    response = admin_client.get(reverse("admin:articles_sitesettings_changelist"))
    assert response.status_code == 302
    assert response.url == reverse("admin:articles_sitesettings_change", args=[1])
    assert SiteSettings.objects.count() == 1
    assert admin_client.get(response.url).status_code == 200


def test_site_settings_cannot_be_added_or_deleted(admin_client):
    """Neither the add nor the delete view of site settings is allowed."""
    settings_row = SiteSettings.load()
    assert admin_client.get(reverse("admin:articles_sitesettings_add")).status_code == 403
    delete_url = reverse("admin:articles_sitesettings_delete", args=[settings_row.pk])
    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 403
    assert SiteSettings.objects.count() == 1


def test_site_settings_are_saved_and_shown(admin_client, channel):
    """Settings saved in the admin appear in the public footer."""
    SiteSettings.load()
    url = reverse("admin:articles_sitesettings_change", args=[1])
    data = {
        "site_name": "清廉七星",
        "organizer": "中共七星区纪律检查委员会",
        "icp_number": "桂ICP备12345678号",
        "site_code": "4503050001",
        "weibo_url": "https://weibo.com/qinglian",
    }
    response = admin_client.post(url, admin_form(admin_client, url, **data))
    assert response.status_code == 302
    home = admin_client.get("/").text
    for value in data.values():
        assert value in home


# --- View on site -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "hours", "shown"),
    [
        (Article.Status.PUBLISHED, -1, True),
        (Article.Status.PUBLISHED, 5, False),
        (Article.Status.DRAFT, -1, False),
        (Article.Status.PENDING, -1, False),
        (Article.Status.OFFLINE, -1, False),
    ],
)
def test_view_on_site_only_for_visible_articles(admin_client, channel, status, hours, shown):
    """The change form links to the public page only when readers can see the article."""
    article = make_article(
        channel=channel, status=status, published_at=timezone.now() + timedelta(hours=hours)
    )
    response = admin_client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert response.status_code == 200
    assert ("在网站上查看" in response.text) is shown
    assert (f'href="{article.get_absolute_url()}"' in response.text) is shown


def test_channel_lists_built_together_keep_their_own_tree(rf, admin_client, tree):
    """The one ChannelAdmin serves every thread: a list being built keeps the tree it was
    built from, whatever another request does to the shared admin meanwhile."""
    from django.contrib import admin

    channel_admin = admin.site._registry[Channel]
    first, second = rf.get("/"), rf.get("/")
    first.user = second.user = admin_client.user
    started = channel_admin.changelist_view(first)
    tree["qixing"].parent = None
    tree["qixing"].save()
    other = channel_admin.changelist_view(second).render()
    started.render()
    indent = "\u3000\u3000"
    assert indent * 2 + "七星区" in changelist_names(started)
    assert "七星区" in changelist_names(other)
    assert not {"_depths"} & set(vars(channel_admin))
