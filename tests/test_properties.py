"""Whatever a reader or a robot puts in the address — query strings, page numbers, slugs,
ids, search words, the /zh-hant/ prefix — the answer is a page, a redirect or a 404,
never a server error; and whatever HTML an editor sends, nothing executable survives."""

import os
from urllib.parse import quote, urlencode

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.hant.conversion import to_hant_html
from articles.sanitize import sanitize_html
from tests.conftest import make_article, make_channel, make_source
from tests.test_xss import problems_in

pytestmark = pytest.mark.django_db

# A handful of examples per property on every run keeps the suite fast; set
# HYPOTHESIS_PROFILE=thorough to let each property try a few thousand.
settings.register_profile(
    "qinglian",
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.register_profile(
    "thorough",
    max_examples=2000,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "qinglian"))

ALLOWED = {200, 301, 302, 404}

# Text as browsers and robots send it: any Unicode except lone surrogates (which no
# URL can carry), with the characters that matter to parsers made likely.
ANY_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60
) | st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "%00",
        "'",
        '"',
        "\\",
        "*",
        "?",
        "OR 1=1 --",
        "' OR '1'='1",
        '"监督"',
        "监督 AND 巡察",
        "NEAR(监督 巡察)",
        "监督*",
        "^监督",
        "-监督",
        "(",
        ")",
        "{}",
        "监" * 500,
        "a" * 5000,
        "<script>alert(1)</script>",
        "監督",
        "１２３",
        "\u202e",
        "\ufeff",
        "𠀀𪚥",
    ]
)
NUMBERS = (
    st.integers()
    | st.integers(min_value=-10, max_value=10)
    | st.sampled_from([2**31, 2**63 - 1, 2**63, 2**64, 10**30, -(2**63)])
)
PAGE = NUMBERS.map(str) | ANY_TEXT | st.sampled_from(["1.5", "1e3", "0x10", "last", "", "NaN"])
DATE = st.dates().map(str) | ANY_TEXT | st.sampled_from(["0001-01-01", "9999-12-31", "2026-02-30"])
PREFIX = st.sampled_from(["", "/zh-hant"])


@pytest.fixture
def site(db):
    top = make_channel("清廉之窗", "qinglian")
    channel = make_channel("基层风采", "jiceng", parent=top)
    source = make_source("七星区纪委监委")
    for i in range(25):
        make_article(f"七星区：跟进监督 推动落实（{i}）", channel=channel, source=source)
    return channel


@pytest.fixture
def reader():
    # Answers are judged by status: an exception must become a 500, not stop the test.
    return Client(raise_request_exception=False)


def answer(client, path, params=None):
    query = urlencode(params or {}, doseq=True)
    response = client.get(path + ("?" + query if query else ""))
    assert response.status_code in ALLOWED, (path, params, response.status_code)
    return response


PUBLIC_PATHS = ["/", "/channel/jiceng/", "/channel/qinglian/", "/article/1/", "/search/", "/feed/"]


@given(
    prefix=PREFIX,
    path=st.sampled_from(PUBLIC_PATHS),
    params=st.dictionaries(ANY_TEXT, st.lists(ANY_TEXT, max_size=3), max_size=4),
)
def test_any_query_string_on_any_page(site, reader, prefix, path, params):
    """Arbitrary query parameters on every public page never cause a server error."""
    answer(reader, prefix + path, params)


@given(prefix=PREFIX, page=PAGE, path=st.sampled_from(["/channel/jiceng/", "/search/"]))
def test_any_page_number(site, reader, prefix, page, path):
    """Any page number, huge, negative, fractional or not a number, gives a page."""
    params = {"page": page, "q": "监督"} if path == "/search/" else {"page": page}
    response = answer(reader, prefix + path, params)
    assert response.status_code == 200


