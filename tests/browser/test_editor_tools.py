"""The editor's 一键排版 and 分页 buttons, and an attached video, in Chromium."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import Article, Attachment
from articles.tidy import tidy_text
from tests import crafted_files as crafted
from tests.browser.conftest import DESKTOP, make_staff
from tests.browser.test_editor import log_in
from tests.test_tidy import SAMPLES

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

MESSY = (
    "<p>　　市纪委监委 召开 专题会议,研究部署2025年工作.</p>"
    "<p>&nbsp;</p><p></p>"
    "<p>会议强调:要坚持问题导向 (突出重点) ,确保3.5万元资金用于 WPS Office 采购!</p>"
)
# Added in the editor after the paste (pasting drops the alignment of the source).
CENTRED = "二〇二五年一月"


def editor_body(page):
    return page.frame_locator("iframe.cke_wysiwyg_frame").locator("body")


def test_tidy_button_tidies_pasted_text_and_the_page_break_button_splits(demo, site, open_page):
    editor = open_page(DESKTOP)
    log_in(editor, site, make_staff("editor", "编辑"))
    editor.goto(site(reverse("admin:articles_article_add")))
    editor.wait_for_selector("iframe.cke_wysiwyg_frame")
    editor.wait_for_function(
        "() => Object.values(CKEDITOR.instances).some((e) => e.status === 'ready')"
    )
    # Pasted: Word's blanks, empty paragraphs, half-width punctuation in Chinese text.
    editor.evaluate(
        "(html) => { const e = Object.values(CKEDITOR.instances)[0];"
        " e.focus(); e.fire('paste', {dataValue: html, type: 'html', method: 'paste'}); }",
        MESSY,
    )
    editor.wait_for_function(
        "() => Object.values(CKEDITOR.instances)[0].getData().includes('WPS Office')"
    )
    editor.evaluate(
        "(text) => { const line = new CKEDITOR.dom.element('p');"
        " line.setStyle('text-align', 'center'); line.setText(text);"
        " Object.values(CKEDITOR.instances)[0].insertElement(line); }",
        CENTRED,
    )
    editor.click("a.cke_button__qingliantidy")
    editor.wait_for_function(
        "() => Object.values(CKEDITOR.instances)[0].getData().includes('class=\"indent\"')"
    )
    paragraphs = editor_body(editor).locator("p")
    texts = paragraphs.all_inner_texts()
    assert texts == [
        "市纪委监委召开专题会议，研究部署2025年工作。",
        "会议强调：要坚持问题导向（突出重点），确保3.5万元资金用于 WPS Office 采购！",
        "二〇二五年一月",
    ]
    classes = [p.get_attribute("class") for p in paragraphs.all()]
    assert classes == ["indent", "indent", None]
    indent = paragraphs.first.evaluate("(p) => getComputedStyle(p).textIndent")
    font = paragraphs.first.evaluate("(p) => getComputedStyle(p).fontSize")
    assert float(indent.rstrip("px")) == 2 * float(font.rstrip("px"))
    # The button's rules are the server's (articles/tidy.py), sample for sample.
    messy = [sample for sample, _ in SAMPLES]
    tidied = editor.evaluate("(texts) => texts.map((t) => QinglianTidy.tidyText(t))", messy)
    assert tidied == [tidy_text(sample) for sample in messy]
    # One undo step brings the pasted text back.
    editor.click("a.cke_button__undo")
    assert "召开 专题会议" in editor_body(editor).inner_text()
    editor.click("a.cke_button__redo")

    # 分页 after the first paragraph, with a subtitle.
    editor_body(editor).locator("p").first.click()
    editor.keyboard.press("End")
    editor.once("dialog", lambda dialog: dialog.accept("会议要求"))
    editor.click("a.cke_button__qinglianpagebreak")
    editor.fill("#id_title", "市纪委监委召开专题会议")
    editor.select_option("#id_channel", value=str(demo["leaf"].pk))
    editor.click("input[name=_save]")
    editor.wait_for_selector(".messagelist")
    article = Article.objects.get(title="市纪委监委召开专题会议")
    assert 'class="indent"' in article.body
    assert '<hr class="page-break" title="会议要求">' in article.body
    assert not editor.problems


def test_an_attached_video_plays_in_place_without_autoplay(demo, site, open_page):
    seed = demo["seed"]
    video = Attachment.objects.create(
        article=seed, file=SimpleUploadedFile("警示教育片.mp4", crafted.mp4())
    )
    reader = open_page(DESKTOP)
    response = reader.goto(site(seed.get_absolute_url()), wait_until="domcontentloaded")
    assert response.ok
    element = reader.locator("video.attachments__video")
    element.scroll_into_view_if_needed()
    assert element.evaluate("(v) => v.controls && !v.autoplay && v.paused")
    assert element.get_attribute("src") == video.file.url
    # The policy lets the page load it (media-src). (The live server hands /media/ out
    # itself; the headers of the site's own view are checked in tests/test_attachments.py.)
    reader.wait_for_function("() => document.querySelector('video').networkState !== 0")
    assert not [p for p in reader.problems if "media-src" in p or "Content Security" in p]
    assert "附件：" in reader.locator(".attachments").inner_text()


def test_word_button_imports_a_docx_into_the_editor(demo, site, open_page, tmp_path):
    from tests.word_documents import notice_docx

    document = tmp_path / "专项整治通知.docx"
    document.write_bytes(notice_docx())
    editor = open_page(DESKTOP)
    log_in(editor, site, make_staff("editor", "编辑"))
    editor.goto(site(reverse("admin:articles_article_add")))
    editor.wait_for_function(
        "() => Object.values(CKEDITOR.instances).some((e) => e.status === 'ready')"
    )
    messages = []
    editor.on("dialog", lambda dialog: (messages.append(dialog.message), dialog.accept()))
    with editor.expect_file_chooser() as chooser:
        editor.click("a.cke_button__qinglianword")
    chooser.value.set_files(document)
    body = editor_body(editor)
    body.locator("table").wait_for()
    assert body.locator("p").all_inner_texts()[1:3] == ["（一）加强日常监督", "（二）严肃查处问题"]
    assert body.locator("h2").inner_text() == "关于开展作风建设专项整治的通知"
    body.locator("img[data-widget=image]").wait_for()
    assert "替换文本" in messages[0]
    assert not editor.problems


def test_link_dialog_uploads_a_file_that_becomes_an_attachment(demo, site, open_page, tmp_path):
    from tests import crafted_files

    sheet = tmp_path / "2025年度培训计划.xlsx"
    sheet.write_bytes(crafted_files.xlsx())
    editor = open_page(DESKTOP)
    log_in(editor, site, make_staff("editor", "编辑"))
    editor.goto(site(reverse("admin:articles_article_add")))
    editor.wait_for_selector("iframe.cke_wysiwyg_frame")
    editor_body(editor).click()
    editor.keyboard.type("培训计划见附件。")
    editor.click("a.cke_button__link")
    dialog = editor.locator(".cke_dialog")
    dialog.wait_for(state="visible")
    dialog.locator("a.cke_dialog_tab[title='上传']").click()
    uploader = editor.frame_locator(".cke_dialog iframe.cke_dialog_ui_input_file")
    uploader.locator("input[type=file]").set_input_files(sheet)
    dialog.locator("a.cke_dialog_ui_fileButton").click()
    editor.wait_for_function(
        "() => [...document.querySelectorAll('.cke_dialog input.cke_dialog_ui_input_text')]"
        ".some((input) => input.value.includes('/media/attachments/'))"
    )
    dialog.locator("a.cke_dialog_ui_button_ok").click()
    dialog.wait_for(state="hidden")
    editor.fill("#id_title", "关于开展培训的通知")
    editor.select_option("#id_channel", value=str(demo["leaf"].pk))
    editor.click("input[name=_save]")
    editor.wait_for_selector(".messagelist")
    article = Article.objects.get(title="关于开展培训的通知")
    attachment = Attachment.objects.get(article=article)
    assert attachment.name == "2025年度培训计划.xlsx"
    assert f'href="{attachment.file.url}"' in article.body
    assert not editor.problems
