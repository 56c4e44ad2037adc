"""The article list at 1366 × 768, the usual office screen (issue 15 #3): titles get the
room, the other columns keep to one line, 20 rows fit in about two screens."""

import os

import pytest
from django.urls import reverse

from tests.browser.conftest import ROLES, make_staff
from tests.browser.test_editor import log_in
from tests.conftest import make_article, make_channel

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TITLES = [
    "七星区纪委监委深入开展群众身边不正之风和腐败问题集中整治工作",
    "象山区：以案促改推动基层监督提质增效",
    "市纪委监委召开全市纪检监察干部队伍教育整顿动员部署会",
    "秀峰区：紧盯“关键少数”强化对一把手和领导班子的监督",
]


def test_article_list_is_readable_at_1366(site, open_page, tmp_path):
    channel = make_channel("工作动态", "gongzuodongtai")
    for i in range(24):
        make_article(f"{TITLES[i % len(TITLES)]}（{i + 1}）", channel=channel, is_pinned=i == 0)
    reviewer = make_staff("laoli", ROLES.REVIEWER)
    page = open_page(1366)
    page.set_viewport_size({"width": 1366, "height": 768})
    log_in(page, site, reviewer)
    page.goto(site(reverse("admin:articles_article_changelist")))
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 24

    table = page.locator("#result_list").bounding_box()
    title = page.locator("#result_list tbody tr:first-child .field-title").bounding_box()
    assert title["width"] >= 0.35 * table["width"]
    # Not one character per line: the table fits the screen, and no row is taller than
    # two lines of its title.
    assert table["x"] + table["width"] <= 1366
    heights = [rows.nth(i).bounding_box()["height"] for i in range(24)]
    assert max(heights) <= 56, heights
    twentieth = rows.nth(19).bounding_box()
    assert twentieth["y"] + twentieth["height"] <= 2 * 768
    shot = os.environ.get("DESK_SCREENSHOT") or str(tmp_path / "list-1366.png")
    page.screenshot(path=shot)
    assert not page.problems
