"""The admin speaks Chinese to the people who use it (issue 15 #4): no English words on
the pages of an editor's, a reviewer's and an administrator's day, outside names and data."""

import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from articles.models import Article, Channel
from tests.conftest import make_article
from tests.roles import ADMINISTRATOR, EDITOR, REVIEWER, login

pytestmark = pytest.mark.django_db

# Names: terms of Chinese usage too, and the meta tags government websites must carry.
ALLOWED = {"ICP", "IP", "LDAP", "OpenCC", "QQ", "RSS", "URL", "ColumnType", "ColumnKeywords"}
ALLOWED |= {"ColumnDescription", "ColumnName", "Keywords", "SiteDomain", "SiteIDCode"}
SKIPPED = {"script", "style", "textarea", "svg", "template"}


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


def english_words(response, *data):
    assert response.status_code == 200, response.status_code
    reader = VisibleText()
    reader.feed(response.content.decode())
    text = " ".join(reader.parts)
    for value in data:
        text = text.replace(value, " ")
    text = re.sub(r"/[\w/-]+/", " ", text)  # addresses such as /channel/网址名/
    return set(re.findall(r"[A-Za-z][A-Za-z'’]+", text)) - ALLOWED


@pytest.fixture
def article(channel, source):
    return make_article(status=Article.Status.DRAFT, source=source)


def urls(article, *names):
    pages = {
        "index": reverse("admin:index"),
        "articles": reverse("admin:articles_article_changelist"),
        "add": reverse("admin:articles_article_add"),
        "change": reverse("admin:articles_article_change", args=[article.pk]),
        "history": reverse("admin:articles_article_history", args=[article.pk]),
        "channels": reverse("admin:articles_channel_changelist"),
        "channel": reverse("admin:articles_channel_change", args=[article.channel_id]),
        "sources": reverse("admin:articles_source_changelist"),
        "users": reverse("admin:auth_user_changelist"),
        "add_user": reverse("admin:auth_user_add"),
        "password": reverse("admin:password_change"),
    }
    return [pages[name] for name in names]


@pytest.mark.parametrize(
    "role, pages",
    [
        (EDITOR, ["index", "articles", "add", "change", "history", "password"]),
        (REVIEWER, ["index", "articles", "change", "history"]),
        (ADMINISTRATOR, ["index", "channels", "channel", "sources", "users", "add_user"]),
    ],
)
def test_admin_pages_have_no_english_words(role, pages, article):
    """Every page of the role's day reads in Chinese (user names and data aside)."""
    client = login(Client(), role, "xiaowang")
    for url in urls(article, *pages):
        data = ["xiaowang", article.channel.slug, *(c.slug for c in Channel.objects.all())]
        assert english_words(client.get(url), *data) == set(), url
