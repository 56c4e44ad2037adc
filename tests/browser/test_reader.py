"""What a reader does with the pages, in Chromium: phones, font size, print, share, keyboard."""

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser.conftest import DESKTOP, PHONE, SMALL_PHONE, pages, settle

# Transactional (the live server sees the data); serialized, so that what the migrations
# put in the database (roles, settings row) is there for every test, and stays for others.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def font_size(page, selector=".article__body"):
    return page.locator(selector).evaluate("e => parseFloat(getComputedStyle(e).fontSize)")


def pressed(page):
    return page.locator("[data-font-size][aria-pressed=true]").get_attribute("data-font-size")


@pytest.mark.parametrize("width", [SMALL_PHONE, PHONE])
def test_phone_layout_fits_the_screen(demo, site, open_page, width):
    """On a phone every page fits the screen's width, navigation and search included, with
    text no smaller than 16 px and navigation targets big enough for a finger."""
    page = open_page(width)
    for name, path in pages(demo).items():
        page.goto(site(path))
        settle(page)
        overflow = page.evaluate("document.documentElement.scrollWidth")
        assert overflow <= width, f"{name}: {overflow}px wide on a {width}px screen"
        for link in page.locator(".site-nav a").all():
            box = link.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= width, name
            assert box["height"] >= 40, name
        assert page.locator("body").evaluate("e => parseFloat(getComputedStyle(e).fontSize)") >= 16
        if not name.startswith("search"):
            assert page.locator("#site-search-q").is_visible(), name
        assert page.problems == [], name

    page.goto(site("/"))
    page.fill("#site-search-q", "巡察")
    page.press("#site-search-q", "Enter")
    page.wait_for_url("**/search/?q=*")
    assert page.locator(".search-result").count() > 0


def test_font_size_switch_changes_and_remembers_the_size(demo, site, open_page):
    """大/中/小 change the text size of the whole page at once (they are steps of the
    无障碍 toolbar's text size) and the choice is kept for the next pages and visits; the
    pressed button says which size is on."""
    page = open_page(PHONE)
    page.goto(site(demo["seed"].get_absolute_url()))
    assert page.locator("[data-article-tools]").is_visible()
    medium = font_size(page)
    nav_medium = font_size(page, ".site-nav a >> nth=0")
    assert pressed(page) == "medium"

    page.get_by_role("button", name="大", exact=True).click()
    large = font_size(page)
    assert large > medium * 1.15
    assert pressed(page) == "large"
    assert page.evaluate("document.documentElement.classList.contains('text-130')")
    assert font_size(page, ".site-nav a >> nth=0") > nav_medium * 1.15
    assert page.locator("[data-a11y-size-value]").inner_text() == "130%"

    page.reload()
    assert font_size(page) == large
    assert pressed(page) == "large"
    page.goto(site(demo["leaf"].get_absolute_url()))
    page.locator(".article-list__item a").first.click()
    page.wait_for_selector(".article__body")
    assert font_size(page) == large

    page.get_by_role("button", name="小", exact=True).click()
    assert font_size(page) < medium
    assert pressed(page) == "small"
    assert page.problems == []


def test_article_page_reads_fine_without_javascript(demo, site, open_page):
    """Without JavaScript the article is whole and no button is left that would do nothing."""
    page = open_page(PHONE, javascript=False)
    page.goto(site(demo["seed"].get_absolute_url()))
    assert page.locator(".article__body").is_visible()
    assert not page.locator("[data-article-tools]").is_visible()
    assert page.locator("a.to-top").is_visible()
    assert page.locator(".site-nav a").first.is_visible()


def test_print_view_shows_the_article_without_navigation(demo, site, open_page):
    """Printed, an article keeps its title, text and address, and drops navigation, search,
    tools, sharing and the footer."""
    page = open_page(DESKTOP)
    page.goto(site(demo["seed"].get_absolute_url()))
    page.emulate_media(media="print")
    for hidden in (".site-nav", ".site-search", ".site-footer", ".article-tools", ".share"):
        assert not page.locator(hidden).is_visible(), hidden
    assert page.locator(".to-top").is_hidden()
    for shown in (".article__title", ".article__body", ".print-only"):
        assert page.locator(shown).is_visible(), shown
    assert demo["seed"].get_absolute_url() in page.locator(".print-only").inner_text()


def test_share_block_has_a_qr_code_and_a_weibo_link(demo, site, open_page):
    """The article's QR code (drawn by the server) loads, and the Weibo link shares the
    article's own address and title."""
    article = demo["seed"]
    page = open_page(DESKTOP)
    page.goto(site(article.get_absolute_url()))
    code = page.locator(".share__wechat img")
    code.scroll_into_view_if_needed()
    page.wait_for_function(
        "() => { const img = document.querySelector('.share__wechat img');"
        " return img.complete && img.naturalWidth > 100; }"
    )
    link = urlsplit(page.locator("a.share__weibo").get_attribute("href"))
    assert (link.scheme, link.netloc, link.path) == (
        "https",
        "service.weibo.com",
        "/share/share.php",
    )
    query = parse_qs(link.query)
    assert query["url"] == [site(article.get_absolute_url())]
    assert query["title"] == [article.title]


def test_keyboard_reader_can_skip_to_the_text_and_sees_focus(demo, site, open_page):
    """The first Tab shows the skip link; following it lands in the main content, and the
    focused link is outlined."""
    page = open_page(DESKTOP)
    page.goto(site(demo["seed"].get_absolute_url()))
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("e => e === document.activeElement")
    box = skip.bounding_box()
    assert box["x"] >= 0 and box["y"] >= 0
    assert skip.evaluate("e => getComputedStyle(e).outlineStyle") != "none"
    page.keyboard.press("Enter")
    page.wait_for_url("**#main")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")


def test_back_to_top_link_appears_after_scrolling(demo, site, open_page):
    """The floating 返回顶部 link shows once the reader has scrolled down, and takes them up."""
    page = open_page(PHONE)
    page.goto(site(demo["seed"].get_absolute_url()))
    to_top = page.locator("a.to-top")
    assert not to_top.is_visible()
    page.mouse.wheel(0, 3000)
    page.wait_for_function("() => window.scrollY > 600")
    to_top.wait_for(state="visible")
    to_top.click()
    page.wait_for_function("() => window.scrollY === 0")
