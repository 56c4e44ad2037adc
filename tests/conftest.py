import io
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.cache import caches
from django.utils import timezone, translation
from PIL import Image

from articles.caching import generation, memo
from articles.models import Article, Channel, RelatedArticle, Slot, SlotPlacement, Source, slots


@pytest.fixture(scope="session")
def generation_file(tmp_path_factory):
    return tmp_path_factory.mktemp("generation") / "generation"


@pytest.fixture(autouse=True)
def fresh_cache(settings, generation_file):
    """No test sees what another left in the cache (Redis is shared across runs), nor
    what this process keeps (articles/caching/memo.py: values, views gathered, page
    fragments). Each starts with the content generation of a site with nothing
    scheduled, as its database is (the file of this run, not of the checkout)."""
    settings.QINGLIAN_GENERATION_FILE = generation_file
    for each in caches.all():
        each.clear()
    memo.reset()
    generation.store().advance(0, lambda: 0)
    yield
    for each in caches.all():
        each.clear()
    memo.reset()


@pytest.fixture(autouse=True)
def fragments_kept(settings):
    """{% cache %} fragments are kept as in production: the settings module was read
    with DEBUG's default (which keeps none) before pytest-django turned DEBUG off."""
    settings.CACHES = {
        **settings.CACHES,
        "template_fragments": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "template-fragments",
        },
    }


@pytest.fixture(autouse=True)
def simplified_by_default():
    """Tests start in Simplified: a request for a /zh-hant/ page leaves Traditional active
    in the thread, and reverse() would then build /zh-hant/ URLs for the next test."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def site_url(settings):
    """Absolute URLs name the test client's host, as the site's configured origin."""
    settings.QINGLIAN_SITE_URL = "http://testserver"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Every test writes uploads into its own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def make_channel(name="基层风采", slug=None, parent=None, **kwargs):
    slug = slug or f"channel-{Channel.objects.count() + 1}"
    return Channel.objects.create(name=name, slug=slug, parent=parent, **kwargs)


def make_source(name=None, **kwargs):
    name = name or f"来源{Source.objects.count() + 1}"
    return Source.objects.create(name=name, **kwargs)


def make_article(title="七星区：跟进监督", channel=None, **kwargs):
    """A published article, one hour old, unless told otherwise."""
    kwargs.setdefault("body", "<p>\u3000\u3000正文第一段。</p>")
    kwargs.setdefault("status", Article.Status.PUBLISHED)
    kwargs.setdefault("published_at", timezone.now() - timedelta(hours=1))
    channel = channel or Channel.objects.first() or make_channel()
    # "Featured" is a place in the 首页头条 slot, as an editor pushes it there.
    featured = kwargs.pop("is_featured", False)
    article = Article.objects.create(title=title, channel=channel, **kwargs)
    if featured:
        place(article)
    return article


def place(article, key=slots.HEADLINES, **kwargs):
    """Push ``article`` into the slot ``key`` (made if a flushed database lost it)."""
    slot, _ = Slot.objects.get_or_create(key=key, defaults={"name": key, "size": 5})
    return SlotPlacement.objects.create(slot=slot, article=article, **kwargs)


def relate(article, *others):
    for position, other in enumerate(others):
        RelatedArticle.objects.create(article=article, related=other, position=position)


def image_bytes(fmt="PNG", size=(40, 30), color=(200, 30, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format=fmt)
    return buffer.getvalue()


@pytest.fixture
def channel(db):
    return make_channel("基层风采", "jiceng", parent=make_channel("清廉之窗", "qinglian"))


@pytest.fixture
def source(db):
    return make_source("七星区纪委监委")


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("boss", "boss@example.com", "pw-Unused-9")
    client.force_login(user)
    client.user = user
    return client


def pytest_report_header(config):
    """Say at the top of every run whether the browser tests (tests/browser/) will run."""
    from tests.browser import chromium

    return chromium.status_line()


def pytest_terminal_summary(terminalreporter):
    """Say it again at the end when they were skipped, so nobody mistakes a skip for a pass."""
    from tests.browser import chromium

    skipped = [
        report
        for report in terminalreporter.stats.get("skipped", [])
        if "tests/browser/" in report.nodeid
    ]
    if skipped:
        terminalreporter.write_sep(
            "!", f"{len(skipped)} browser tests SKIPPED: {chromium.unavailable_reason()}"
        )
