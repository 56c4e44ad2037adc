"""An editor writes in CKEditor, a reviewer publishes, a reader finds it: all in Chromium."""

import base64
import re
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from articles.models import Article, Slot, slots
from tests.browser.conftest import ARTIFACTS, DESKTOP, PASSWORD, PHONE, make_staff, photo

# Transactional (the live server sees the data); serialized, so that what the migrations
# put in the database (roles, settings row) is there for every test, and stays for others.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TITLE = "七星区：浏览器里写成的稿件"


def log_in(page, site, user):
    page.goto(site(reverse("admin:login")))
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("#login-form [type=submit]")
    page.wait_for_selector("#user-tools")


def write_in_ckeditor(page, image_path):
    """Type a paragraph with bold words, then upload a picture through the image dialog."""
    page.wait_for_selector("iframe.cke_wysiwyg_frame")
    page.frame_locator("iframe.cke_wysiwyg_frame").locator("body").click()
    page.keyboard.type("\u3000\u3000督查组深入学校了解情况，")
    page.click("a.cke_button__bold")
    page.keyboard.type("发现问题21个")
    page.click("a.cke_button__bold")
    page.keyboard.type("，已督促整改。")
    page.keyboard.press("Enter")

    page.click("a.cke_button__image")
    dialog = page.locator(".cke_dialog")
    dialog.wait_for(state="visible")
    dialog.locator("a.cke_dialog_tab[title='上传']").click()
    uploader = page.frame_locator(".cke_dialog iframe.cke_dialog_ui_input_file")
    uploader.locator("input[type=file]").set_input_files(image_path)
    dialog.locator("a.cke_dialog_ui_fileButton").click()
    # The server's answer puts the stored image's address into the dialog's URL field.
    page.wait_for_function(
        "() => document.querySelector('.cke_dialog input.cke_dialog_ui_input_text')"
        ".value.includes('/uploads/')"
    )
    page.get_by_label("替换文本").fill("督查组在校园里")
    dialog.locator("a.cke_dialog_ui_button_ok").click()
    dialog.wait_for(state="hidden")
    page.frame_locator("iframe.cke_wysiwyg_frame").locator("img[data-widget=image]").wait_for()


def test_editor_writes_in_ckeditor_and_a_reader_finds_the_article(demo, site, open_page, tmp_path):
    """An editor's article written in CKEditor — bold words, an uploaded picture, a cover
    whose description the form insists on — is submitted, published by a reviewer, and
    shown to readers on its channel page and its own page with the picture loaded."""
    body_image = tmp_path / "现场照片.jpg"
    body_image.write_bytes(photo((1600, 900)))
    cover = tmp_path / "封面.jpg"
    cover.write_bytes(photo((1920, 1080)))
    channel = demo["leaf"]

    editor = open_page(DESKTOP)
    log_in(editor, site, make_staff("editor", "编辑"))
    editor.goto(site(reverse("admin:articles_article_add")))
    editor.fill("#id_title", TITLE)
    editor.select_option("#id_channel", value=str(channel.pk))
    write_in_ckeditor(editor, body_image)
    editor.fill("#id_weight", "5")
    editor.set_input_files("#id_cover", cover)
    editor.click("button[name=_transition][value=submit]")

    # A cover without a description is refused, and the editor is told why.
    error = editor.locator(".field-cover_alt .errorlist")
    error.wait_for()
    assert "图片说明" in error.inner_text()
    # What was typed in the editor survived the refused save.
    assert (
        "发现问题21个"
        in editor.frame_locator("iframe.cke_wysiwyg_frame").locator("body strong").inner_text()
    )
    editor.set_input_files("#id_cover", cover)
    editor.fill("#id_cover_alt", "督查组在学校门口")
    editor.click("button[name=_transition][value=submit]")
    editor.wait_for_selector(".messagelist")

    article = Article.objects.get(title=TITLE)
    assert article.status == Article.Status.PENDING
    assert "<strong>发现问题21个</strong>" in article.body
    assert re.search(r'<img [^>]*src="/media/uploads/[^"]+\.jpg"', article.body)
    assert article.cover and article.cover_alt == "督查组在学校门口"
    assert article.weight == 5
    Slot.objects.get_or_create(key=slots.HEADLINES, defaults={"name": "首页头条"})

    reviewer = open_page(DESKTOP)
    log_in(reviewer, site, make_staff("reviewer", "审核"))
    reviewer.goto(site(reverse("admin:articles_article_change", args=[article.pk])))
    reviewer.wait_for_selector("iframe.cke_wysiwyg_frame")
    # Pushed onto the home page's headlines from the form (推荐位).
    reviewer.select_option("#id_slot_placements-0-slot", label="首页头条")
    reviewer.click("button[name=_transition][value=publish]")
    reviewer.wait_for_selector(".messagelist")
    article.refresh_from_db()
    assert article.is_visible

    for width in (PHONE, DESKTOP):
        reader = open_page(width)
        reader.goto(site(channel.get_absolute_url()))
        reader.get_by_role("link", name=TITLE).click()
        reader.wait_for_url(f"**{article.get_absolute_url()}")
        assert reader.locator("h1").inner_text() == TITLE
        assert reader.locator(".article__body strong").inner_text() == "发现问题21个"
        picture = reader.locator(".article__body img")
        picture.scroll_into_view_if_needed()
        reader.wait_for_function(
            "() => { const img = document.querySelector('.article__body img');"
            " return img.complete && img.naturalWidth > 0; }"
        )
        assert picture.get_attribute("alt") == "督查组在校园里"
        # Served in a size that fits: a phone gets a rendition, not the 1600-pixel original.
        assert "480w" in picture.get_attribute("srcset")
        current = picture.evaluate("img => img.currentSrc")
        if width == PHONE:
            assert "/renditions/" in current
        assert reader.problems == []

    home = open_page(DESKTOP)
    home.goto(site("/"))
    lead = home.locator(".lead")
    assert TITLE in lead.inner_text()
    home.wait_for_function(
        "() => { const img = document.querySelector('.lead__cover');"
        " return img && img.complete && img.naturalWidth > 0; }"
    )
    assert home.locator(".lead__cover").get_attribute("alt") == "督查组在学校门口"
    assert home.problems == []


