"""长者模式, the 无障碍 toolbar and 监督举报 in Chromium.

200 % zoom is reproduced as the browser does it: a window of 1280 × 900 device pixels
at zoom 200 % lays pages out in a 640 × 450 CSS-pixel viewport with two device pixels
per CSS pixel, so the tests open exactly that (viewport 640 × 450, device scale 2):
media queries, rem sizes and overflow behave as they do for a reader who zoomed.
"""

import pytest

from articles.caching.variants import ELDER_COOKIE
from tests.browser.conftest import ARTIFACTS, DESKTOP, SMALL_PHONE, pages, run_axe, settle

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ZOOMED = "1280@200%"
WIDTHS = [SMALL_PHONE, DESKTOP, ZOOMED]
MODES = ["normal", "elder", "contrast", "yellow"]
KEY = "qinglian-reader"


def open_in_mode(browser, site, mode, width, *, javascript=True):
    """A fresh tab at ``width`` (or zoomed) in ``mode``, as a reader would have set it."""
    zoomed = width == ZOOMED
    context = browser.new_context(
        viewport={"width": 640, "height": 450} if zoomed else {"width": width, "height": 900},
        device_scale_factor=2 if zoomed else 1,
        java_script_enabled=javascript,
        locale="zh-CN",
    )
    if mode == "elder":
        host = site("/").split("//", 1)[1].rstrip("/")
        context.add_cookies([{"name": ELDER_COOKIE, "value": "1", "url": f"http://{host}/"}])
    elif mode in ("contrast", "yellow"):
        context.add_init_script(
            f"localStorage.setItem('{KEY}', JSON.stringify({{scheme: '{mode}'}}));"
        )
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.problems = []
    page.on("pageerror", lambda error: page.problems.append(f"script error: {error}"))
    return page


def horizontal_overflow(page):
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def small_text(page, limit):
    """Visible text set smaller than ``limit`` px: [(tag.class, size, text)]."""
    return page.evaluate(
        """(limit) => {
            const found = [];
            const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
            while (walker.nextNode()) {
                const node = walker.currentNode, text = node.textContent.trim();
                const element = node.parentElement;
                if (!text || !element || element.closest('.visually-hidden, [hidden]')) continue;
                if (!element.getClientRects().length) continue;
                const style = getComputedStyle(element);
                if (style.visibility === 'hidden' || style.display === 'none') continue;
                const size = parseFloat(style.fontSize);
                const where = `${element.tagName}.${element.className}`;
                if (size < limit) found.push(`${where} ${size} ${text.slice(0, 12)}`);
            }
            return found;
        }""",
        limit,
    )


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("mode", ["normal", "elder", "contrast"])
def test_axe_finds_nothing_in_any_mode(demo, site, browser, mode, width):
    """Home, channel, article, search, 404 and the report page, Simplified and
    Traditional, pass axe-core (every rule it runs by default) in each mode, at 360 px,
    1280 px and 1280 px zoomed to 200 %; nothing scrolls sideways."""
    page = open_in_mode(browser, site, mode, width)
    found, wide = {}, {}
    for name, path in pages(demo).items():
        page.goto(site(path))
        if mode == "elder":
            assert page.evaluate("document.documentElement.classList.contains('elder')"), name
        if mode == "contrast":
            assert page.evaluate("document.documentElement.classList.contains('scheme-contrast')")
        found[name] = run_axe(page)
        if horizontal_overflow(page) > 0:
            wide[name] = horizontal_overflow(page)
    assert {name: problems for name, problems in found.items() if problems} == {}
    assert wide == {}
    assert page.problems == []


@pytest.mark.parametrize("width", [SMALL_PHONE, DESKTOP])
def test_yellow_scheme_and_open_toolbar_pass_axe(demo, site, browser, width):
    page = open_in_mode(browser, site, "yellow", width)
    for path in ("/", demo["seed"].get_absolute_url(), "/zh-hant/"):
        page.goto(site(path))
        page.locator("[data-a11y-toggle]").click()
        assert page.locator("#a11y-panel").is_visible()
        assert run_axe(page) == [], path
        assert horizontal_overflow(page) <= 0, path


