"""Unsaved changes are not lost without warning, and 预览 shows what is on screen
(issue 15 #12)."""

import pytest
from django.urls import reverse

from articles.models import Article
from tests.browser.conftest import make_staff
from tests.browser.test_editor import log_in
from tests.conftest import make_article

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TITLE = "七星区：等待审核的稿件"


@pytest.fixture
def reviewer_on_pending(demo, site, open_page):
    article = make_article(TITLE, demo["leaf"], status=Article.Status.PENDING)
    page = open_page(1366)
    log_in(page, site, make_staff("reviewer", "审核"))
    page.goto(site(reverse("admin:articles_article_change", args=[article.pk])))
    page.wait_for_function(
        "() => window.CKEDITOR && CKEDITOR.instances.id_body"
        " && CKEDITOR.instances.id_body.status === 'ready'"
    )
    return article, page


def test_leaving_a_changed_form_by_a_link_asks_first(reviewer_on_pending):
    """Edit the title, click 驳回…: the page asks; cancelling keeps the edit on screen;
    agreeing goes to the rejection page."""
    article, page = reviewer_on_pending
    page.fill("#id_title", "七星区：改了还没保存")
    asked = []

    def answer(dialog, accept):
        asked.append((dialog.type, dialog.message))
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda dialog: answer(dialog, False))
    page.click("a.button:has-text('驳回')")
    assert asked and asked[0][0] == "confirm" and "还没有保存" in asked[0][1]
    assert page.input_value("#id_title") == "七星区：改了还没保存"
    assert "/change/" in page.url

    page.once("dialog", lambda dialog: answer(dialog, True))
    page.click("a.button:has-text('驳回')")
    page.wait_for_url("**/transition/reject/")
    assert len(asked) == 2


def test_closing_a_changed_form_gets_the_browsers_question(reviewer_on_pending):
    """Closing the tab (or going back, reloading) with a change in the editor's text."""
    _, page = reviewer_on_pending
    page.frame_locator("iframe.cke_wysiwyg_frame").locator("body").click()
    page.keyboard.type("补充一句。")
    with page.expect_event("dialog") as asked:
        page.close(run_before_unload=True)
    assert asked.value.type == "beforeunload"
    # Agreeing lets the tab close; waiting for that leaves no dialog or closing page
    # behind for the fixture's own close of the browser context.
    with page.expect_event("close"):
        asked.value.accept()
    assert page.is_closed()


def test_an_unchanged_form_and_a_saved_one_leave_without_asking(reviewer_on_pending, site):
    article, page = reviewer_on_pending
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))
    page.click("a:has-text('历史')")
    page.wait_for_url("**/history/")
    page.go_back()
    page.wait_for_selector("#id_title")
    page.fill("#id_title", "七星区：改好并保存")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist")
    assert asked == []
    article.refresh_from_db()
    assert article.title == "七星区：改好并保存"


def test_preview_shows_what_is_on_screen_and_keeps_the_form(reviewer_on_pending):
    article, page = reviewer_on_pending
    page.fill("#id_title", "七星区：预览里的新标题")
    with page.context.expect_page() as opened:
        page.click(".object-tools button.preview-typed")
    preview = opened.value
    preview.wait_for_load_state()
    assert preview.locator("h1").inner_text() == "七星区：预览里的新标题"
    assert "还没有保存的修改" in preview.locator(".preview-banner").inner_text()
    # The form is still there, changed and unsaved.
    assert page.input_value("#id_title") == "七星区：预览里的新标题"
    article.refresh_from_db()
    assert article.title == TITLE
    assert page.problems == []
