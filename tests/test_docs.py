"""The README and docs/ link to files that exist, and keep the test command CI reads."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
# [text](target) with a relative target: no scheme, not a bare #anchor.
LINK = re.compile(r"\]\((?![a-z][a-z0-9+.-]*:|#)([^)\s]+)\)")


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_point_at_files_that_exist(page):
    missing = [
        target
        for target in LINK.findall(page.read_text())
        if not (page.parent / target.split("#", 1)[0]).exists()
    ]
    assert not missing, f"{page.name} links to missing files: {missing}"


def anchors(page):
    """The anchors of a page's headings, spelled as GitHub spells them."""
    headings = re.findall(r"^#+ (.+)$", page.read_text(), flags=re.MULTILINE)
    return {re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-") for h in headings}


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_links_to_a_heading_find_it(page):
    wrong = []
    for target in LINK.findall(page.read_text()):
        path, _, anchor = target.partition("#")
        target_page = page.parent / path
        if (
            anchor
            and target_page.suffix == ".md"
            and target_page.exists()
            and anchor not in anchors(target_page)
        ):
            wrong.append(target)
    assert not wrong, f"{page.name} links to headings that are not there: {wrong}"


def test_readme_keeps_the_test_command_ci_runs():
    readme = (ROOT / "README.md").read_text()
    block = re.search(r"<!-- test-command -->\n```sh\n(.+)\n```\n<!-- /test-command -->", readme)
    assert block
    assert block.group(1).endswith(".venv/bin/python -m pytest")