@given(prefix=PREFIX, slug=ANY_TEXT)
def test_any_channel_slug(site, reader, prefix, slug):
    """Any channel address is a channel page, a redirect or a 404."""
    answer(reader, f"{prefix}/channel/{quote(slug, safe='')}/")


@given(prefix=PREFIX, number=NUMBERS)
def test_any_article_id(site, reader, prefix, number):
    """Any article number, however large or negative, is an article or a 404."""
    answer(reader, f"{prefix}/article/{number}/")
    answer(reader, f"{prefix}/article/{number}/qr.png")


@given(prefix=PREFIX, path=st.lists(ANY_TEXT, min_size=1, max_size=4))
def test_any_path(site, reader, prefix, path):
    """Made-up addresses are 404s (or redirects to the address with a slash)."""
    answer(reader, prefix + "/" + "/".join(quote(part, safe="") for part in path))


@given(
    prefix=PREFIX,
    q=ANY_TEXT,
    channel=ANY_TEXT | st.sampled_from(["jiceng", "qinglian"]),
    start=DATE,
    end=DATE,
)
def test_any_search(site, reader, prefix, q, channel, start, end):
    """Any search words, channel and dates give a search page."""
    params = {"q": q, "channel": channel, "start": start, "end": end}
    assert answer(reader, prefix + "/search/", params).status_code == 200


# --- The sanitizer under random markup ------------------------------------------------

TAGS = [
    "p", "a", "img", "script", "svg", "math", "iframe", "style", "div", "span", "table",
    "td", "form", "input", "object", "embed", "base", "meta", "link", "template", "noscript",
    "textarea", "title", "figure", "figcaption", "details", "video", "source", "body",
]  # fmt: skip
ATTRIBUTES = [
    "href", "src", "style", "onerror", "onload", "onclick", "title", "alt", "srcdoc",
    "xlink:href", "action", "formaction", "data", "width", "class", "colspan", "target",
]  # fmt: skip
VALUES = st.sampled_from(
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " \tjavascript:alert(1)",
        "jav&#x09;ascript:alert(1)",
        "&#106;avascript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "vbscript:x",
        "https://example.org/",
        "/article/1/",
        "x",
        "width: expression(alert(1))",
        "background:url(javascript:alert(1))",
        "text-align:center",
        '"><script>alert(1)</script>',
        "alert(1)",
    ]
) | st.text(max_size=20)


@st.composite
def markup(draw, depth=0):
    """A fragment of HTML, well-formed or not, from tags and attributes attackers use."""
    parts = []
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["text", "element", "broken", "comment", "entity"]))
        if kind == "text":
            parts.append(draw(st.text(max_size=10)))
        elif kind == "comment":
            parts.append(f"<!--{draw(st.text(max_size=10))}-->")
        elif kind == "entity":
            parts.append(draw(st.sampled_from(["&lt;", "&gt;", "&amp;", "&#60;", "&quot;"])))
        else:
            tag = draw(st.sampled_from(TAGS))
            attrs = "".join(
                f" {name}={quote_mark}{value}{quote_mark}"
                for name, value, quote_mark in draw(
                    st.lists(
                        st.tuples(
                            st.sampled_from(ATTRIBUTES), VALUES, st.sampled_from(['"', "'", ""])
                        ),
                        max_size=3,
                    )
                )
            )
            inner = draw(markup(depth + 1)) if depth < 2 else ""
            closing = "" if kind == "broken" else f"</{tag}>"
            parts.append(f"<{tag}{attrs}>{inner}{closing}")
    return "".join(parts)


@given(html=markup())
def test_sanitized_markup_is_never_executable(html):
    """Random hostile markup, once sanitized, has nothing executable, in 简 and in 繁."""
    clean = sanitize_html(html)
    assert problems_in(clean) == [], (html, clean)
    assert problems_in(to_hant_html(clean)) == [], (html, clean)
    # Sanitizing is stable: the stored value passes through unchanged the next time.
    assert sanitize_html(clean) == clean