def test_elder_mode_from_the_home_page_enlarges_every_page(demo, site, browser):
    """At 360 px, turning 长者模式 on from the home page makes every line of every page at
    least 20 px, line height at least 1.8, every control at least 44 × 44 px, one column,
    and no horizontal scroll; turning it off goes back."""
    page = open_in_mode(browser, site, "normal", SMALL_PHONE)
    page.goto(site("/"))
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") < 20
    page.locator("a.elder-switch").click()
    page.wait_for_load_state()
    assert page.url == site("/")
    for name, path in pages(demo).items():
        page.goto(site(path))
        assert page.evaluate("document.documentElement.classList.contains('elder')"), name
        body = page.evaluate(
            "(() => { const s = getComputedStyle(document.body);"
            " return [parseFloat(s.fontSize), parseFloat(s.lineHeight)]; })()"
        )
        assert body[0] >= 20 and body[1] >= 1.8 * body[0], (name, body)
        assert small_text(page, 20) == [], name
        assert horizontal_overflow(page) <= 0, name
        small = page.evaluate(
            """() => [...document.querySelectorAll('a, button, input, select')]
                .filter((e) => e.getClientRects().length && !e.matches('.skip-link')
                    && !e.closest('.article__body, .report-page p'))
                .map((e) => [e.outerHTML.slice(0, 70), e.getBoundingClientRect()])
                .filter(([, r]) => r.width > 0 && (r.width < 44 || r.height < 44))
                .map(([html, r]) => `${html} ${r.width}x${r.height}`)"""
        )
        assert small == [], (name, small)
    page.goto(site("/"))
    columns = page.locator(".channel-blocks").evaluate(
        "e => getComputedStyle(e).gridTemplateColumns.split(' ').length"
    )
    assert columns == 1
    page.locator("a.elder-switch").click()
    page.wait_for_load_state()
    assert not page.evaluate("document.documentElement.classList.contains('elder')")


def test_elder_mode_on_a_desktop_is_at_least_22_px(demo, site, browser):
    page = open_in_mode(browser, site, "normal", DESKTOP)
    page.goto(site(demo["seed"].get_absolute_url()))
    page.locator("a.elder-switch").click()
    page.wait_for_load_state()
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= 22
    assert small_text(page, 22) == []
    assert page.url == site(demo["seed"].get_absolute_url())


def test_elder_mode_works_without_javascript(demo, site, browser):
    page = open_in_mode(browser, site, "normal", SMALL_PHONE, javascript=False)
    page.goto(site(demo["channel"].get_absolute_url()))
    page.locator("a.elder-switch").click()
    page.wait_for_load_state()
    assert page.url == site(demo["channel"].get_absolute_url())
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= 20
    assert not page.locator("[data-a11y-toggle]").is_visible()


