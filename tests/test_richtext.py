"""One walk over rich text (articles/richtext.py): text, links, images and rewrites."""

import json
from pathlib import Path

import pytest
from hypothesis import given

from articles import richtext
from articles.hant import conversion
from articles.hant.corrections import Corrections
from tests.test_properties import markup

DEMO = Path(__file__).resolve().parent.parent / "articles" / "ops" / "demo" / "content.json"


@given(html=markup())
def test_tokens_give_back_the_fragment_exactly(html):
    """Whatever the markup, well-formed or not, the tokens hold every character of it."""
    assert richtext.serialize(richtext.tokenize(html)) == html


@pytest.mark.parametrize(
    "html",
    [
        "<p>a</p></><p>b</p>",
        "<script>var s = '<p>'",
        "<!-- not closed",
        "text < more & less",
        "<p>line\none</p>\n<p>two</p>",
        "<br/><img src=x alt='a>b'/>",
    ],
)
def test_broken_markup_is_kept_as_it_was(html):
    """Markup the parser reports nothing for is kept, not lost."""
    assert richtext.serialize(richtext.tokenize(html)) == html


def test_text_has_one_line_per_block_and_no_space_between_inline_pieces():
    """Inline pieces of Chinese join without spaces; blocks and <br> break lines."""
    html = (
        "<h2>标题</h2><p>七星区<strong>纪委</strong>监委<a href='/a/'>开展</a>监督。"
        "<br>第二行</p><ul><li>一项</li></ul><figure><img src='/x.png' alt='图'>"
        "<figcaption>图注</figcaption></figure>"
    )
    assert richtext.text(html) == "标题\n七星区纪委监委开展监督。\n第二行\n一项\n图注"
    assert richtext.blocks(html, skip=richtext.CAPTIONS)[-1] == "一项"


def test_links_and_images_are_read_with_entities_decoded():
    """Links are the href of each <a>; images their src, alt, width and height."""
    html = (
        '<p><a href="/channel/a/?x=1&amp;y=2">甲</a><a name="top">乙</a>'
        '<img src="/media/uploads/a.jpg" alt="现场 &amp; 会议" width="600"></p>'
    )
    assert richtext.links(html) == ["/channel/a/?x=1&y=2"]
    assert richtext.images(html) == [
        {"src": "/media/uploads/a.jpg", "alt": "现场 & 会议", "width": "600", "height": ""}
    ]


def test_attributes_are_rewritten_in_place():
    """A rewritten attribute keeps its quotes; the rest of the tag stays byte for byte."""
    raw = "<a title=\"a>b\" HREF='/x/' data-x=1>"
    assert richtext.set_attribute(raw, "href", "/zh-hant/x/?a=1&b") == (
        "<a title=\"a>b\" HREF='/zh-hant/x/?a=1&amp;b' data-x=1>"
    )
    assert richtext.set_attribute(raw, "src", "/y/") == raw
    assert richtext.add_attributes('<img src="/a.png" />', {"loading": "lazy"}) == (
        '<img src="/a.png" loading="lazy">'
    )


def test_one_call_into_opencc_gives_what_one_call_per_run_gives(monkeypatch):
    """Converting a body's runs in one OpenCC call changes nothing, corrections included,
    and no phrase is matched across two runs."""
    fixes = Corrections("test", [("监察干部", "監察幹部"), ("一出台", "一出臺")])
    bodies = [article["body"] for article in json.loads(DEMO.read_text())["articles"]]
    bodies.append("<p>头</p><p>发展</p><p>监察</p><p>干部一出台</p>")
    batched = [conversion._convert_html("s2tw", fixes, body) for body in bodies]

    one_by_one = []

    def per_run(config, fixes, runs):
        for run in runs:
            text = "".join(token.raw for token in run)
            converted = conversion._convert_text(config, fixes, text, escape=True)
            if len(converted) == len(text):
                start = 0
                for token in run:
                    end = start + len(token.raw)
                    token.raw, start = converted[start:end], end
            else:
                for token in run:
                    token.raw = conversion._convert_text(config, fixes, token.raw, escape=True)

    monkeypatch.setattr(conversion, "_convert_runs", per_run)
    one_by_one = [conversion._convert_html("s2tw", fixes, body) for body in bodies]
    assert batched == one_by_one
    assert batched[-1] == "<p>頭</p><p>發展</p><p>監察</p><p>幹部一出臺</p>"
