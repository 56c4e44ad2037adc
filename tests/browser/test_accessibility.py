"""axe-core (vendor/axe.min.js) finds no WCAG 2.1 AA violations, nor any of its
best-practice ones, on the public pages: Simplified and Traditional, phone and desktop."""

import pytest

from tests.browser.conftest import DESKTOP, PHONE, pages, run_axe

# Transactional (the live server sees the data); serialized, so that what the migrations
# put in the database (roles, settings row) is there for every test, and stays for others.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_axe_finds_no_violations(demo, site, open_page, width):
    """Home, channel, article, search and 404, in both scripts, pass axe-core with every
    rule it runs by default; so does the article with the largest font size."""
    page = open_page(width)
    found = {}
    for name, path in pages(demo).items():
        page.goto(site(path))
        found[name] = run_axe(page)
    page.goto(site(demo["seed"].get_absolute_url()))
    page.get_by_role("button", name="大", exact=True).click()
    found["article (大)"] = run_axe(page)
    assert {name: problems for name, problems in found.items() if problems} == {}
