"""Faults degrade the site instead of breaking it: a dead cache server means slower pages,
a dead database the branded 503 page, and a failed save gives the editor's form back."""

import logging
import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import OperationalError, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client
from django.urls import reverse

from articles.caching import redis as resilient_cache
from articles.caching import view_counts
from articles.models import Article
from tests.conftest import make_article, make_source
from tests.test_admin import article_form

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Users are created with a cheap hasher; no test here is about passwords."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def site(channel):
    source = make_source("七星区纪委监委")
    article = make_article("七星区：跟进监督", channel=channel, source=source, is_featured=True)
    return article, channel


# --- The cache server is down -------------------------------------------------------


@pytest.fixture
def dead_cache(settings):
    """The site configured with a Redis cache on a port where nothing listens."""
    resilient_cache._down_until.clear()
    resilient_cache._last_warning.clear()
    settings.CACHES = {
        **settings.CACHES,  # the caches kept in the process, as configured
        "default": {
            "BACKEND": "articles.caching.redis.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1},
        },
    }
    yield
    resilient_cache._down_until.clear()
    resilient_cache._last_warning.clear()


def cache_warnings(caplog):
    return [
        r for r in caplog.records if r.name == "articles.caching.redis" and r.levelname == "WARNING"
    ]


def test_pages_come_from_the_database_when_the_cache_is_down(client, site, dead_cache, caplog):
    """With Redis unreachable every public page is still served, whole, with one warning
    (from the database, or from this process's pages of the last tenth of a second)."""
    article, channel = site
    caplog.set_level(logging.WARNING)
    urls = [
        "/",
        channel.get_absolute_url(),
        article.get_absolute_url(),
        reverse("articles:search") + "?q=监督",
        "/zh-hant" + article.get_absolute_url(),
    ]
    for _ in range(2):
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            assert "七星" in response.text, url
    warnings = cache_warnings(caplog)
    assert len(warnings) == 1
    assert "unreachable" in warnings[0].getMessage()
    assert "127.0.0.1:1" in warnings[0].getMessage()


def test_editors_can_save_while_the_cache_is_down(admin_client, client, site, dead_cache):
    """An edit saved while Redis is down is on the public page at the next request."""
    article, channel = site
    change_url = reverse("admin:articles_article_change", args=[article.pk])
    data = article_form(admin_client, channel, change_url=change_url, title="七星区：缓存故障中")
    assert admin_client.post(change_url, data).status_code == 302
    assert "七星区：缓存故障中" in client.get(article.get_absolute_url()).text


def test_views_are_not_lost_to_errors_when_the_cache_is_down(client, site, dead_cache):
    """Reading articles with Redis down neither fails nor leaves a flush that fails."""
    article, _ = site
    for _ in range(3):
        assert client.get(article.get_absolute_url()).status_code == 200
    assert view_counts.flush() == 0


def test_unreachable_cache_is_not_retried_on_every_call(site, dead_cache, monkeypatch):
    """After one failure the cache is left alone for a few seconds: no timeout per call."""
    from django.core.cache import cache

    assert cache.get("anything") is None
    calls = []
    monkeypatch.setattr(
        "django.core.cache.backends.redis.RedisCache.get",
        lambda *args, **kwargs: calls.append(args),
    )
    for _ in range(10):
        assert cache.get("anything", "fallback") == "fallback"
    assert calls == []


# --- The database is down -----------------------------------------------------------


@contextmanager
def database_down():
    """Every new query fails as it does when PostgreSQL or the SQLite file is gone."""

    def refuse(self):
        raise OperationalError("connection to server at 127.0.0.1, port 5432 failed")

    original = BaseDatabaseWrapper.ensure_connection
    BaseDatabaseWrapper.ensure_connection = refuse
    try:
        yield
    finally:
        BaseDatabaseWrapper.ensure_connection = original


