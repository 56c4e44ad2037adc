"""The rich-text allow-list, the plain-text helpers and sanitizing on save."""

from pathlib import Path

import pytest

from articles.models import Article
from articles.sanitize import first_paragraph, html_to_text, sanitize_html
from tests.conftest import make_article

# --- What CKEditor produces is kept -------------------------------------------------


@pytest.mark.parametrize(
    "html",
    [
        "<p>正文</p>",
        "<h2>二级标题</h2><h3>三级标题</h3><h4>四级标题</h4>",
        "<p><strong>粗</strong><em>斜</em><u>下划线</u><s>删除线</s></p>",
        "<ul><li>一</li><li>二</li></ul><ol><li>甲</li></ol>",
        "<blockquote><p>引用</p></blockquote>",
        '<p><img src="/media/uploads/a.png" alt="会场" width="640" height="480"></p>',
        '<p><img src="https://example.com/a.jpg" alt="图"></p>',
        '<figure class="image"><img src="/media/a.png" alt="图">'
        "<figcaption>图为会议现场</figcaption></figure>",
        '<figure class="image-captioned"><img src="/media/a.png" alt="图">'
        "<figcaption>图说</figcaption></figure>",
        "<table><caption>表题</caption><thead><tr><th>项目</th><th>数量</th></tr></thead>"
        '<tbody><tr><td colspan="2">合计</td></tr></tbody></table>',
        '<p style="text-align:center">居中</p>',
        '<p style="text-indent:2em">首行缩进</p>',
        '<p style="text-align:right;text-indent:2em">两者</p>',
    ],
)
def test_ckeditor_markup_is_kept(html):
    """Markup the editor's toolbar can produce comes through unchanged."""
    assert sanitize_html(html) == html


@pytest.mark.parametrize(
    "href",
    [
        "http://www.gov.cn/",
        "https://www.ccdi.gov.cn/yaowenn/",
        "mailto:jubao@example.com",
        "/article/12/",
        "../channel/jiceng/",
    ],
)
def test_safe_link_targets_are_kept(href):
    """Links to http, https, mailto and relative addresses keep their href."""
    cleaned = sanitize_html(f'<p><a href="{href}">链接</a></p>')
    assert f'href="{href}"' in cleaned
    assert ">链接</a>" in cleaned


def test_links_get_noopener():
    """Every kept link is marked rel="noopener noreferrer", also with target=_blank."""
    cleaned = sanitize_html('<a href="https://example.com/" target="_blank">外链</a>')
    assert 'rel="noopener noreferrer"' in cleaned
    assert 'target="_blank"' in cleaned


def test_none_and_empty_pass_through():
    """An empty body stays an empty string."""
    assert sanitize_html(None) == ""
    assert sanitize_html("") == ""


# --- What is not allowed is removed -------------------------------------------------


@pytest.mark.parametrize(
    "html",
    [
        "<script>alert(1)</script>",
        "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
        "<style>body{display:none}</style>",
        '<iframe src="https://evil.example/"></iframe>',
        '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
        '<object data="evil.swf"></object>',
        '<embed src="evil.swf">',
        '<form action="https://evil.example/"><input name="pw"></form>',
        '<input type="text" value="x">',
        "<svg onload=alert(1)><circle r=1></circle></svg>",
        "<math><mi>x</mi></math>",
        "<template><img src=x onerror=alert(1)></template>",
        '<base href="https://evil.example/">',
        '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    ],
)
def test_dangerous_elements_are_removed(html):
    """Script, style, frames, plugins, forms, SVG and MathML leave nothing behind."""
    cleaned = sanitize_html(f"<p>前</p>{html}<p>后</p>")
    assert cleaned == "<p>前</p><p>后</p>"


@pytest.mark.parametrize(
    "html",
    [
        "<img src=x onerror=alert(1)>",
        '<p onclick="alert(1)">x</p>',
        '<a href="/a/" onmouseover="alert(1)">x</a>',
        '<p ONCLICK="alert(1)">x</p>',
        "<details open ontoggle=alert(1)>x</details>",
        '<body onload="alert(1)">x</body>',
        '<p onfocus="alert(1)" tabindex="1">x</p>',
    ],
)
def test_event_handlers_are_removed(html):
    """No on* attribute survives, whatever the element or the case."""
    assert " on" not in sanitize_html(html).lower()


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "vbscript:msgbox(1)",
        "VBScript:msgbox(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "DATA:text/html,<script>alert(1)</script>",
        "jav&#x61;script:alert(1)",
        "&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)",
        "&#0000106avascript:alert(1)",
        "javascript&colon;alert(1)",
        "java\tscript:alert(1)",
        "java&#09;script:alert(1)",
        "java\nscript:alert(1)",
        " javascript:alert(1)",
        "\x01javascript:alert(1)",
    ],
)
@pytest.mark.parametrize("template", ['<a href="{}">x</a>', '<img src="{}" alt="x">'])
def test_script_urls_are_removed(url, template):
    """javascript:, vbscript: and data: URLs are dropped, however they are spelt."""
    cleaned = sanitize_html(template.format(url))
    assert "href" not in cleaned
    assert "src" not in cleaned


