"""Search pages: any ?page= a reader types answers a real page; links keep the search."""

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.conftest import make_article, make_channel

pytestmark = pytest.mark.django_db

SEARCH = "/search/"


@pytest.fixture
def three_pages(monkeypatch):
    """Five matches, two to a page: pages of 2, 2 and 1."""
    monkeypatch.setattr("articles.portal.views.SEARCH_PER_PAGE", 2)
    channel = make_channel("清廉之窗", "qinglian")
    for i in range(5):
        make_article(f"监督{i}", channel=channel)


def links(page):
    return [
        html.unescape(href)
        for href in re.findall(r'<nav class="pagination".*?</nav>', page, re.S)
        for href in re.findall(r'href="([^"]*)"', href)
    ]


@pytest.mark.parametrize(
    ("raw", "number"),
    [("0", 1), ("-1", 1), ("abc", 1), ("1.5", 1), ("", 1), ("3", 3), ("99", 3), ("9" * 30, 3)],
)
def test_any_page_number_answers_a_real_page(client, three_pages, raw, number):
    page = client.get(SEARCH, {"q": "监督", "page": raw}).content.decode()
    assert f"第 {number} 页 / 共 3 页" in page
    assert len(re.findall(r'<li class="search-result">', page)) == (1 if number == 3 else 2)


def test_page_links_keep_words_and_filters_and_set_only_the_page(client, three_pages):
    """The links of page 2 keep the words, channel and dates once (as the page cache
    normalised them) and set only the page."""
    params = {"q": "监督 ", "channel": "qinglian", "start": "2020-01-01", "page": "2"}
    page = client.get(SEARCH, params).content.decode()
    found = [parse_qs(urlsplit(link).query) for link in links(page)]
    kept = {"q": ["监督"], "channel": ["qinglian"], "start": ["2020-01-01"]}
    assert found == [{**kept, "page": [n]} for n in ("1", "1", "3", "3")]
