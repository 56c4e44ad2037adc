"""RSS feeds read as a feed reader reads them: XML first, then each element as RSS says.

An item's <description> is HTML (entity-encoded: a plain-text summary is escaped once
for HTML, once more by XML); a <title> is plain text (escaped by XML alone). And no
text an editor typed, control characters included, makes a feed fail.
"""

import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from articles.models import Article, Channel, SiteSettings
from tests.conftest import make_article

pytestmark = pytest.mark.django_db

FEEDS = ["/feed/", "/zh-hant/feed/", "/channel/jiceng/feed/", "/zh-hant/channel/jiceng/feed/"]


class TextOf(HTMLParser):
    """What a reader shows of an HTML fragment: its text, entities decoded."""

    def __init__(self, fragment):
        super().__init__(convert_charrefs=True)
        self.text, self.tags = "", []
        self.feed(fragment)
        self.close()

    def handle_data(self, data):
        self.text += data

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)


def read_feed(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return ET.fromstring(response.content)


def only_item(root):
    (item,) = root.iter("item")
    return item


@pytest.mark.parametrize("url", FEEDS)
def test_a_control_character_in_any_text_does_not_break_the_feeds(client, channel, url):
    """A vertical tab (Word's Shift+Enter), a form feed or a unit separator in a summary, title,
    author, channel name or site description of an old row: every feed still answers
    with well-formed XML, the character left out."""
    SiteSettings.load()
    article = make_article(channel=channel)
    # As old rows hold them: written past the models' save().
    SiteSettings.objects.update(description="网站\x1b简介")
    Channel.objects.filter(pk=channel.pk).update(name="基层\x0c风采", description="栏目\x01简介")
    Article.objects.filter(pk=article.pk).update(
        title="七星区：\x0c跟进监督", author="李\x1f明", summary="第一行\x0b第二行\x08。"
    )
    item = only_item(read_feed(client, url))
    assert TextOf(item.findtext("description")).text == "第一行第二行。"
    assert item.findtext("title").endswith("跟進監督" if "hant" in url else "跟进监督")
    assert "\x0c" not in item.findtext("category")


@pytest.mark.parametrize("url", FEEDS[:2])
def test_a_reader_shows_titles_and_summaries_exactly_as_typed(client, channel, url):
    """Ampersands, angle brackets and text that looks like markup or an entity come out
    as the editor typed them, and no markup of theirs reaches the reader."""
    title = "甲 & 乙 <b>丙</b> &amp; 丁"
    summary = '戊 & 己 <script>alert(1)</script> &lt;庚&gt; "辛"'
    make_article(title, channel, summary=summary)
    item = only_item(read_feed(client, url))
    assert item.findtext("title") == title  # plain text: XML's escaping, nothing more
    shown = TextOf(item.findtext("description"))  # HTML: its text is the summary
    assert shown.text == summary
    assert shown.tags == []


def test_site_and_channel_descriptions_are_text_too(client, channel):
    site = SiteSettings.load()
    site.site_name = "清廉 & 桂林"
    site.description = "监督 <执纪> & 问责"
    site.save()
    make_article(channel=channel)
    feed = read_feed(client, "/feed/").find("channel")
    assert feed.findtext("title") == "清廉 & 桂林"
    assert TextOf(feed.findtext("description")).text == "监督 <执纪> & 问责"