@pytest.mark.parametrize(
    "declaration",
    [
        "display:none",
        "visibility:hidden",
        "position:absolute",
        "opacity:0",
        "font-size:0",
        "color:#fff",
        "z-index:999",
        "background-image:url(https://evil.example/x.png)",
    ],
)
def test_hiding_styles_are_removed(declaration):
    """Style properties that hide, move or recolour content are dropped, layout ones stay."""
    cleaned = sanitize_html(f'<p style="text-align:center;{declaration}">x</p>')
    assert cleaned == '<p style="text-align:center">x</p>'


def test_unknown_classes_are_removed():
    """Only the figure classes the editor uses survive; every other class goes."""
    cleaned = sanitize_html(
        '<p class="hidden">a</p><span class="image">b</span><figure class="image evil">'
        '<img src="/a.png" alt="c"></figure>'
    )
    assert (
        cleaned == '<p>a</p><span>b</span><figure class="image"><img src="/a.png" alt="c"></figure>'
    )


def test_nested_script_trick_leaves_no_script():
    """A script tag split around another script tag does not reassemble."""
    cleaned = sanitize_html("<scr<script>ipt>alert(1)</scr</script>ipt>")
    assert "<script" not in cleaned.lower()
    assert "<scr" not in cleaned.lower()


def test_broken_markup_is_closed():
    """Unclosed tags are closed so that the body cannot swallow the page after it."""
    assert sanitize_html("<p>未闭合 <strong>粗体") == "<p>未闭合 <strong>粗体</strong></p>"


# --- Plain text helpers -------------------------------------------------------------


def test_html_to_text_strips_tags_one_line_per_block():
    """Tags go, each block becomes one line, U+3000 indentation is dropped."""
    html = (
        "<h2>标题</h2><p>\u3000\u3000第一段<strong>加粗</strong>。<br>换行</p>"
        "<ul><li>一项</li></ul>"
    )
    assert html_to_text(html) == "标题\n第一段加粗。\n换行\n一项"


def test_html_to_text_collapses_whitespace_and_skips_empty_blocks():
    """Runs of whitespace collapse to one space and empty paragraphs disappear."""
    assert html_to_text("<p>  a \n  b  </p><p>\u3000\u3000</p><p></p><p>c</p>") == "a b\nc"


def test_first_paragraph_is_text_of_first_block():
    """The first non-empty block's text is the first paragraph, without indentation."""
    html = "<p>\u3000\u3000</p><p>\u3000\u3000七星区纪委监委<em>开展</em>监督。</p><p>第二段。</p>"
    assert first_paragraph(html) == "七星区纪委监委开展监督。"


def test_first_paragraph_decodes_entities_once():
    """Entities are decoded once, so the text is what the reader sees on the page."""
    assert first_paragraph("<p>AT&amp;T 与 &lt;清廉&gt;</p>") == "AT&T 与 <清廉>"
    # The body shows the literal text "&lt;p&gt;"; the summary must show the same.
    assert first_paragraph("<p>标签写作 &amp;lt;p&amp;gt;</p>") == "标签写作 &lt;p&gt;"


def test_first_paragraph_skips_image_caption():
    """A leading captioned image is not the first paragraph; the text after it is."""
    html = (
        '<figure class="image"><img src="/media/a.png" alt="会场">'
        "<figcaption>图为会议现场</figcaption></figure><p>\u3000\u3000会议指出，要压实责任。</p>"
    )
    assert first_paragraph(html) == "会议指出，要压实责任。"


def test_first_paragraph_cuts_long_text_with_ellipsis():
    """Text over the limit is cut to exactly the limit, the last character being "…"."""
    text = first_paragraph("<p>" + "廉" * 300 + "</p>")
    assert len(text) == 200
    assert text == "廉" * 199 + "…"
    assert first_paragraph("<p>" + "廉" * 200 + "</p>") == "廉" * 200
    assert first_paragraph("<p>abcdef</p>", limit=4) == "abc…"


def test_first_paragraph_of_empty_body():
    """A body without text has an empty first paragraph."""
    assert first_paragraph('<p><img src="/a.png" alt=""></p>') == ""
    assert first_paragraph("") == ""


# --- Sanitizing on save -------------------------------------------------------------


@pytest.mark.django_db
def test_saving_article_sanitizes_body(channel):
    """The body stored by an ORM save is already reduced to the allow-list."""
    article = make_article(
        channel=channel,
        body='<p onclick="alert(1)" style="display:none">正文</p><script>alert(1)</script>'
        '<a href="javascript:alert(1)">链接</a>',
    )
    stored = Article.objects.get(pk=article.pk).body
    assert "正文" in stored
    assert "链接" in stored
    for removed in ("onclick", "display", "script", "javascript", "alert"):
        assert removed not in stored


