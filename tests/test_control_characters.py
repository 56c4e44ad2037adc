"""Issue 21 #5: C0 control characters (Word's Shift+Enter pastes ``\\x0b``) are stripped
from every text on save; tab, line feed and carriage return stay."""

import pytest
from django.urls import reverse

from articles.hant.models import PhraseCorrection
from articles.models import Article, Channel, FriendlyLink, SiteSettings, Source
from articles.sanitize import clean_text
from tests.conftest import make_article
from tests.test_admin import article_form

pytestmark = pytest.mark.django_db

CONTROLS = "\x00\x01\x08\x0b\x0c\x0e\x1b\x1f"


def texts_of(instance):
    """Every text field's value of a saved row, read back from the database."""
    instance = type(instance).objects.get(pk=instance.pk)
    return {
        field.name: getattr(instance, field.attname)
        for field in instance._meta.concrete_fields
        if isinstance(getattr(instance, field.attname), str)
    }


def assert_clean(instance):
    for name, value in texts_of(instance).items():
        assert not any(ch in value for ch in CONTROLS), (name, value)


def test_clean_text_keeps_tab_and_line_breaks():
    """Only C0 controls other than tab, LF and CR go; everything else stays."""
    kept = "督\t一\n二\r\n三 \u3000四\x7f"
    assert clean_text(f"监{CONTROLS}{kept}") == f"监{kept}"
    assert clean_text("") == ""
    assert clean_text(None) is None


def test_summary_saved_through_the_admin_loses_control_characters(admin_client, channel):
    """A \\x0b pasted into the summary, title and body in the admin is not stored."""
    data = article_form(
        admin_client,
        channel,
        title="雁山区\x0b清廉村居",
        summary="第一行\x0b第二行",
        author="通讯员\x0c李明",
        body="<p>正文\x0b第二行</p>",
    )
    response = admin_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    article = Article.objects.get(title="雁山区清廉村居")
    assert (article.summary, article.author, article.body) == (
        "第一行第二行",
        "通讯员李明",
        "<p>正文第二行</p>",
    )


def test_every_text_of_an_article_loses_control_characters(channel):
    """Title, summary, author, keywords, image text and body, saved or bulk-created."""
    fields = {
        "title": f"标题{CONTROLS}",
        "summary": f"摘要{CONTROLS}",
        "author": f"作者{CONTROLS}",
        "keywords": f"监督{CONTROLS}",
        "cover_alt": f"图{CONTROLS}",
        "body": f"<p>正文{CONTROLS}</p>",
    }
    saved = make_article(channel=channel, **fields)
    assert_clean(saved)
    assert saved.summary == "摘要"
    (bulk,) = Article.objects.bulk_create([Article(channel=channel, **fields)])
    assert_clean(bulk)


def test_channels_sources_settings_links_and_corrections_lose_control_characters(db):
    """Every other model editors fill in keeps no control character either."""
    channel = Channel.objects.create(
        name="基层\x0b风采", slug="jiceng", description="简介\x0b", keywords="监督\x0c"
    )
    source = Source.objects.create(name="七星区\x0b纪委监委")
    settings = SiteSettings.load()
    for name in ("site_name", "description", "organizer", "undertaker", "contact", "site_code"):
        setattr(settings, name, f"清廉{CONTROLS}桂林")
    settings.save()
    link = FriendlyLink.objects.create(name="中央纪委\x0b网站", url="https://www.ccdi.gov.cn/")
    correction = PhraseCorrection.objects.create(
        simplified="监察\x0b干部", traditional="監察\x0b幹部", note="说明\x1b"
    )
    for instance in (channel, source, settings, link, correction):
        assert_clean(instance)
    assert Channel.objects.get(pk=channel.pk).name == "基层风采"
    assert PhraseCorrection.objects.get(pk=correction.pk).simplified == "监察干部"


@pytest.mark.parametrize("prefix", ["", "/zh-hant"])
def test_feeds_answer_when_a_summary_was_typed_with_a_control_character(client, channel, prefix):
    """The attack of the issue: a \\x0b in a summary no longer breaks the RSS feeds."""
    make_article(channel=channel, summary="摘要\x0b换行")
    for url in (f"{prefix}/feed/", f"{prefix}/channel/{channel.slug}/feed/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "\x0b" not in response.content.decode()
