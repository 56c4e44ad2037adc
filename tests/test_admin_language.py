"""The admin speaks Chinese to the people who use it (issue 15 #4): no English words on
the pages of an editor's, a reviewer's and an administrator's day, outside names and
data — nor in the strings the admin's scripts show (its JavaScript catalogue)."""

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import django
import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from articles.models import Article, Channel, FriendlyLink
from tests.conftest import make_article
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

# Names: terms of Chinese usage too, and the meta tags government websites must carry.
ALLOWED = {"ICP", "IP", "LDAP", "OpenCC", "QQ", "RSS", "URL", "ColumnType", "ColumnKeywords"}
ALLOWED |= {"ColumnDescription", "ColumnName", "Keywords", "SiteDomain", "SiteIDCode"}
# What a 转向链接 must start with: the editor types these letters.
ALLOWED |= {"http", "https"}
# The file formats an article may carry (附件), by the names editors know them by.
ALLOWED |= {"PDF", "Word", "Excel", "WPS", "OFD", "MP", "zip"}
ALLOWED |= {"doc", "docx", "xls", "xlsx", "wps", "et"}
ALLOWED |= {"GET", "POST", "Excel", "JPEG", "PNG", "GIF", "WebP", "CKEditor", "PDF", "HTML"}
# Keys as printed on keyboards ("按住 Control 键，或者 Mac 上的 Command 键").
ALLOWED |= {"Control", "Command", "Mac", "Ctrl", "Shift"}
SKIPPED = {"script", "style", "textarea", "svg", "template"}
USERS = ["xiaowang", "laoli", "zhuren", "xiaozhao"]


