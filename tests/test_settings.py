"""Settings per environment, the admin's address and what the package installs.

Production refuses to start on a missing value or with DEBUG on; ADMIN_URL never takes a
public address (`manage.py check` says which); the documented deploy runs the checkout.
"""

import importlib
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.core.checks import run_checks
from django.urls import clear_url_caches

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION = {
    "SECRET_KEY": "test-" + "k" * 50,
    "ALLOWED_HOSTS": "example.org",
    "DATABASE_URL": "sqlite:////tmp/qinglian-settings-test.sqlite3",
}


def manage(*args, **env):
    environment = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE"}}
    for name in ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "ADMIN_URL"):
        environment.pop(name, None)
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def setting(name, **env):
    """``name`` as manage.py's settings have it in this environment."""
    result = manage(
        "shell", "-c", f"from django.conf import settings; print(settings.{name})", **env
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


# --- Environments ---------------------------------------------------------------------


def test_manage_py_develops_by_default_and_tests_run_without_debug(settings):
    assert setting("SETTINGS_MODULE") == "qinglian.settings.dev"
    assert setting("DEBUG") == "True"
    assert os.environ["DJANGO_SETTINGS_MODULE"] == "qinglian.settings.test"
    assert settings.DEBUG is False


def test_a_production_environment_gets_production_settings():
    """An .env that says DEBUG=false (as .env.example does) is production for manage.py."""
    assert setting("SETTINGS_MODULE", DEBUG="false", **PRODUCTION) == "qinglian.settings.prod"
    assert setting("SESSION_COOKIE_SECURE", DEBUG="false", **PRODUCTION) == "True"


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"])
def test_production_refuses_to_start_without_a_value(missing):
    env = {k: v for k, v in PRODUCTION.items() if k != missing}
    result = manage("check", DJANGO_SETTINGS_MODULE="qinglian.settings.prod", **env)
    assert result.returncode != 0
    assert f"{missing} must be set in production" in result.stderr


def test_production_never_runs_with_debug_on():
    result = manage(
        "check", DJANGO_SETTINGS_MODULE="qinglian.settings.prod", DEBUG="true", **PRODUCTION
    )
    assert result.returncode != 0
    assert "DEBUG is never on in production" in result.stderr


def test_the_wsgi_application_is_production():
    probe = (
        "import qinglian.wsgi; from django.conf import settings; "
        "print(settings.DEBUG, settings.SETTINGS_MODULE)"
    )
    environment = {
        k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DEBUG"}
    }
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        env={**environment, **PRODUCTION},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "qinglian.settings.prod"]


# --- The admin's address --------------------------------------------------------------


@pytest.fixture
def admin_at(settings):
    """Point the admin at a path, as the ADMIN_URL variable would, and check the site."""
    import qinglian.urls

    def move(path):
        settings.ADMIN_URL = path
        importlib.reload(qinglian.urls)
        clear_url_caches()
        return [e for e in run_checks() if e.id.startswith("qinglian.")]

    yield move
    settings.ADMIN_URL = "admin/"
    importlib.reload(qinglian.urls)
    clear_url_caches()


@pytest.mark.parametrize(
    "admin_url, public",
    [
        ("feed/", "/feed/"),
        ("channel/", "/channel/"),
        ("channel/jiceng/", "/channel/jiceng/"),
        ("article/12/", "/article/12/"),
        ("search/", "/search/"),
        ("zh-hant/", "/zh-hant/feed/"),
        ("zh-hant/feed/", "/zh-hant/feed/"),
        ("zh-hant/article/3/", "/zh-hant/article/3/"),
        ("static/", "/static/"),
        ("media/", "/media/"),
    ],
)
def test_an_admin_url_that_takes_a_public_page_is_an_error(admin_at, client, admin_url, public):
    errors = admin_at(admin_url)
    assert [e.id for e in errors] == ["qinglian.E002"]
    assert public in errors[0].msg


@pytest.mark.django_db
@pytest.mark.parametrize("admin_url", ["guanli-7f3a/", "feeds/", "robots.txt/", "article/x/"])
def test_an_admin_url_of_its_own_passes_and_every_public_page_stays(admin_at, client, admin_url):
    assert admin_at(admin_url) == []
    for path in ("/feed/", "/robots.txt", "/sitemap.xml", "/zh-hant/feed/", "/search/"):
        assert client.get(path).status_code == 200, path
    assert client.get("/favicon.ico").status_code == 301


def test_the_site_root_is_no_admin_url(admin_at):
    assert [e.id for e in admin_at("/")] == ["qinglian.E001"]


def test_manage_py_check_fails_on_an_admin_url_over_the_feed():
    """The issue's case, as an operator meets it: ADMIN_URL=feed/ and `manage.py check`."""
    result = manage("check", ADMIN_URL="feed/")
    assert result.returncode != 0
    assert "qinglian.E002" in result.stderr and "/feed/" in result.stderr
    assert manage("check", ADMIN_URL="guanli-7f3a/").returncode == 0


# --- What is installed ------------------------------------------------------------------


def test_the_wheel_holds_every_file_of_its_packages(tmp_path):
    """Data files inside the packages (the demo's content) are in the wheel, not only .py."""
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", ".", "--no-deps", "-q", "-w", tmp_path],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = tmp_path.glob("qinglian-*.whl")
    packaged = set(zipfile.ZipFile(wheel).namelist())
    tracked = subprocess.run(
        ["git", "ls-files", "articles", "qinglian"], cwd=ROOT, capture_output=True, text=True
    ).stdout.split()
    assert tracked
    missing = [f for f in tracked if f not in packaged]
    assert missing == []


def test_the_documented_deploy_runs_the_checkout():
    """templates/, static/ and locale/ live beside the packages, not in them: the deploy
    installs the checkout in place (pip install -e), so the code found from anywhere
    is the checkout's, with its templates, static files and translations."""
    deploying = (ROOT / "docs" / "deploying.md").read_text()
    assert ".venv/bin/pip install -e ." in deploying
    assert ".venv/bin/pip install ." not in deploying
    probe = "from qinglian.settings import base; print(base.BASE_DIR)"
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd="/", capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    base_dir = Path(result.stdout.strip())
    assert base_dir == ROOT
    for needed in (
        "templates/base.html",
        "static/css/site.css",
        "locale/zh_Hant/LC_MESSAGES/django.mo",
    ):
        assert (base_dir / needed).is_file(), needed


# --- Static files -------------------------------------------------------------------------


def test_collectstatic_leaves_out_ckeditors_test_and_sample_pages(settings, tmp_path):
    from django.core.management import call_command

    settings.STATIC_ROOT = tmp_path / "static"
    call_command("collectstatic", interactive=False, verbosity=0)
    collected = [str(p.relative_to(settings.STATIC_ROOT)) for p in settings.STATIC_ROOT.rglob("*")]
    assert "ckeditor/ckeditor/ckeditor.js" in collected
    assert "css/site.css" in collected
    leaked = [
        p
        for p in collected
        if "/tests/" in p
        or "/samples/" in p
        or p.startswith("ckeditor/ckeditor/plugins/wsc/dialogs/")
        and p.endswith(".html")
    ]
    assert leaked == []
