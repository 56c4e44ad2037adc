"""The shape of the code (docs/architecture.md): apps along the seams, each importing only
what is below it, small modules, no private request attributes between modules."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "articles"

# Lower layers first; a module may import its own app and the layers below it.
LAYERS = {
    "articles": 0,
    "articles.caching": 1,
    "articles.search": 2,
    "articles.hant": 2,
    "articles.ops": 3,
    "articles.portal": 4,
    "articles.editorial": 5,
    "articles.inspections": 6,
    "articles.importer": 7,
}
MAX_LINES = 400


def modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        yield path


def app_of(dotted):
    """The app a dotted module name belongs to."""
    parts = dotted.split(".")
    if len(parts) > 1 and f"articles.{parts[1]}" in LAYERS:
        return f"articles.{parts[1]}"
    return "articles"


def dotted_name(path):
    relative = path.relative_to(ROOT).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported(path):
    tree = ast.parse(path.read_text(), filename=str(path))
    package = dotted_name(path)
    if path.name != "__init__.py":
        package = package.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            yield module
            for alias in node.names:
                yield f"{module}.{alias.name}"


@pytest.mark.parametrize("path", list(modules()), ids=lambda p: str(p.relative_to(ROOT)))
def test_each_module_imports_only_its_own_app_and_the_layers_below(path):
    own = app_of(dotted_name(path))
    wrong = sorted(
        {
            name
            for name in imported(path)
            if name.startswith("articles.")
            and app_of(name) != own
            and LAYERS[app_of(name)] >= LAYERS[own]
        }
    )
    assert not wrong, f"{own} must not import {wrong}"


@pytest.mark.parametrize("path", list(modules()), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_is_over_400_lines(path):
    assert len(path.read_text().splitlines()) <= MAX_LINES


def test_no_module_reads_private_request_attributes():
    """``request._name`` is neither set nor read anywhere: what a page needs travels on
    the page context or as arguments."""
    private = re.compile(r"\brequest\._[a-z]")
    offenders = [
        str(path.relative_to(ROOT))
        for path in [*modules(), *(ROOT / "qinglian").rglob("*.py")]
        if private.search(path.read_text())
    ]
    assert not offenders
