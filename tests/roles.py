"""Helpers for the workflow tests: users in each role, and forms as a browser sends them."""

from html.parser import HTMLParser

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

EDITOR = "编辑"
REVIEWER = "审核"
ADMINISTRATOR = "管理员"


def make_user(role, username=None, *, is_staff=True):
    """A staff user (not a superuser) in the group of ``role``, as created by the migration."""
    username = username or f"{role}-{get_user_model().objects.count() + 1}"
    user = get_user_model().objects.create_user(username, password="pw-Unused-9", is_staff=is_staff)
    user.groups.add(Group.objects.get(name=role))
    return user


def login(client, role, username=None):
    """``client`` logged in as a new user of ``role``; the user is ``client.user``."""
    user = make_user(role, username)
    client.force_login(user)
    client.user = user
    return client


class _FormReader(HTMLParser):
    """Collects what submitting one form unchanged would send (no file inputs, no buttons)."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.data = {}
        self.select = None
        self.option = None
        self.textarea = None

    def _add(self, name, value):
        if not name or "__prefix__" in name:
            return
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
            return
        if not self.inside:
            return
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self._add(attrs.get("name"), attrs.get("value", "on"))
                return
            self._add(attrs.get("name"), attrs.get("value", ""))
        elif tag == "textarea":
            self.textarea = [attrs.get("name"), ""]
        elif tag == "select":
            self.select = [attrs.get("name"), None, None]
        elif tag == "option" and self.select is not None:
            value = attrs.get("value")
            self.option = [value, ""]
            if self.select[2] is None:
                self.select[2] = value
            if "selected" in attrs:
                self.select[1] = value

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data
        if self.option is not None:
            self.option[1] += data

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "textarea" and self.textarea is not None:
            value = self.textarea[1]
            # A browser drops the one newline that follows <textarea>.
            self._add(self.textarea[0], value[1:] if value.startswith("\n") else value)
            self.textarea = None
        elif tag == "option":
            self.option = None
        elif tag == "select" and self.select is not None:
            name, selected, first = self.select
            self._add(name, selected if selected is not None else (first or ""))
            self.select = None


def form_data(response, form_id="article_form", **changes):
    """The POST data of the page's form as rendered, with ``changes`` applied."""
    reader = _FormReader(form_id)
    reader.feed(response.content.decode())
    data = {name: values if len(values) > 1 else values[0] for name, values in reader.data.items()}
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return data


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def open_and_post(client, article, **changes):
    """Open the article's change page, change fields as a person would, and save."""
    page = client.get(change_url(article))
    assert page.status_code == 200
    return client.post(change_url(article), form_data(page, **changes))
