"""A Word document pasted into CKEditor (issue 15 #5): its numbering stays text, its
table keeps borders, its indents stay; Word's own markup, fonts and colours go."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from articles.models import Article
from tests.browser.conftest import ARTIFACTS, make_staff
from tests.browser.test_editor import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WORD = (Path(__file__).parent.parent / "fixtures" / "word_paste.html").read_text(encoding="utf-8")

# What Word puts on the clipboard: its HTML and the same as plain text, pasted (Ctrl+V)
# into the editing area.
PASTE_HTML = """([html, text]) => {
    const transfer = new DataTransfer();
    transfer.setData("text/html", html);
    transfer.setData("text/plain", text);
    const body = document.querySelector("iframe.cke_wysiwyg_frame").contentDocument.body;
    body.focus();
    body.dispatchEvent(new ClipboardEvent("paste",
        {bubbles: true, cancelable: true, clipboardData: transfer}));
}"""


def paste_word(page, html=WORD):
    text = re.sub(r"<[^>]+>", "", html)
    page.frame_locator("iframe.cke_wysiwyg_frame").locator("body").click()
    page.evaluate(PASTE_HTML, [html, text])
    page.frame_locator("iframe.cke_wysiwyg_frame").locator("td", has_text="七星区").wait_for()


def check_word_body(body):
    """The stored body of the pasted document: what a government document needs, and
    nothing of Word's."""
    assert re.search(r"<p[^>]*>（一）<strong>加强组织领导</strong>。", body), body
    assert re.search(r"<p[^>]*>（二）<strong>突出督查重点</strong>。", body), body
    assert not re.search(r"<li>[^<]*(<[^>]+>)*(加强组织领导|突出督查重点)", body), body
    # The bulleted line stays a list item, without Word's bullet letter.
    assert re.search(r"<li>附件清单见下表</li>", body), body
    assert "<table" in body and "<td" in body and "第一督查组" in body
    assert re.search(r'<p style="[^"]*text-indent:[^"]+">为深入贯彻落实', body), body
    for word in ("mso-", "o:p", "font-family", "color", "Mso", "lang=", "仿宋", "Wingdings"):
        assert word not in body, word


def test_word_paste_keeps_numbering_table_and_indents(demo, site, open_page):
    editor = open_page(1366)
    log_in(editor, site, make_staff("editor", "编辑"))
    editor.goto(site(reverse("admin:articles_article_add")))
    editor.fill("#id_title", "七星区：从Word粘贴的通知")
    editor.select_option("#id_channel", value=str(demo["leaf"].pk))
    editor.wait_for_selector("iframe.cke_wysiwyg_frame")
    paste_word(editor)
    frame = editor.frame_locator("iframe.cke_wysiwyg_frame")
    # In the editor: numbers as text, the table drawn with solid borders.
    assert frame.locator("ol, ul li", has_text="加强组织领导").count() == 0
    assert frame.locator("td").first.evaluate("td => getComputedStyle(td).borderTopStyle") == (
        "solid"
    )
    editor.locator("#cke_id_body").screenshot(path=str(ARTIFACTS / "editor-word-paste-1366.png"))
    editor.click("input[name=_save]")
    editor.wait_for_selector(".messagelist")
    article = Article.objects.get(title="七星区：从Word粘贴的通知")
    check_word_body(article.body)
    assert editor.problems == []

    # Reopened, the editor still draws the table's borders (the attribute is gone).
    editor.goto(site(reverse("admin:articles_article_change", args=[article.pk])))
    frame.locator("td").first.wait_for()
    assert frame.locator("td").first.evaluate("td => getComputedStyle(td).borderTopStyle") == (
        "solid"
    )
