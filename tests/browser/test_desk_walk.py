"""Issue 15's "how it is checked", as one walk through the desk in Chromium at 1366 × 768:
an editor pastes a picture and drags another into the body, pastes a Word document with
（一） numbering and a table, saves, and submits with the first button; the reviewer finds
待审核（1）on the admin's home and publishes; the public article is dated the moment of
publishing, has no placeholder caption, and draws the table with borders. No admin page
of the walk shows English words.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.browser.conftest import ARTIFACTS, make_staff, photo
from tests.browser.test_editor import log_in, put_file, uploaded_images
from tests.browser.test_word_paste import check_word_body, paste_word
from tests.test_admin_language import latin_words

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TITLE = "七星区：关于开展作风建设专项督查的通知"
SCREEN = {"width": 1366, "height": 768}

# Every word a person reads on the page: its text (what scripts wrote too), and the
# titles, placeholders, labels and button faces.
VISIBLE_WORDS = """() => {
    const parts = [document.body.innerText];
    const labelled = "[title], [placeholder], [aria-label], img[alt]";
    for (const element of document.querySelectorAll(labelled)) {
        for (const name of ["title", "placeholder", "aria-label", "alt"]) {
            parts.push(element.getAttribute(name) || "");
        }
    }
    for (const button of document.querySelectorAll("input[type=submit], input[type=button]")) {
        parts.push(button.value);
    }
    return parts.join(" ");
}"""


def english_on(page, *names):
    text = page.evaluate(VISIBLE_WORDS)
    for name in names:
        text = text.replace(name, " ")
    return latin_words(text)


def open_desk(open_page, site, username, role):
    page = open_page(SCREEN["width"])
    page.set_viewport_size(SCREEN)
    log_in(page, site, make_staff(username, role))
    return page


def caption_the_picture(page, index):
    """Tick 带标题图像 in the picture's dialog, and leave CKEditor's placeholder caption."""
    uploaded_images(page).nth(index).dblclick()
    dialog = page.locator(".cke_dialog")
    dialog.wait_for(state="visible")
    dialog.get_by_label("带标题图像").check()
    dialog.locator("a.cke_dialog_ui_button_ok").click()
    dialog.wait_for(state="hidden")
    page.frame_locator("iframe.cke_wysiwyg_frame").locator("figure figcaption").wait_for()


def test_the_desk_from_pasting_to_publishing(demo, site, open_page, media_root):
    english = {}

    # --- The editor writes: pictures pasted and dragged, a Word document pasted ------
    editor = open_desk(open_page, site, "xiaowang", "编辑")
    english["editor home"] = english_on(editor, "xiaowang")
    editor.goto(site(reverse("admin:articles_article_add")))
    editor.fill("#id_title", TITLE)
    editor.select_option("#id_channel", value=str(demo["leaf"].pk))
    editor.wait_for_selector("iframe.cke_wysiwyg_frame")
    english["add form"] = english_on(editor, "xiaowang")
    paste_word(editor)
    editor.frame_locator("iframe.cke_wysiwyg_frame").locator("body").press("Control+End")
    put_file(editor, "paste", photo((800, 600), "PNG"), "微信截图.png")
    uploaded_images(editor).first.wait_for()
    put_file(editor, "drop", photo((1200, 800), "PNG"), "现场.png")
    uploaded_images(editor).nth(1).wait_for()
    caption_the_picture(editor, 1)
    # The title box is as wide as the editor below it (#9).
    title, body = (editor.locator(s).bounding_box() for s in ("#id_title", "#cke_id_body"))
    assert title["width"] >= 0.95 * body["width"], (title, body)
    editor.evaluate("window.scrollTo(0, 0)")
    editor.screenshot(path=str(ARTIFACTS / "desk-walk-form-1366x768.png"))
    editor.click("input[name=_save]")
    editor.wait_for_selector(".messagelist")
    article = Article.objects.get(title=TITLE)
    assert article.status == Article.Status.DRAFT
    english["article list"] = english_on(editor, "xiaowang", *demo_slugs(demo))
    editor.screenshot(path=str(ARTIFACTS / "desk-walk-list-1366x768.png"))
    editor.locator("#result_list").get_by_role("link", name=TITLE).click()
    editor.wait_for_selector("iframe.cke_wysiwyg_frame")
    english["change form"] = english_on(editor, "xiaowang")

    # Submitting is the first button of the form, and the largest.
    first = editor.locator("#article_form button[type=submit], #article_form input[type=submit]")
    assert first.first.get_attribute("value") == "submit"
    assert "workflow-primary" in first.first.get_attribute("class")
    first.first.click()
    editor.wait_for_selector(".messagelist")
    assert editor.locator(".messagelist li").count() == 1
    article.refresh_from_db()
    assert article.status == Article.Status.PENDING
    check_word_body(article.body)
    assert article.body.count('src="/media/uploads/') == 2
    english["read-only form"] = english_on(editor, "xiaowang")

    # Days go by: the date the form was opened with is long past when it is published.
    opened_with = timezone.now() - datetime.timedelta(days=3)
    Article.objects.filter(pk=article.pk).update(published_at=opened_with)

    # --- The reviewer finds it waiting, and publishes it ---------------------------
    reviewer = open_desk(open_page, site, "laoli", "审核")
    waiting = reviewer.locator(".work-queue h3", has_text="待审核")
    assert waiting.inner_text() == "待审核（1）"
    reviewer.screenshot(path=str(ARTIFACTS / "desk-walk-home-1366x768.png"))
    english["reviewer home"] = english_on(reviewer, "laoli")
    reviewer.locator(".work-queue a", has_text=TITLE).click()
    reviewer.wait_for_selector("iframe.cke_wysiwyg_frame")
    english["review form"] = english_on(reviewer, "laoli", "xiaowang")
    main = reviewer.locator("#article_form button[type=submit]").first
    assert main.get_attribute("value") == "publish"
    before = timezone.now().replace(second=0, microsecond=0)
    main.click()
    reviewer.wait_for_selector(".messagelist")
    assert reviewer.locator(".messagelist li").count() == 1
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert before <= article.published_at <= timezone.now()
    english["published form"] = english_on(reviewer, "laoli", "xiaowang")

    # --- Readers see it as it was published ---------------------------------------
    reader = open_page(SCREEN["width"])
    reader.goto(site(article.get_absolute_url()))
    shown = reader.locator(".article__meta time, .article time").first.get_attribute("datetime")
    assert datetime.datetime.fromisoformat(shown) == article.published_at
    body = reader.locator(".article__body")
    assert "（一）加强组织领导" in body.inner_text()
    assert body.locator("li", has_text="加强组织领导").count() == 0
    assert body.locator("figcaption").count() == 0, article.body  # no placeholder 标题
    assert body.locator("img").count() == 2
    for side in ("Top", "Left"):
        style = body.locator("td").first.evaluate(f"td => getComputedStyle(td).border{side}Style")
        assert style == "solid"
    assert reader.problems == []
    assert editor.problems == [] and reviewer.problems == []

    assert {page: words for page, words in english.items() if words} == {}


def demo_slugs(demo):
    return [demo["leaf"].slug, demo["channel"].slug]
