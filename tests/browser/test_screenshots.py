"""Screenshots of every public page at phone and desktop width, for people to look at.

They are written to test-artifacts/screenshots/<page>-<width>.png (Traditional pages
as <page>-hant-<width>.png) and kept after the run; CI can publish the folder.
"""

import pytest

from tests.browser.conftest import ARTIFACTS, DESKTOP, PHONE, pages, settle

# Transactional (the live server sees the data); serialized, so that what the migrations
# put in the database (roles, settings row) is there for every test, and stays for others.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_screenshot_every_page(demo, site, open_page, width):
    """Each page answers as it should, loads without errors and is photographed whole."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = open_page(width)
    for name, path in pages(demo).items():
        response = page.goto(site(path))
        assert response.status == (404 if name.startswith("404") else 200), name
        settle(page)
        broken = page.evaluate(
            "[...document.images].filter((img) => !img.naturalWidth).map((img) => img.src)"
        )
        assert broken == [], name
        page.screenshot(path=ARTIFACTS / f"{name}-{width}.png", full_page=True)
        assert page.problems == [], name
