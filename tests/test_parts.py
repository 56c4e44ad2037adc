"""内容分页: an article in parts reads as one page with a table of contents, and the old
per-part addresses land on their part."""

import re

import pytest

from articles.parts import parts
from articles.sanitize import sanitize_html
from tests.conftest import make_article, make_channel

PHPCMS_BODY = (
    "<p>　　为深入贯彻落实中央八项规定精神，现将有关事项通知如下。</p>\r\n"
    "<p>[page]总体要求[/page]</p>\r\n<p>坚持问题导向。</p>\r\n"
    "<p>[page]<strong>主要任务</strong>[/page]</p>\r\n<p>（一）加强日常监督。</p>\r\n"
    "<p>[page]</p>\r\n<p>附则。</p>"
)


def test_phpcms_markers_split_the_body_and_leave_no_trace():
    found = parts(PHPCMS_BODY)
    assert [part.title for part in found] == ["", "总体要求", "主要任务", ""]
    assert found[1].html == "<p>坚持问题导向。</p>"
    assert found[2].html == "<p>（一）加强日常监督。</p>"
    assert "[page]" not in "".join(part.html for part in found)


def test_the_editors_marker_survives_the_sanitizer_and_splits():
    body = sanitize_html('<p>前言</p><hr class="page-break" title="第二部分"><p>正文</p>')
    assert 'class="page-break"' in body
    found = [(p.title, p.html) for p in parts(body)]
    assert found == [("", "<p>前言</p>"), ("第二部分", "<p>正文</p>")]


def test_a_marker_inside_a_paragraph_closes_and_reopens_it():
    found = parts("<p><strong>上半句[page]下半句</strong></p>")
    assert [p.html for p in found] == [
        "<p><strong>上半句</strong></p>",
        "<p><strong>下半句</strong></p>",
    ]


def test_a_body_without_markers_is_one_part_unchanged():
    body = "<p>没有分页。</p><hr><p>只有分隔线。</p>"
    assert [(p.title, p.html) for p in parts(body)] == [("", body)]


@pytest.mark.django_db
def test_readers_get_all_parts_on_one_page_with_a_table_of_contents(client):
    article = make_article("关于开展专项整治的通知", make_channel(), body=PHPCMS_BODY)
    page = client.get(article.get_absolute_url()).content.decode()
    assert '<nav class="article__parts"' in page
    toc = re.findall(r'<li><a href="#part-(\d)">([^<]+)</a></li>', page)
    assert toc == [("1", "第1部分"), ("2", "总体要求"), ("3", "主要任务"), ("4", "第4部分")]
    for number in range(1, 5):
        assert f'<section id="part-{number}" class="article-part">' in page
    assert '<h2 class="article-part__title">主要任务</h2>' in page
    assert "[page]" not in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("suffix", "fragment"),
    [("?page=3", "#part-3"), ("?page=1", ""), ("?page=9", ""), ("?page=abc", "")],
)
def test_old_dynamic_part_addresses_land_on_the_part(client, suffix, fragment):
    article = make_article("分页文章", make_channel(), body=PHPCMS_BODY)
    response = client.get(article.get_absolute_url() + suffix)
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url() + fragment


@pytest.mark.django_db
def test_old_static_part_addresses_land_on_the_part(client):
    article = make_article("分页文章", make_channel(), body=PHPCMS_BODY)
    response = client.get(f"/article/{article.pk}_2.html")
    assert response.status_code == 301
    assert response["Location"] == f"/article/{article.pk}/#part-2"
    traditional = client.get(f"/zh-hant/article/{article.pk}_4.html")
    assert traditional["Location"] == f"/zh-hant/article/{article.pk}/#part-4"
    assert client.get(f"/article/{article.pk + 99}_2.html").status_code == 404


@pytest.mark.django_db
def test_summary_and_search_text_carry_no_markers():
    article = make_article("分页文章", make_channel(), body="<p>[page]引言[/page]</p><p>正文。</p>")
    article.summary = ""
    article.save()
    assert article.summary == "引言"