class VisibleText(HTMLParser):
    """The words a person reads or hears: text, titles, labels, placeholders, button faces."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hidden = 0
        self.parts = []

    def handle_starttag(self, tag, attrs):
        if tag in SKIPPED:
            self.hidden += 1
        attrs = dict(attrs)
        for name in ("title", "placeholder", "aria-label", "alt"):
            self.parts.append(attrs.get(name) or "")
        if tag == "input" and attrs.get("type") in ("submit", "button"):
            self.parts.append(attrs.get("value") or "")

    def handle_endtag(self, tag):
        if tag in SKIPPED and self.hidden:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def latin_words(text):
    text = re.sub(r"https?://\S+", " ", text)  # web addresses
    text = re.sub(r"\w+\*+", " ", text)  # a password's hash, masked
    text = re.sub(r"\w+(\.\w+)+", " ", text)  # domain names
    text = re.sub(r"\w+_\w+", " ", text)  # commands to run, such as check_links
    text = re.sub(r"/[\w/.%-]+/?", " ", text)  # addresses such as /channel/网址名/
    return set(re.findall(r"[A-Za-z][A-Za-z'’]+", text)) - ALLOWED


def english_words(response, *data):
    assert response.status_code == 200, response.status_code
    reader = VisibleText()
    reader.feed(response.content.decode())
    text = " ".join(reader.parts)
    for value in sorted(data, key=len, reverse=True):
        text = text.replace(value, " ")
    return latin_words(text)


@pytest.fixture
def desk(channel, source):
    """What a working day leaves in the admin: a draft with two saved versions, an article
    waiting for review, a published one, a friendly link, a login lock."""
    editor = login(Client(), EDITOR, "xiaowang")
    page = editor.get(reverse("admin:articles_article_add"))
    data = form_data(page, title="七星区：初稿", channel=channel.pk, body="<p>第一段。</p>")
    assert editor.post(reverse("admin:articles_article_add"), data).status_code == 302
    draft = Article.objects.get(title="七星区：初稿")
    assert open_and_post(editor, draft, title="七星区：改稿").status_code == 302
    versions = list(Version.objects.get_for_object(draft).order_by("pk"))
    pending = make_article("七星区：待审稿", status=Article.Status.PENDING, source=source)
    published = make_article("七星区：已发布", source=source)
    FriendlyLink.objects.create(name="广西壮族自治区纪委监委", url="https://www.gxjjw.gov.cn/")
    AccessAttempt.objects.create(
        username="xiaozhao",
        ip_address="203.0.113.7",
        user_agent="Mozilla",
        failures_since_start=5,
        get_data="",
        post_data="",
        http_accept="*/*",
        path_info="/admin/login/",
    )
    return {
        "editor": editor,
        "draft": draft,
        "versions": versions,
        "pending": pending,
        "published": published,
        "colleague": make_user(EDITOR, "xiaozhao"),
    }


def article_url(name, article, *args):
    return reverse(f"admin:articles_article_{name}", args=[article.pk, *args])


def editor_pages(desk):
    draft, (old, new) = desk["draft"], desk["versions"][:2]
    return [
        reverse("admin:index"),
        reverse("admin:articles_article_changelist"),
        reverse("admin:articles_article_changelist") + "?status=draft",
        reverse("admin:articles_article_add"),
        change_url(draft),
        change_url(desk["pending"]),
        change_url(desk["published"]),
        article_url("history", draft),
        article_url("compare", draft) + f"?from={old.pk}&to={new.pk}",
        article_url("revision", draft, old.pk),
        reverse("admin:articles_source_add") + "?_to_field=id&_popup=1",
        reverse("admin:password_change"),
        reverse("admin:password_change_done"),
    ]


def reviewer_pages(desk):
    pending = desk["pending"]
    return [
        reverse("admin:index"),
        reverse("admin:articles_article_changelist"),
        reverse("admin:articles_article_changelist") + "?status=pending",
        change_url(pending),
        change_url(desk["published"]),
        article_url("history", pending),
        article_url("transition", pending, "reject"),
        article_url("transition", desk["published"], "unpublish"),
        reverse("admin:password_change"),
    ]


def administrator_pages(desk):
    channel = desk["draft"].channel
    colleague = desk["colleague"]
    editors = Group.objects.get(name=EDITOR)
    return [
        reverse("admin:index"),
        reverse("admin:articles_channel_changelist"),
        reverse("admin:articles_channel_add"),
        reverse("admin:articles_channel_change", args=[channel.pk]),
        reverse("admin:articles_source_changelist"),
        reverse("admin:articles_source_add"),
        reverse("admin:articles_source_change", args=[desk["published"].source_id]),
        reverse("admin:articles_friendlylink_changelist"),
        reverse("admin:articles_friendlylink_add"),
        reverse("admin:articles_sitesettings_changelist"),
        reverse("admin:articles_auditentry_changelist"),
        article_url("delete", desk["published"]),
        reverse("admin:articles_article_recoverlist"),
        reverse("admin:auth_user_changelist"),
        reverse("admin:auth_user_add"),
        reverse("admin:auth_user_change", args=[colleague.pk]),
        reverse("admin:auth_user_password_change", args=[colleague.pk]),
        reverse("admin:auth_user_history", args=[colleague.pk]),
        reverse("admin:auth_group_changelist"),
        reverse("admin:auth_group_add"),
        reverse("admin:auth_group_change", args=[editors.pk]),
        reverse("admin:axes_accessattempt_changelist"),
        # Lifting a lock: the record is named on the confirmation page.
        reverse("admin:axes_accessattempt_delete", args=[AccessAttempt.objects.get().pk]),
        reverse("admin:inspections_dashboard_changelist"),
        reverse("admin:inspections_dashboard_stats"),
        reverse("admin:inspections_wordingrule_changelist"),
        reverse("admin:inspections_freshnesslimit_changelist"),
        reverse("admin:password_change"),
    ]


@pytest.mark.parametrize(
    "role, username, pages",
    [
        (EDITOR, None, editor_pages),
        (REVIEWER, "laoli", reviewer_pages),
        (ADMINISTRATOR, "zhuren", administrator_pages),
    ],
)
def test_admin_pages_have_no_english_words(role, username, pages, desk):
    """Every page of the role's day reads in Chinese (user names and data aside)."""
    client = desk["editor"] if username is None else login(Client(), role, username)
    algorithm = desk["colleague"].password.split("$")[0]  # the password hasher's name
    data = [*USERS, *(c.slug for c in Channel.objects.all()), "Mozilla", algorithm]
    found = {}
    for url in pages(desk):
        response = client.get(url, follow=True)
        words = english_words(response, *data)
        if words:
            found[url] = sorted(words)
    assert found == {}


