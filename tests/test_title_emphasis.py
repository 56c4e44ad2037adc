"""Title emphasis (标题颜色, 标题加粗): important titles listed in a colour and/or bold,
as CSS classes (the Content-Security-Policy allows no inline styles)."""

import json
import re

import pytest
from django.conf import settings
from django.urls import reverse

from articles.models import Article, TitleColour
from tests.conftest import make_article, make_channel, relate
from tests.roles import open_and_post
from tests.test_admin import article_form
from tests.test_freshness import commit
from tests.test_page_cache_scopes import served
from tests.test_revisions import versions

pytestmark = pytest.mark.django_db
TITLE = "七星区：跟进监督"


@pytest.fixture
def channel(db):
    return make_channel("工作动态", "gzdt")


@pytest.fixture
def emphasised(channel):
    return make_article(TITLE, channel, title_colour="red", title_bold=True)


def title_in(html, title=TITLE):
    """The markup of ``title`` inside its link."""
    found = re.search(rf"<a [^>]*>(?:<span class=\"tag\">[^<]*</span>)?(.*?{title}.*?)</a>", html)
    assert found, title
    return found.group(1)


def test_the_admin_form_offers_and_saves_colour_and_bold(admin_client, channel):
    page = admin_client.get(reverse("admin:articles_article_add")).text
    assert "标题颜色" in page and "标题加粗" in page
    for colour in ("红色", "橙色", "绿色", "蓝色", "紫色"):
        assert f">{colour}</option>" in page
    data = article_form(admin_client, channel, title_colour="blue", title_bold="on")
    response = admin_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 302, response.text
    article = Article.objects.get()
    assert (article.title_colour, article.title_bold) == ("blue", True)


def test_a_colour_outside_the_palette_is_refused(admin_client, channel):
    data = article_form(admin_client, channel, title_colour="#ff0000")
    response = admin_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 200 and "选择一个有效的选项" in response.text
    assert not Article.objects.exists()


def test_lists_show_the_emphasis_as_classes(client, channel, emphasised):
    plain = make_article("恭城：为民办实事", channel)
    expected = f'<span class="title--red title--bold">{TITLE}</span>'
    for url in (channel.get_absolute_url(), "/"):
        html = client.get(url).text
        assert title_in(html) == expected, url
        assert title_in(html, "恭城：为民办实事") == "恭城：为民办实事"
    # Related links and the previous/next links of another article's page.
    relate(plain, emphasised)
    html = client.get(plain.get_absolute_url()).text
    related = re.search(r'<section class="related".*?</section>', html, re.S).group(0)
    assert expected in related


def test_the_articles_own_heading_is_unaffected(client, emphasised):
    html = client.get(emphasised.get_absolute_url()).text
    assert f'<h1 class="article__title">{TITLE}</h1>' in html


def test_no_inline_style_reaches_the_page_and_every_colour_has_its_class(
    client, channel, emphasised
):
    html = client.get(channel.get_absolute_url()).text
    assert "style=" not in title_in(html)
    stylesheet = (settings.BASE_DIR / "static" / "css" / "site.css").read_text(encoding="utf-8")
    for value in [*TitleColour.values, "bold"]:
        assert f".title--{value} {{" in stylesheet, value


def test_a_changed_emphasis_shows_on_a_cached_list(client, channel, emphasised):
    url = channel.get_absolute_url()
    client.get(url)
    assert served(client, url)[1]
    with commit():
        article = Article.objects.get(pk=emphasised.pk)
        article.title_colour, article.title_bold = "green", False
        article.save()
    html, hit = served(client, url)
    assert not hit
    assert title_in(html) == f'<span class="title--green">{TITLE}</span>'


def test_the_history_compares_the_emphasis_in_words(admin_client, channel):
    article = make_article("恭城：为民办实事", channel, status=Article.Status.DRAFT)
    open_and_post(admin_client, article)
    open_and_post(admin_client, article, title_colour="purple", title_bold="on")
    old, new = versions(article)
    # A version saved before the fields existed reads as their defaults.
    data = json.loads(old.serialized_data)
    del data[0]["fields"]["title_colour"], data[0]["fields"]["title_bold"]
    old.serialized_data = json.dumps(data)
    old.save()
    url = reverse("admin:articles_article_compare", args=[article.pk])
    response = admin_client.get(url, {"from": old.pk, "to": new.pk})
    rows = {label: (before, after) for label, before, after in response.context["rows"]}
    assert rows["标题颜色"] == ("（空）", "紫色")
    assert rows["标题加粗"] == ("否", "是")
