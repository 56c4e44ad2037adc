"""The reader's rough edges, in Chromium: targets for fingers, 返回顶部 on one line,
printed sizes, paragraph indents and lists with and without thumbnails."""

import pytest
from django.core.files.base import ContentFile

from tests.browser.conftest import DESKTOP, PHONE, SMALL_PHONE, photo, settle
from tests.conftest import make_article

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TAP = 44
CONTROLS = (
    "button, .site-nav a, .script-switch, .pagination a, .to-top, .share__weibo,"
    " a[href^='tel:'], input, select"
)


def px(page, selector, prop="fontSize"):
    return page.locator(selector).first.evaluate(f"e => parseFloat(getComputedStyle(e).{prop})")


@pytest.mark.parametrize("width", [SMALL_PHONE, PHONE])
def test_every_control_is_a_finger_sized_target(demo, site, open_page, width):
    """On a phone every button, navigation link, switch, page link and number to call is
    at least 44 × 44 px — the 大/中/小 buttons included."""
    page = open_page(width)
    for path in (
        "/",
        demo["leaf"].get_absolute_url(),
        demo["seed"].get_absolute_url(),
        "/search/?q=监督",
    ):
        page.goto(site(path))
        page.mouse.wheel(0, 3000)  # shows 返回顶部
        page.wait_for_timeout(100)
        small = page.evaluate(
            """(selector) => [...document.querySelectorAll(selector)]
                .filter((e) => e.offsetParent !== null || getComputedStyle(e).position === "fixed")
                .map((e) => [e.outerHTML.slice(0, 60), e.getBoundingClientRect()])
                .filter(([, r]) => r.width > 0 && (r.width < 44 || r.height < 44))
                .map(([html, r]) => `${html} ${r.width}x${r.height}`)""",
            CONTROLS,
        )
        assert small == [], path
    page.goto(site(demo["seed"].get_absolute_url()))
    for size in ("large", "medium", "small"):
        box = page.locator(f"[data-font-size={size}]").bounding_box()
        assert box["width"] >= TAP and box["height"] >= TAP


@pytest.mark.parametrize("width", [SMALL_PHONE, DESKTOP])
def test_back_to_top_is_one_line(demo, site, open_page, width):
    page = open_page(width)
    page.goto(site(demo["seed"].get_absolute_url()))
    page.mouse.wheel(0, 3000)
    to_top = page.locator("a.to-top")
    to_top.wait_for(state="visible")
    lines = to_top.evaluate(
        "e => { const r = document.createRange(); r.selectNodeContents(e);"
        " return new Set([...r.getClientRects()].map((rect) => Math.round(rect.top))).size; }"
    )
    assert lines == 1
    assert to_top.inner_text() == "返回顶部"


def test_printed_article_sizes_follow_importance(demo, site, open_page):
    """Printed, the title is largest, then the body, then the summary, then the meta line —
    whatever size the reader chose on screen."""
    page = open_page(DESKTOP)
    page.goto(site(demo["seed"].get_absolute_url()))
    for choice in ("大", "小"):
        page.get_by_role("button", name=choice, exact=True).click()
        page.emulate_media(media="print")
        title, body = px(page, ".article__title"), px(page, ".article__body")
        summary, meta = px(page, ".article__summary"), px(page, ".article__meta")
        assert title > body > summary > meta, (title, body, summary, meta)
        page.emulate_media(media="screen")


def test_paragraphs_are_indented_two_characters_whoever_typed_them(demo, site, open_page):
    """The demo's paragraphs (typed with two U+3000) and an editor's (typed without) start
    their first line at the same place, two characters in; centred lines are not moved."""
    typed = make_article(
        "象山区：编辑直接输入的正文",
        demo["leaf"],
        body='<p>编辑输入的第一段，没有空格。</p><p style="text-align:center">居中的一行</p>',
    )
    page = open_page(PHONE)
    starts = {}
    for name, article in (("demo", demo["seed"]), ("typed", typed)):
        page.goto(site(article.get_absolute_url()))
        starts[name] = page.locator(".article__body p").first.evaluate(
            """(p) => { const r = document.createRange(); r.setStart(p.firstChild, 0);
                 r.setEnd(p.firstChild, 1); return [r.getBoundingClientRect().left
                 - p.getBoundingClientRect().left, parseFloat(getComputedStyle(p).fontSize)]; }"""
        )
    for offset, size in starts.values():
        assert offset == pytest.approx(2 * size, abs=1)
    centred = page.locator(".article__body p[style]")
    assert centred.evaluate("e => getComputedStyle(e).textIndent") == "0px"


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_rows_with_and_without_thumbnails_line_up(demo, site, open_page, width):
    """In a list where some articles have a cover, every title starts at the same place
    and every row is as tall as a row with a thumbnail."""
    for i in range(2):
        article = make_article(f"秀峰区：有封面的文章{i}", demo["leaf"])
        article.cover.save(f"cover{i}.jpg", ContentFile(photo((960, 540))))
        article.cover_alt = "示意图"
        article.save()
    page = open_page(width)
    page.goto(site(demo["leaf"].get_absolute_url()))
    settle(page)
    rows = page.locator(".channel-page__main .article-list__item").evaluate_all(
        """(items) => items.map((li) => [li.querySelector('a').getBoundingClientRect().left,
              li.getBoundingClientRect().height, !!li.querySelector('img')])"""
    )
    assert {has for _, _, has in rows} == {True, False}
    assert len({round(left) for left, _, _ in rows}) == 1
    thumb_row = min(height for _, height, has in rows if has)
    assert all(height >= thumb_row - 1 for _, height, _ in rows)