def admin_script_messages():
    """Every message the admin's scripts translate: the msgids of Django's own catalogue
    (its English one lists them all), as keys of the JavaScript catalogue."""
    po = Path(django.__file__).parent / "contrib/admin/locale/en/LC_MESSAGES/djangojs.po"
    keys, context, msgid, field = [], None, None, None
    for line in [*po.read_text(encoding="utf-8").splitlines(), ""]:
        if line.startswith("msgctxt "):
            context, field = json.loads(line[8:]), "msgctxt"
        elif line.startswith("msgid "):
            msgid, field = json.loads(line[6:]), "msgid"
        elif line.startswith('"') and field in ("msgid", "msgctxt"):
            if field == "msgid":
                msgid += json.loads(line)
            else:
                context += json.loads(line)
        elif line.startswith("msgstr") or line.startswith("msgid_plural"):
            if msgid:
                keys.append(f"{context}\x04{msgid}" if context else msgid)
            context, msgid, field = None, None, None
    return sorted(set(keys))


def test_admin_scripts_speak_chinese(desk):
    """The date and time pickers, the two-box selector of the group and user forms, the
    list's action warnings: each message of the admin's JavaScript catalogue is translated,
    and reads without English words."""
    response = desk["editor"].get(reverse("admin:jsi18n"))
    assert response.status_code == 200
    catalog = json.loads(
        re.search(r"const newcatalog = (\{.*?\});\n", response.content.decode(), re.S).group(1)
    )
    untranslated = [key for key in admin_script_messages() if key not in catalog]
    assert untranslated == []
    english = {}
    for key, value in catalog.items():
        for text in value if isinstance(value, list) else [value]:
            if latin_words(re.sub(r"%(\(\w+\))?s", " ", text)):
                english[key] = text
    assert english == {}


def test_welcome_reads_as_written_in_chinese(desk):
    """欢迎，xiaowang。— the name as it is written (admin styles shout it in capitals)."""
    page = desk["editor"].get(reverse("admin:index")).content.decode()
    assert re.search(r"欢迎，\s*<strong>xiaowang</strong>。", page)
    assert "Welcome" not in page


def test_permissions_read_as_actions_in_chinese(desk, admin_client):
    """The group form lists permissions as 添加文章, 修改来源… not "Can add 文章"."""
    editors = Group.objects.get(name=EDITOR)
    page = admin_client.get(reverse("admin:auth_group_change", args=[editors.pk]))
    text = page.content.decode()
    assert "Can add" not in text and "Can change" not in text
    for label in ("添加文章", "提交审核或撤回文章", "查看来源", "添加来源"):
        assert re.search(rf"<option [^>]*>{label}</option>", text), label


def test_password_rules_are_explained_in_chinese(desk):
    """A password refused on the one-form user page says why in Chinese: Django 5.2's
    length message has placeholders its Chinese catalogue does not know."""
    client = login(Client(), ADMINISTRATOR, "zhuren")
    add = reverse("admin:auth_user_add")
    form = {
        "username": "xiaozhou",
        "role": str(Group.objects.get(name=EDITOR).pk),
        "usable_password": "true",
    }
    short = client.post(add, {**form, "password1": "Aa1-x", "password2": "Aa1-x"})
    assert "密码太短，至少要有 10 个字符。" in short.text
    similar = client.post(add, {**form, "password1": "Xiaozhou-1", "password2": "Xiaozhou-1"})
    assert "密码与用户名太相似。" in similar.text
    assert "<title>出错： 新建用户" in short.text
    assert english_words(short, *USERS) == set() and english_words(similar, *USERS) == set()


@pytest.mark.parametrize(
    "name",
    [
        "articles_article",
        "articles_channel",
        "articles_source",
        "articles_friendlylink",
        "articles_slot",
        "articles_site",
        "articles_phrasecorrection",
        "auth_user",
        "auth_group",
        "inspections_wordingrule",
    ],
)
def test_a_form_sent_back_with_errors_speaks_chinese(desk, name):
    """An add form sent as a browser sends it, its own fields empty (an address field
    holding something that is none), comes back with its errors, all in Chinese."""
    client = login(Client(), ADMINISTRATOR, "zhuren")
    url = reverse(f"admin:{name}_add")
    data = form_data(client.get(url), f"{name.split('_', 1)[1]}_form")
    data = {k: v if "-" in k or k == "csrfmiddlewaretoken" else "" for k, v in data.items()}
    page = client.post(url, {**data, "url": "not a web address"})
    assert page.status_code == 200 and "errorlist" in page.text
    assert english_words(page, *USERS) == set()
