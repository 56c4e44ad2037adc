"""Keywords (关键词): suggested from the title and body with jieba on the editors' desk,
editable, written into the page's Keywords meta tag; reader pages never load jieba
(nor the desk's other libraries)."""

import subprocess
import sys

import pytest
from django.urls import reverse

from articles.editorial.keywords import suggest
from articles.models import Article
from tests.conftest import make_article, make_channel
from tests.test_admin import article_form

pytestmark = pytest.mark.django_db
BODY = (
    "<p>象山区纪委监委聚焦违规吃喝问题，对辖区内餐饮场所开展明察暗访，"
    "发现违规吃喝问题线索12条，督促整改。象山区纪委监委将持续紧盯节点，"
    "坚决防止享乐主义、奢靡之风反弹回潮。</p>"
)


@pytest.fixture
def channel(db):
    return make_channel("工作动态", "gzdt")


def test_suggestions_come_from_title_and_body():
    words = suggest("象山区：开展违规吃喝专项整治", BODY)
    assert 1 <= len(words) <= 5
    assert "象山区" in words
    assert all(len(word) >= 2 for word in words)


def test_empty_keywords_are_filled_on_save(admin_client, channel):
    data = article_form(
        admin_client, channel, title="象山区：开展违规吃喝专项整治", body=BODY, keywords=""
    )
    assert admin_client.post(reverse("admin:articles_article_add"), data).status_code == 302
    article = Article.objects.get()
    assert "象山区" in article.keywords.split(",")


def test_keywords_typed_by_the_editor_are_kept(admin_client, channel):
    data = article_form(
        admin_client, channel, title="象山区：专项整治", body=BODY, keywords="作风建设"
    )
    admin_client.post(reverse("admin:articles_article_add"), data)
    assert Article.objects.get().keywords == "作风建设"


def test_form_lists_suggested_keywords(admin_client, channel):
    article = make_article("象山区：开展违规吃喝专项整治", channel, body=BODY, keywords="作风")
    page = admin_client.get(reverse("admin:articles_article_change", args=[article.pk])).text
    assert "建议关键词：" in page and "象山区" in page


def test_keywords_fill_the_meta_tag(client, channel):
    article = make_article("文章", channel, keywords="违规吃喝,专项整治")
    page = client.get(article.get_absolute_url()).text
    assert '<meta name="Keywords" content="违规吃喝,专项整治">' in page


# The desk's libraries: each holds many objects (jieba's and pypinyin's dictionaries)
# that a reader's process would carry and its garbage collector walk on every full
# collection, for nothing a reader is shown.
DESK_ONLY = ("jieba", "pypinyin", "mammoth", "lxml", "openpyxl")


def test_reader_pages_never_load_the_desks_libraries(tmp_path):
    """In a fresh process, with every URL and the admin imported and the home, channel
    and article pages rendered, jieba, pypinyin, mammoth and openpyxl are not imported."""
    script = """
import sys
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.test import Client
from django.urls import get_resolver
get_resolver().url_patterns  # imports every view, the admin included
from articles.models import Article, Channel
channel = Channel.objects.create(name="工作动态", slug="gzdt")
article = Article.objects.create(
    title="象山区：专项整治", channel=channel, body="<p>正文。</p>", status="published"
)
client = Client()
for url in ("/", channel.get_absolute_url(), article.get_absolute_url(), "/feed/"):
    assert client.get(url).status_code in (200, 404), url
loaded = [name for name in DESK_ONLY if name in sys.modules]
assert not loaded, f"loaded: {loaded}"
""".replace("DESK_ONLY", repr(DESK_ONLY))
    env = {
        "DJANGO_SETTINGS_MODULE": "qinglian.settings.test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-2000:]
