"""Two app server processes sharing one PostgreSQL and one Redis stay in step."""

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.urls import reverse

from articles.models import Article
from tests.conftest import make_article, make_channel

ROOT = Path(__file__).resolve().parent.parent
SHARED = settings.DATABASES["default"][
    "ENGINE"
] == "django.db.backends.postgresql" and os.environ.get("REDIS_URL")

pytestmark = pytest.mark.skipif(
    not SHARED,
    reason="needs DATABASE_URL (PostgreSQL) and REDIS_URL; .ci/run's second pass sets both",
)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url():
    db = connection.settings_dict
    user = urllib.parse.quote(db["USER"] or "")
    host = db["HOST"] or "127.0.0.1"
    return f"postgres://{user}@{host}:{db['PORT'] or 5432}/{db['NAME']}"


class Server:
    """One gunicorn process with its own worker, as a production host would run it."""

    def __init__(self):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = dict(
            os.environ,
            DATABASE_URL=database_url(),
            GUNICORN_BIND=f"127.0.0.1:{self.port}",
            GUNICORN_WORKERS="1",
            GUNICORN_ACCESS_LOG="",
            MEDIA_ROOT=str(settings.MEDIA_ROOT),
        )
        self.process = subprocess.Popen(
            [str(Path(sys.executable).with_name("gunicorn")), "-c", "deploy/gunicorn.conf.py"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                self.get("/")
                return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("gunicorn did not start")

    def get(self, path):
        with self.opener.open(self.url + path, timeout=5) as response:
            return response.status, response.read().decode(), dict(response.headers)

    def wait_for(self, path, seconds=1.0):
        """Ask for ``path`` until it answers 200, for at most ``seconds``."""
        deadline = time.monotonic() + seconds
        while True:
            try:
                return self.get(path)
            except urllib.error.HTTPError as error:
                if error.code != 404 or time.monotonic() > deadline:
                    raise
                time.sleep(0.02)

    def post(self, path, data):
        body = urllib.parse.urlencode(data).encode()
        request = urllib.request.Request(self.url + path, data=body)
        with self.opener.open(request, timeout=5) as response:
            return response.status, response.read().decode()

    def csrf(self):
        for cookie in self.jar:
            if cookie.name == settings.CSRF_COOKIE_NAME:
                return cookie.value
        raise AssertionError("no CSRF cookie")

    def login(self, username, password):
        self.get(reverse("admin:login"))
        self.post(
            reverse("admin:login"),
            {
                "csrfmiddlewaretoken": self.csrf(),
                "username": username,
                "password": password,
                "next": reverse("admin:index"),
            },
        )

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=20)


@pytest.fixture
def servers(transactional_db):
    started = []
    try:
        started = [Server(), Server()]
        yield started
    finally:
        for server in started:
            server.stop()


def test_publishing_through_one_process_shows_on_the_other_within_a_second(servers):
    """A reviewer publishes on process A; readers of process B see it in under a second."""
    writer, reader = servers
    get_user_model().objects.create_superuser("chief", "", "a-long-Passphrase-77")
    channel = make_channel("基层风采", "jiceng")
    make_article("秀峰区：已发布的旧文章", channel=channel)
    draft = make_article("七星区：两进程同步", channel=channel, status=Article.Status.DRAFT)

    old = make_article("象山区：旧标题", channel=channel)
    # B read the generation while starting; an anonymous reader may reuse it for
    # REUSE_SECONDS, so the new channel answers on B within a second, not at once.
    reader.wait_for(channel.get_absolute_url())
    for _ in range(2):
        status, page, _ = reader.get(channel.get_absolute_url())
        assert status == 200
        assert "七星区：两进程同步" not in page
    # A row changed behind the site's back (no save, nothing moves): B's page is cached.
    Article.objects.filter(pk=old.pk).update(title="象山区：库里改的标题")
    assert "象山区：旧标题" in reader.get(channel.get_absolute_url())[1]

    writer.login("chief", "a-long-Passphrase-77")
    status, _ = writer.post(
        reverse("admin:articles_article_transition", args=[draft.pk, "publish"]),
        # (The version the reviewer confirmed: the desk publishes what was read.)
        {"csrfmiddlewaretoken": writer.csrf(), "version": draft.version},
    )
    assert status == 200
    published_at = time.monotonic()
    draft.refresh_from_db()
    assert draft.status == Article.Status.PUBLISHED

    seen = None
    while time.monotonic() - published_at < 1.0:
        _, page, _ = reader.get(channel.get_absolute_url())
        if "七星区：两进程同步" in page:
            seen = time.monotonic() - published_at
            break
        time.sleep(0.02)
    assert seen is not None, "process B still served the old channel page after a second"
    status, page, _ = reader.get(draft.get_absolute_url())
    assert status == 200
    assert re.search(r"<h1[^>]*>七星区：两进程同步</h1>", page)