def test_readers_get_the_branded_503_page_when_the_database_is_down(site):
    """A reader's uncached page becomes "暂时无法访问" with 503 and Retry-After."""
    article, channel = site
    channel_url = channel.get_absolute_url()
    reader = Client(raise_request_exception=False)
    with database_down():
        for url in [channel_url, article.get_absolute_url(), "/zh-hant/"]:
            response = reader.get(url)
            assert response.status_code == 503, url
            title = "暫時無法訪問" if url.startswith("/zh-hant/") else "暂时无法访问"
            assert title in response.text
            assert response["Retry-After"] == "60"
            assert "no-store" in response["Cache-Control"]
            assert "script-src 'self'" in response["Content-Security-Policy"]
    # Nothing of the outage was cached: the page is back as soon as the database is.
    response = reader.get(channel_url)
    assert response.status_code == 200
    assert "七星区：跟进监督" in response.text


def test_traditional_readers_get_the_503_page_in_traditional(site):
    """Under /zh-hant/ the outage page is in Traditional, says so in ``lang`` and leads
    home to the Traditional site; the Simplified one stays as it was (issue 21)."""
    article, channel = site
    url = channel.get_absolute_url()  # reverse() follows the last request's language
    reader = Client(raise_request_exception=False)
    with database_down():
        hant = reader.get("/zh-hant" + url)
        hans = reader.get(url)
    assert hant.status_code == hans.status_code == 503
    assert '<html lang="zh-Hant">' in hant.text
    assert "<title>暫時無法訪問</title>" in hant.text
    assert "網站正在維護或暫時出現故障" in hant.text
    assert '<a href="/zh-hant/">返回首頁</a>' in hant.text
    assert not [word for word in ("访问", "维护", "网站", "首页") if word in hant.text]
    assert '<html lang="zh-Hans">' in hans.text
    assert "<title>暂时无法访问</title>" in hans.text
    assert '<a href="/">返回首页</a>' in hans.text


@pytest.fixture
def failing_home(monkeypatch):
    """The home page's view fails with a programming error, as a bug would."""

    def broken(request):
        raise RuntimeError("a bug in the home page")

    monkeypatch.setattr("articles.portal.views.channel_tree", broken)


@pytest.mark.parametrize(
    "url, lang, title, text, home",
    [
        ("/zh-hant/", "zh-Hant", "服務器出錯", "網站暫時無法完成您的請求", "/zh-hant/"),
        ("/", "zh-Hans", "服务器出错", "网站暂时无法完成您的请求", "/"),
    ],
    ids=["traditional", "simplified"],
)
def test_an_error_in_a_view_gives_the_500_page_in_the_pages_script(
    site, failing_home, url, lang, title, text, home
):
    """A view that fails under /zh-hant/ gives the 500 page in Traditional with
    lang="zh-Hant" (issue 21); under / it stays Simplified."""
    response = Client(raise_request_exception=False).get(url)
    assert response.status_code == 500
    assert f'<html lang="{lang}">' in response.text
    assert f"<title>{title}</title>" in response.text
    assert text in response.text
    assert f'<a href="{home}">' in response.text


def test_cached_pages_are_still_served_when_the_database_is_down(site):
    """Pages readers already asked for stay available from the page cache."""
    article, _ = site
    reader = Client(raise_request_exception=False)
    assert reader.get(article.get_absolute_url()).status_code == 200
    with database_down():
        response = reader.get(article.get_absolute_url())
    assert response.status_code == 200  # (a page rendered now would be the 503 page)


def test_staff_get_a_plain_explanation_when_the_database_is_down(site, django_user_model):
    """In the admin the outage is a plain Chinese message saying nothing was saved."""
    staff = Client(raise_request_exception=False)
    staff.force_login(django_user_model.objects.create_superuser("boss", "", "pw-Unused-9"))
    with database_down():
        for response in (
            staff.get(reverse("admin:index")),
            staff.post(reverse("admin:articles_article_add"), {"title": "写了一半的稿子"}),
        ):
            assert response.status_code == 503
            assert response["Content-Type"] == "text/plain; charset=utf-8"
            assert "数据库暂时无法连接" in response.text
            assert "没有保存" in response.text
            assert response["Retry-After"] == "60"


