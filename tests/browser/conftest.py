"""Fixtures of the browser tests: Debian's Chromium, driven by Playwright, against a live
server holding the demo site.

Every test here is marked ``browser``. Run only them with ``pytest -m browser``, or
leave them out with ``-m "not browser"``. Screenshots go to test-artifacts/screenshots/.
"""

import importlib
import io
import os
import uuid
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connections
from PIL import Image, ImageDraw

from articles import renditions
from articles.caching import memo
from articles.models import Article, Channel, TitleColour
from tests.browser import chromium

ARTIFACTS = Path(django_settings.BASE_DIR) / "test-artifacts" / "screenshots"
AXE = Path(__file__).with_name("vendor") / "axe.min.js"
PHONE = 375
SMALL_PHONE = 360
DESKTOP = 1280
PASSWORD = "Browser-Test-42!"
SEED_TITLE = "七星区：跟进监督 推动“双减”政策落地见效"
ROLES = importlib.import_module("articles.migrations.0004_workflow_roles")
# Migration 0011 lets both roles add a 来源 from the article form.
ADD_SOURCE = ["add_source"]


def require_chromium():
    """Skip when the browser tests cannot run here; in CI (CI=true) fail instead."""
    reason = chromium.unavailable_reason()
    if reason is not None:
        if chromium.must_run():
            pytest.fail(f"CI=true, and the browser tests cannot run: {reason}", pytrace=False)
        pytest.skip(reason)


def pytest_runtest_setup(item):
    # Before any fixture: a skipped browser test starts no live server and no database.
    if item.get_closest_marker("browser"):
        require_chromium()


@pytest.fixture
def browser():
    """Chromium for one test; skipped (or, in CI, failed) when there is none.

    Started for each test, inside the test's database set-up and torn down before it:
    while Playwright's sync API runs, this thread counts as running an asyncio loop, and
    Django then hands out other connection objects than the test database's own.
    """
    require_chromium()
    from playwright.sync_api import sync_playwright

    # That same loop makes Django's async-safety check refuse the tests' plain sync ORM calls.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            launched = playwright.chromium.launch(
                executable_path=chromium.path(), args=chromium.LAUNCH_ARGS
            )
            try:
                yield launched
            finally:
                launched.close()
                # The connections opened while Playwright ran are closed while it still
                # runs: afterwards nothing could reach them, and they would hold the test
                # database open (PostgreSQL refuses to drop it then).
                connections.close_all()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def site(live_server, browser, settings):
    """The live server's address, serving uploads too; ``site("/path/")`` is a full URL."""
    settings.ROOT_URLCONF = "tests.browser.urls"
    settings.QINGLIAN_SITE_URL = live_server.url
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    memo.reset()
    renditions.clear_memory()
    yield lambda path="/": live_server.url + path
    memo.reset()
    renditions.clear_memory()