# --- Drag and paste (issue 15 #1) ----------------------------------------------------

# A file put into the editor as the browser does it: a paste or a drop event whose
# DataTransfer holds the file, fired on the editing area.
PUT_FILE = """async ([kind, b64, name]) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const transfer = new DataTransfer();
    transfer.items.add(new File([bytes], name, {type: "image/png"}));
    const body = document.querySelector("iframe.cke_wysiwyg_frame").contentDocument.body;
    body.focus();
    const options = {bubbles: true, cancelable: true};
    const event = kind === "paste"
        ? new ClipboardEvent("paste", {...options, clipboardData: transfer})
        : new DragEvent("drop", {...options, dataTransfer: transfer, clientX: 40, clientY: 20});
    body.dispatchEvent(event);
}"""


def put_file(page, kind, data, name):
    page.evaluate(PUT_FILE, [kind, base64.b64encode(data).decode(), name])


def uploaded_images(page):
    return page.frame_locator("iframe.cke_wysiwyg_frame").locator("img[src*='/media/uploads/']")


def test_pasted_and_dragged_pictures_are_uploaded_and_inserted(demo, site, open_page, media_root):
    """A screenshot pasted (Ctrl+V) and a photo dragged into the body are uploaded with the
    CSRF token, inserted as images, saved with the article; no error is shown."""
    editor = open_page(1366)
    uploads = []
    editor.on(
        "request",
        lambda request: uploads.append(request) if "/ckeditor/upload" in request.url else None,
    )
    log_in(editor, site, make_staff("editor", "编辑"))
    editor.goto(site(reverse("admin:articles_article_add")))
    editor.fill("#id_title", "七星区：粘贴和拖入的图片")
    editor.select_option("#id_channel", value=str(demo["leaf"].pk))
    editor.wait_for_selector("iframe.cke_wysiwyg_frame")
    editor.frame_locator("iframe.cke_wysiwyg_frame").locator("body").click()
    editor.keyboard.type("微信截图如下：")

    put_file(editor, "paste", photo((800, 600), "PNG"), "微信截图.png")
    uploaded_images(editor).first.wait_for()
    put_file(editor, "drop", photo((1200, 800), "PNG"), "现场.png")
    editor.wait_for_function(
        "() => document.querySelector('iframe.cke_wysiwyg_frame').contentDocument"
        ".querySelectorAll('img[src*=\"/media/uploads/\"]').length === 2"
    )
    # Both uploads went to the right address, with the token.
    assert [urlsplit(r.url).path for r in uploads] == [reverse("ckeditor_upload")] * 2
    assert all(urlsplit(r.url).query == "responseType=json" for r in uploads)
    assert all(r.headers.get("x-csrftoken") for r in uploads)
    assert editor.locator(".cke_notification_warning").count() == 0
    # The 1200-pixel picture is shown no wider than the editing area (issue 15 #9).
    widths = editor.evaluate(
        "() => { const doc = document.querySelector('iframe.cke_wysiwyg_frame').contentDocument;"
        " return [doc.body.clientWidth,"
        " ...[...doc.querySelectorAll('img[src*=\"/media/uploads/\"]')]"
        ".map((img) => img.getBoundingClientRect().width)]; }"
    )
    assert all(0 < width <= widths[0] for width in widths[1:]), widths
    editor.locator("#cke_id_body").screenshot(
        path=str(ARTIFACTS / "editor-paste-and-drop-1366.png")
    )

    editor.click("input[name=_save]")
    editor.wait_for_selector(".messagelist")
    article = Article.objects.get(title="七星区：粘贴和拖入的图片")
    assert len(re.findall(r'<img [^>]*src="/media/uploads/[^"]+\.png"', article.body)) == 2
    assert editor.problems == []


def test_dropped_file_that_is_no_picture_is_refused_in_chinese(demo, site, open_page, media_root):
    """A dropped file that only claims to be a PNG gets the upload's own refusal as
    CKEditor's warning; nothing is inserted and nothing stored."""
    editor = open_page(1366)
    log_in(editor, site, make_staff("editor", "编辑"))
    editor.goto(site(reverse("admin:articles_article_add")))
    editor.wait_for_selector("iframe.cke_wysiwyg_frame")
    editor.frame_locator("iframe.cke_wysiwyg_frame").locator("body").click()
    before = sorted(media_root.rglob("*"))  # the demo's own photo
    put_file(editor, "drop", b"<html><script>alert(1)</script></html>", "假图片.png")
    warning = editor.locator(".cke_notification_warning")
    warning.wait_for()
    assert "只能上传 JPEG、PNG、GIF 或 WebP 格式的图片" in warning.inner_text()
    assert uploaded_images(editor).count() == 0
    assert sorted(media_root.rglob("*")) == before