PROBE = """
import django
django.setup()
from django.test import Client
client = Client(raise_request_exception=False)
for path, response in [
    ("/", client.get("/")),
    ("/admin/", client.post("/admin/login/", {"username": "boss", "password": "x"})),
]:
    print(path, response.status_code, "暂时无法访问" in response.text,
          "数据库暂时无法连接" in response.text)
"""


@pytest.mark.parametrize(
    "database_url",
    [
        "sqlite:////nonexistent-qinglian-dir/db.sqlite3",
        "postgres://postgres@127.0.0.1:1/qinglian",
    ],
    ids=["sqlite-missing", "postgres-closed-port"],
)
def test_a_real_unreachable_database_gives_the_503_page(database_url):
    """A production process whose database is really out of reach answers 503, not 500."""
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "test-" + "k" * 50,
        "ALLOWED_HOSTS": "testserver",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": database_url,
        "DATABASE_POOL_TIMEOUT": "1",
        "DJANGO_SETTINGS_MODULE": "qinglian.settings.prod",
    }
    env.pop("REDIS_URL", None)
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.split("\n")
    assert "/ 503 True False" in lines, result.stdout
    assert "/admin/ 503 False True" in lines, result.stdout


# --- A save that fails keeps what the editor typed ------------------------------------


TYPED = {
    "title": "秀峰区：写了很久的稿子",
    "author": "通讯员 李明",
    "summary": "编辑认真写好的摘要。",
    "body": "<p>\u3000\u3000编辑写了很长的正文，一个字也不能丢。</p>",
}


def assert_form_kept_everything(response):
    assert response.status_code == 200
    form = response.context["adminform"].form
    for name, value in TYPED.items():
        assert form[name].value() == value, name
    html = response.text
    assert "秀峰区：写了很久的稿子" in html
    assert "编辑写了很长的正文，一个字也不能丢。" in html


def test_database_error_during_save_returns_the_filled_form(admin_client, channel, monkeypatch):
    """A save that fails in the database shows the form again, filled, with a message."""
    data = article_form(admin_client, channel, **TYPED)
    original_save = Article.save

    def failing_save(self, *args, **kwargs):
        raise OperationalError("deadlock detected")

    monkeypatch.setattr(Article, "save", failing_save)
    response = admin_client.post(reverse("admin:articles_article_add"), data)
    assert_form_kept_everything(response)
    assert "保存时数据库出错，这次没有保存" in response.text
    assert not Article.objects.exists()

    # Saving the same form again, once the database is well, saves it.
    monkeypatch.setattr(Article, "save", original_save)
    response = admin_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 302
    assert Article.objects.get().title == TYPED["title"]


def test_database_error_on_an_existing_article_keeps_the_edit(admin_client, channel, monkeypatch):
    """A failed save of an edit keeps the edit in the form and the old text in the database."""
    article = make_article("旧标题", channel=channel)
    change_url = reverse("admin:articles_article_change", args=[article.pk])
    data = article_form(admin_client, channel, change_url=change_url, **TYPED)

    def failing_save(self, *args, **kwargs):
        raise OperationalError("could not extend file: No space left on device")

    monkeypatch.setattr(Article, "save", failing_save)
    response = admin_client.post(change_url, data)
    assert_form_kept_everything(response)
    article.refresh_from_db()
    assert article.title == "旧标题"


def test_invalid_form_returns_everything_typed(admin_client, channel):
    """A save refused by validation shows the form with every field as typed."""
    data = article_form(admin_client, channel, **TYPED)
    data["unpublish_at_0"] = "2000-01-01"
    data["unpublish_at_1"] = "00:00:00"
    response = admin_client.post(reverse("admin:articles_article_add"), data)
    assert_form_kept_everything(response)
    assert "下线时间" in str(response.context["adminform"].form.errors)
    assert not Article.objects.exists()


def test_connections_are_usable_after_the_outage(site):
    """Once the database is back, the connection used during the outage works again."""
    with database_down():
        Client(raise_request_exception=False).get("/channel/jiceng/")
    assert connections["default"].cursor() is not None
    assert Article.objects.count() == 1
