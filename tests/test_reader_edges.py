"""Reader-side details of the pages: numbers to call, paragraph indents."""

import re

import pytest

from articles.models import SiteSettings
from articles.portal.templatetags.reading import reader_body, tel_links
from tests.conftest import make_article

pytestmark = pytest.mark.django_db


def footer(client):
    page = client.get("/").content.decode()
    return re.search(r'<footer class="site-footer">.*</footer>', page, re.S).group(0)


@pytest.mark.parametrize("prefix", ["", "/zh-hant"])
def test_footer_telephone_numbers_are_tap_to_call(client, channel, prefix):
    site = SiteSettings.load()
    site.contact = "联系电话：0773-2825000，举报电话12388"
    site.save()
    page = client.get(f"{prefix}/").content.decode()
    assert '<a href="tel:07732825000">0773-2825000</a>' in page
    assert '<a href="tel:12388">12388</a>' in page


def test_footer_contact_stays_escaped_text(client, channel):
    site = SiteSettings.load()
    site.contact = '<a href="javascript:alert(1)">电话</a> 0773-2825000'
    site.save()
    text = footer(client)
    assert '<a href="javascript' not in text
    assert "&lt;a href=&quot;javascript:alert(1)&quot;&gt;电话&lt;/a&gt;" in text
    assert '<a href="tel:07732825000">' in text


@pytest.mark.parametrize(
    ("text", "linked"),
    [
        ("电话：0773-2825000", ["0773-2825000"]),
        ("手机13877312345。", ["13877312345"]),
        ("拨打12388举报", ["12388"]),
        ("2024年查处12000人，金额1234567元", []),
        ("编号A0773-2825000或0773-2825000-1", []),
        ("身份证450300199001011234", []),
    ],
)
def test_which_numbers_become_links(text, linked):
    html = str(tel_links(text))
    assert re.findall(r'<a href="tel:\d+">([^<]+)</a>', html) == linked


def test_body_numbers_are_linked_outside_the_editors_links():
    body = (
        '<p>举报电话：<strong>12388</strong>，<a href="https://www.12388.gov.cn/">12388网站</a></p>'
    )
    html = str(reader_body(body))
    assert '<strong><a href="tel:12388">12388</a></strong>' in html
    assert '<a href="https://www.12388.gov.cn/">12388网站</a>' in html


@pytest.mark.parametrize(
    "typed",
    ["<p>\u3000\u3000正文第一段。</p>", "<p>正文第一段。</p>", "<p>&nbsp;&nbsp;正文第一段。</p>"],
)
def test_typed_indents_give_way_to_the_stylesheets(client, channel, typed):
    """However an editor indented a paragraph (two full-width spaces, none, no-break
    spaces), the page carries none of it: the stylesheet indents every paragraph."""
    article = make_article(channel=channel, body=typed + '<p style="text-align:center">图</p>')
    for prefix in ("", "/zh-hant"):
        page = client.get(prefix + article.get_absolute_url()).content.decode()
        body = re.search(r'<div class="article__body">(.*?)</div>', page, re.S).group(1)
        assert body.startswith("<p>正文第一段。</p>")
        assert '<p style="text-align:center">' in body