def test_toolbar_by_keyboard_alone(demo, site, browser):
    """Tab reaches 无障碍; Enter opens the panel (aria-expanded says so); each choice is made
    with the keyboard, applies to the whole page, and is remembered; Escape closes."""
    page = open_in_mode(browser, site, "normal", DESKTOP)
    page.goto(site(demo["seed"].get_absolute_url()))
    toggle = page.locator("[data-a11y-toggle]")
    for _ in range(10):
        page.keyboard.press("Tab")
        if toggle.evaluate("e => e === document.activeElement"):
            break
    assert toggle.evaluate("e => e === document.activeElement")
    assert toggle.get_attribute("aria-expanded") == "false"
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "true"
    panel = page.locator("#a11y-panel")
    assert panel.is_visible()
    assert page.get_by_role("region", name="无障碍工具").is_visible()

    def press(button):
        """Tab forward to ``button`` and press Enter: what a keyboard user does."""
        for _ in range(30):
            page.keyboard.press("Tab")
            if button.evaluate("e => e === document.activeElement"):
                page.keyboard.press("Enter")
                return
        raise AssertionError(f"never reached {button}")

    root_size = "parseFloat(getComputedStyle(document.documentElement).fontSize)"
    before = page.evaluate(root_size)
    nav_before = page.locator(".site-nav a").first.evaluate(
        "e => parseFloat(getComputedStyle(e).fontSize)"
    )
    press(page.locator("[data-a11y-size='1']"))
    page.keyboard.press("Enter")
    assert page.evaluate(root_size) == pytest.approx(before * 1.3, abs=0.5)
    assert page.locator("[data-a11y-size-value]").inner_text() == "130%"
    assert (
        page.locator(".site-nav a").first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
        > nav_before * 1.2
    )
    press(page.locator("[data-a11y-scheme='contrast']"))
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(0, 0, 0)"
    press(page.locator("[data-a11y-option='spacing']"))
    press(page.locator("[data-a11y-option='cursor']"))
    press(page.locator("[data-a11y-option='guide']"))
    for option in ("spacing", "cursor", "guide"):
        button = page.locator(f"[data-a11y-option='{option}']")
        assert button.get_attribute("aria-pressed") == "true"
    assert "cursor-arrow" in page.evaluate("getComputedStyle(document.body).cursor")
    line = page.evaluate(
        "(() => { const s = getComputedStyle(document.querySelector('.article__body'));"
        " return parseFloat(s.lineHeight) / parseFloat(s.fontSize); })()"
    )
    assert line >= 2.4
    page.mouse.move(200, 333)
    assert page.locator(".reading-guide").is_visible()
    top = page.locator(".reading-guide").bounding_box()["y"]
    assert abs(top - 330) <= 4

    page.reload()
    for option in ("spacing", "cursor", "guide"):
        assert page.evaluate(f"document.documentElement.classList.contains('a11y-{option}')")
    assert page.evaluate("document.documentElement.classList.contains('scheme-contrast')")
    assert page.evaluate(root_size) == pytest.approx(before * 1.3, abs=0.5)

    toggle.focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    page.keyboard.press("Escape")
    assert not panel.is_visible()
    assert toggle.evaluate("e => e === document.activeElement")
    assert toggle.get_attribute("aria-expanded") == "false"
    page.keyboard.press("Enter")
    press(page.locator("[data-a11y-reset]"))
    assert page.evaluate("document.documentElement.className.trim()") == "js"
    assert page.problems == []


def test_toolbar_by_touch(demo, site, browser):
    context = browser.new_context(
        viewport={"width": SMALL_PHONE, "height": 740}, has_touch=True, is_mobile=True
    )
    page = context.new_page()
    page.goto(site("/"))
    page.locator("[data-a11y-toggle]").tap()
    page.locator("[data-a11y-scheme='yellow']").tap()
    page.locator("[data-a11y-size='1']").tap()
    classes = set(page.evaluate("document.documentElement.className").split())
    assert classes == {"js", "text-115", "scheme-yellow"}
    assert horizontal_overflow(page) <= 0


SPEECH_STUB = """
window.__spoken = [];
window.__calls = [];
const synth = window.speechSynthesis;
for (const name of ["speak", "cancel", "pause", "resume"]) {
  const original = synth[name].bind(synth);
  synth[name] = (...args) => {
    window.__calls.push(name);
    if (name === "speak") { window.__spoken.push([args[0].text, args[0].lang]); return; }
    return original(...args);
  };
}
"""


def test_reading_aloud_starts_pauses_and_stops(demo, site, browser):
    """开始朗读 speaks the article (title and body) in zh-CN pieces through the browser's
    speechSynthesis, 暂停/继续 pause and resume it, 停止 cancels it; selected text is read
    instead of the whole article when there is a selection."""
    page = open_in_mode(browser, site, "normal", SMALL_PHONE)
    page.context.add_init_script(SPEECH_STUB)
    page.goto(site(demo["seed"].get_absolute_url()))
    page.locator("[data-a11y-toggle]").click()
    start = page.get_by_role("button", name="开始朗读")
    pause = page.locator("[data-a11y-speech=pause]")
    stop = page.get_by_role("button", name="停止")
    assert pause.is_disabled() and stop.is_disabled()
    start.click()
    spoken = page.evaluate("window.__spoken")
    text = "".join(piece for piece, _ in spoken)
    assert text.startswith(demo["seed"].title)
    assert len(spoken) > 1 and all(lang == "zh-CN" for _, lang in spoken)
    assert max(len(piece) for piece, _ in spoken) <= 240
    assert page.locator("[data-a11y-speech-status]").inner_text() == "正在朗读"
    pause.click()
    assert pause.inner_text() == "继续"
    assert page.locator("[data-a11y-speech-status]").inner_text() == "已暂停"
    pause.click()
    assert pause.inner_text() == "暂停"
    stop.click()
    assert page.evaluate("window.__calls").count("cancel") >= 2
    assert page.evaluate("window.__calls")[-1] == "cancel"
    assert stop.is_disabled()

    page.evaluate("window.__spoken = []")
    page.locator(".article__body p").first.evaluate(
        "p => { const r = document.createRange(); r.selectNodeContents(p);"
        " const s = getSelection(); s.removeAllRanges(); s.addRange(r); }"
    )
    selected = page.evaluate("getSelection().toString().trim()")
    start.click()
    assert "".join(p for p, _ in page.evaluate("window.__spoken")) == " ".join(selected.split())