@pytest.fixture
def open_page(browser, site):
    """Opens a fresh browser tab (its own cookies and storage) at a width, with or without
    JavaScript; ``page.problems`` collects script errors and refused resources."""
    contexts = []

    def open_page(width=DESKTOP, *, javascript=True):
        context = browser.new_context(
            viewport={"width": width, "height": 900},
            java_script_enabled=javascript,
            locale="zh-CN",
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(20_000)
        page.problems = []
        page.on("pageerror", lambda error: page.problems.append(f"script error: {error}"))
        page.on("console", lambda message: _console_problem(page, message))
        page.on("response", lambda response: _resource_problem(page, response))
        return page

    yield open_page
    for context in contexts:
        context.close()


def _console_problem(page, message):
    # Failed loads are reported by _resource_problem, with their address.
    if message.type == "error" and not message.text.startswith("Failed to load resource"):
        page.problems.append(message.text)


def _resource_problem(page, response):
    # The 404 page answers 404 on purpose; anything it loads must not.
    if response.status >= 400 and response.request.resource_type != "document":
        page.problems.append(f"{response.status} {response.url}")


def photo(size=(1600, 900), fmt="JPEG"):
    """A camera-sized picture with some structure, so that resizing it means something."""
    width, height = size
    image = Image.linear_gradient("L").resize(size).convert("RGB")
    draw = ImageDraw.Draw(image)
    for i in range(12):
        x = (i * 137) % width
        draw.rectangle((x, height // 3, x + width // 10, height - 40), fill=(160, 20 + i * 12, 30))
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, quality=85)
    return buffer.getvalue()


@pytest.fixture
def demo(site, db):
    """The demo site, whose seed article also carries a photo in its body."""
    call_command("load_demo", verbosity=0)
    seed = Article.objects.get(title=SEED_TITLE)
    name = default_storage.save(f"uploads/2026/01/01/{uuid.uuid4().hex}.jpg", ContentFile(photo()))
    image = (
        f'<figure class="image-captioned"><img src="{default_storage.url(name)}" '
        'alt="督查组在学校了解课后服务安排" width="1600" height="900">'
        "<figcaption>督查组在学校了解课后服务安排（示意图）</figcaption></figure>"
    )
    paragraphs = seed.body.split("</p>", 2)
    seed.body = "</p>".join(paragraphs[:2]) + "</p>" + image + paragraphs[2]
    seed.save()
    emphasise_titles()
    return {
        "seed": seed,
        "channel": Channel.objects.get(slug="qinglian"),
        "leaf": Channel.objects.get(slug="jiceng"),
    }


def emphasise_titles():
    """Every colour of 标题颜色 (and bold) on the channel page and the home page, and
    a link channel (外链) in the navigation, for axe-core to judge in every mode."""
    listed = Article.objects.published().filter(channel__slug="jiceng").order_by("-published_at")
    for article, colour in zip(listed, TitleColour.values, strict=False):
        article.title_colour, article.title_bold = colour, colour == TitleColour.RED
        article.save()
    Channel.objects.create(
        name="中央纪委网站", slug="ccdi", position=99, external_url="https://www.ccdi.gov.cn/"
    )


def pages(demo):
    """The pages every check visits: name → path, Simplified and Traditional."""
    simplified = {
        "home": "/",
        "channel": demo["channel"].get_absolute_url(),
        "article": demo["seed"].get_absolute_url(),
        "search": "/search/?q=监督",
        "404": "/no-such-page/",
        "report": "/jubao/",
    }
    traditional = {f"{name}-hant": f"/zh-hant{path}" for name, path in simplified.items()}
    traditional["search-hant"] = "/zh-hant/search/?q=監督"
    return {**simplified, **traditional}


def ensure_roles():
    """The 编辑 and 审核 groups as migrations 0004 and 0011 make them (transactional tests
    flush them)."""
    ours = Permission.objects.filter(content_type__app_label="articles")
    for name, codenames in (
        (ROLES.EDITOR, ROLES.EDITOR_PERMISSIONS + ADD_SOURCE),
        (ROLES.REVIEWER, ROLES.REVIEWER_PERMISSIONS + ADD_SOURCE),
    ):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*ours.filter(codename__in=codenames))


def make_staff(username, role):
    ensure_roles()
    user = get_user_model().objects.create_user(username, password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


def settle(page):
    """Load every lazy image now, so that a full-page screenshot shows them all."""
    page.evaluate(
        """async () => {
            const images = [...document.images];
            images.forEach((img) => { img.loading = "eager"; });
            await Promise.all(images.map((img) => img.complete ? null : new Promise((done) => {
                img.addEventListener("load", done);
                img.addEventListener("error", done);
            })));
        }"""
    )


def run_axe(page):
    """axe-core's violations on the page as it is now: [(rule, impact, help, [targets])]."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        (v["id"], v["impact"], v["help"], [n["target"] for n in v["nodes"]])
        for v in result["violations"]
    ]
