"""`manage.py demo [addrport]` serves the site as readers get it, on the address given:
the site's own error pages, static files and uploads, links and login address naming the
port it serves on (issue 15 #18)."""

import io
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

ROOT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url):
    """(status, content type, body) of a GET, error statuses included."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.headers["Content-Type"], response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read()


class Demo:
    """The README's `manage.py demo`, run as a process on its own database and media."""

    def __init__(self, tmp_path, addrport, **env):
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "demo", addrport],
            cwd=ROOT,
            env={
                **{k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "SITE_URL")},
                "DJANGO_SETTINGS_MODULE": "qinglian.settings.dev",
                "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
                "MEDIA_ROOT": str(tmp_path / "media"),
                "SECRET_KEY": "demo-test-" + "k" * 40,
                "PYTHONUNBUFFERED": "1",
                **env,
            },
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )

    def wait_for(self, url):
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                return get(url)
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"the demo did not start:\n{self.stop()}")

    def stop(self):
        """Stop the server; what it printed."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
        output, _ = self.process.communicate(timeout=30)
        return output


@pytest.fixture
def serving(tmp_path):
    started = []

    def start(addrport, **env):
        started.append(Demo(tmp_path, addrport, **env))
        return started[-1]

    yield start
    for demo in started:
        demo.stop()


def test_the_demo_serves_the_site_as_readers_get_it_on_the_port_given(serving):
    """On another port than 8000 the demo prints the real login address and the lost
    password hint, readers get the site's own 404 page (not Django's debug page) in both
    scripts, static files and uploaded images are served, and the pages' absolute links
    name the address served on."""
    port = free_port()
    site = f"http://127.0.0.1:{port}"
    demo = serving(str(port))
    status, _, body = demo.wait_for(f"{site}/")
    assert status == 200
    home = body.decode()

    status, content_type, body = get(f"{site}/no-such-page/")
    page = body.decode()
    assert (status, content_type) == (404, "text/html; charset=utf-8")
    assert "页面不存在" in page and "清廉桂林" in page
    assert "Page not found" not in page and "DEBUG = True" not in page
    status, _, body = get(f"{site}/zh-hant/no-such-page/")
    assert status == 404
    assert "頁面不存在" in body.decode()

    status, content_type, _ = get(f"{site}/static/css/site.css")
    assert status == 200 and content_type.startswith("text/css")
    cover = re.search(r'src="(/media/[^"]+\.png)"', home).group(1)
    assert get(site + cover)[:2] == (200, "image/png")

    article = re.search(r'href="(/article/\d+/)"', home).group(1)
    page = get(site + article)[2].decode()
    assert f'<link rel="canonical" href="{site}{article}">' in page
    assert "127.0.0.1:8000" not in page

    output = demo.stop()
    assert f"Log in at {site}/admin/ with" in output
    assert "manage.py changepassword admin" in output
    assert ":8000" not in output


def test_a_configured_site_url_is_kept(serving, tmp_path):
    """With SITE_URL set, absolute links name it whatever port the demo serves on."""
    port = free_port()
    demo = serving(f"127.0.0.1:{port}", SITE_URL="https://qinglian.example.gov.cn")
    home = demo.wait_for(f"http://127.0.0.1:{port}/")[2].decode()
    article = re.search(r'href="(/article/\d+/)"', home).group(1)
    page = get(f"http://127.0.0.1:{port}{article}")[2].decode()
    assert f'<link rel="canonical" href="https://qinglian.example.gov.cn{article}">' in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    "addrport, login",
    [
        ("8123", "http://127.0.0.1:8123/admin/"),
        ("0.0.0.0:8124", "http://127.0.0.1:8124/admin/"),
        ("0:8125", "http://127.0.0.1:8125/admin/"),
        ("localhost:8126", "http://localhost:8126/admin/"),
        ("[::1]:8127", "http://[::1]:8127/admin/"),
    ],
)
def test_the_login_address_names_the_address_given(addrport, login, settings):
    """demo prints the login address of the address and port it is given, also when an
    administrator exists already, with the way to set a lost password."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    first, again = io.StringIO(), io.StringIO()
    call_command("demo", addrport, "--no-serve", stdout=first)
    call_command("demo", addrport, "--no-serve", stdout=again)
    assert f"Log in at {login} with" in first.getvalue()
    assert "manage.py changepassword admin" in first.getvalue()
    assert f"log in at {login} as before" in again.getvalue()
    assert "manage.py changepassword admin" in again.getvalue()
    assert ":8000" not in first.getvalue() + again.getvalue()


@pytest.mark.django_db
def test_a_wrong_address_is_refused_before_anything_is_done():
    """A mistyped address stops the demo with runserver's message, before migrating."""
    with pytest.raises(CommandError, match="is not a valid port number"):
        call_command("demo", "localhost:http", "--no-serve")