def test_reporting_is_tap_to_call(demo, site, browser):
    page = open_in_mode(browser, site, "normal", SMALL_PHONE)
    for path in ("/", "/zh-hant/", demo["seed"].get_absolute_url()):
        page.goto(site(path))
        entrance = page.locator("a.report-link")
        assert entrance.is_visible()
        box = entrance.bounding_box()
        assert box["width"] >= 44 and box["height"] >= 44
        assert page.locator(".site-footer a[href='tel:077312388']").count() == 1
    page.locator("a.report-link").click()
    page.wait_for_url("**/jubao/")
    national = page.locator(".report-page a[href='https://www.12388.gov.cn/']")
    local = page.locator(".report-page a.report-action[href='tel:077312388']")
    assert national.is_visible() and local.is_visible()
    assert page.locator(".report-page a[href='tel:12388']").is_visible()


def test_the_policy_has_no_unsafe_inline_scripts_or_styles(demo, site, browser):
    page = open_in_mode(browser, site, "elder", SMALL_PHONE)
    for path in ("/", "/jubao/", demo["seed"].get_absolute_url()):
        response = page.goto(site(path))
        policy = {
            part.split()[0]: part.split()[1:]
            for part in response.headers["content-security-policy"].split(";")
            if part.strip()
        }
        assert policy["script-src"] == ["'self'"]
        assert policy["style-src"] == ["'self'"]
        assert "'unsafe-inline'" not in " ".join(
            v for name, values in policy.items() if name != "style-src-attr" for v in values
        )


@pytest.mark.parametrize("width", [SMALL_PHONE, 1366, ZOOMED])
def test_screenshots_of_the_modes(demo, site, browser, width):
    """For people to look at: test-artifacts/screenshots/mode-<mode>-<page>-<width>.png
    (1280@200% as <width> "zoom200")."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for mode in MODES:
        page = open_in_mode(browser, site, mode, width)
        for name, path in (
            ("home", "/"),
            ("article", demo["seed"].get_absolute_url()),
            ("report", "/jubao/"),
        ):
            page.goto(site(path))
            if name == "home":
                page.locator("[data-a11y-toggle]").click()
            settle(page)
            label = "zoom200" if width == ZOOMED else width
            page.screenshot(path=ARTIFACTS / f"mode-{mode}-{name}-{label}.png", full_page=True)
        page.context.close()


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        ("normal", "rgb(181, 18, 27)"),
        ("elder", "rgb(140, 13, 20)"),
        ("contrast", "rgb(255, 255, 0)"),
        ("yellow", "rgb(0, 0, 122)"),
    ],
)
def test_an_emphasised_title_yields_to_the_schemes_colours(demo, site, browser, mode, expected):
    """标题颜色 is the site's shade (deeper in 长者模式); the high-contrast schemes paint
    it as every other link, and bold stays."""
    page = open_in_mode(browser, site, mode, DESKTOP)
    page.goto(site(demo["channel"].get_absolute_url()))
    title = page.locator(".title--red").first
    assert title.evaluate("e => getComputedStyle(e).color") == expected
    assert title.evaluate("e => getComputedStyle(e).fontWeight") == "700"
    page.context.close()