@pytest.mark.django_db
def test_rich_text_field_sanitizes_on_every_save(channel):
    """Changing the body and saving again sanitizes the new body too."""
    article = make_article(channel=channel)
    article.body = "<p>新正文</p><iframe src='https://evil.example/'></iframe>"
    article.save(update_fields=["body"])
    assert Article.objects.get(pk=article.pk).body == "<p>新正文</p>"


@pytest.mark.django_db
def test_rich_text_field_pre_save_sanitizes_bulk_create(channel):
    """bulk_create goes through the field's pre_save and is sanitized as well."""
    Article.objects.bulk_create(
        [Article(title="批量", channel=channel, body="<p>批量</p><script>x</script>")]
    )
    assert Article.objects.get(title="批量").body == "<p>批量</p>"


@pytest.mark.django_db
def test_empty_summary_is_filled_from_first_paragraph(channel):
    """An article saved without a summary gets the first paragraph's text."""
    article = make_article(
        channel=channel, body="<p>\u3000\u3000第一段<strong>内容</strong>。</p><p>第二段。</p>"
    )
    assert Article.objects.get(pk=article.pk).summary == "第一段内容。"


@pytest.mark.django_db
def test_blank_summary_is_filled_from_first_paragraph(channel):
    """A summary of only whitespace counts as empty."""
    article = make_article(channel=channel, summary="  \n ", body="<p>第一段。</p>")
    assert Article.objects.get(pk=article.pk).summary == "第一段。"


@pytest.mark.django_db
def test_summary_from_body_ignores_removed_content(channel):
    """The automatic summary is taken after sanitizing, so removed content never shows."""
    article = make_article(channel=channel, body="<script>alert(1)</script><p>真正的第一段。</p>")
    assert Article.objects.get(pk=article.pk).summary == "真正的第一段。"


@pytest.mark.django_db
def test_given_summary_is_kept(channel):
    """A summary written by the editor is stored as written."""
    article = make_article(channel=channel, summary="编辑写的摘要。", body="<p>第一段。</p>")
    assert Article.objects.get(pk=article.pk).summary == "编辑写的摘要。"


@pytest.mark.parametrize(
    "style",
    [
        "text-indent:-9999px",
        "margin-left: -100em",
        "width:expression(alert(1))",
        "width:url(javascript:alert(1))",
        "height:calc(0px)",
    ],
)
def test_style_values_that_move_or_run_things_are_removed(style):
    """Negative offsets, url() and expression() are dropped, and an empty style goes too."""
    assert sanitize_html(f'<p style="{style}">文字</p>') == "<p>文字</p>"


def test_plain_style_values_are_kept():
    """Alignment, indentation and sizes CKEditor writes survive sanitizing."""
    html = '<p style="text-align:center;text-indent:2em">文字</p>'
    assert sanitize_html(html) == html


@pytest.mark.parametrize("digits", ["²", "①", "６００", "٣٠٠", "1²", "60 0", "-1"])
def test_image_sizes_other_than_ascii_digits_are_dropped(digits):
    """Issue 21 #7: width and height of an image are kept only as ASCII digits."""
    html = f'<p><img src="/media/uploads/a.png" alt="会场" width="{digits}" height="{digits}"></p>'
    assert sanitize_html(html) == '<p><img src="/media/uploads/a.png" alt="会场"></p>'
    kept = '<p><img src="/media/uploads/a.png" alt="会场" width="640" height="480"></p>'
    assert sanitize_html(kept) == kept


def test_word_markup_is_dropped_and_its_numbering_table_and_indent_kept():
    """Word's HTML reaching the server as is (issue 15 #5): numbering stays text, the
    table and the first-line indent stay; Word's styles, fonts, colours and tags go."""
    word = (Path(__file__).parent / "fixtures" / "word_paste.html").read_text(encoding="utf-8")
    body = sanitize_html(word[word.index("<!--StartFragment-->") :])
    text = html_to_text(body)
    assert "（一）" in text and "（二）" in text and "加强组织领导" in text
    assert "<li" not in body
    assert "<table" in body and "第一督查组" in body
    assert '<p style="text-indent:32.0pt">' in body
    for word_only in ("mso-", "o:p", "font", "color", "Mso", "lang", "仿宋", "<!["):
        assert word_only not in body, word_only


def test_a_cleaned_link_is_cleaned_to_itself():
    """Found by tests/test_properties.py: nh3 wrote the rel it adds first, then last."""
    once = sanitize_html('<a style="javascript:alert(1)" href="">链接</a>')
    assert sanitize_html(once) == once
