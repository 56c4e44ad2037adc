"""PHPCMS's addresses: the ones it printed for an article or channel, and what an old
address asks for.

Dynamic addresses (``show-…``, ``index.php?…``, ``list-…``) carry a catid and an id;
PHPCMS used the catid only to pick the model table and then trusted the row
(reference: the URL catid is not the article's channel), so they are parsed and
resolved through what was imported. Static addresses (``/html/…``) depend on the
channel's directories and the date; each one printed is remembered as a path.
"""

import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Stock rule 12, PHPCMS's default static show rule, and stock rule 1 for channels.
DEFAULT_STATIC_SHOW = (
    "{$categorydir}{$catdir}/{$year}/{$month}{$day}/{$id}.html"
    "|{$categorydir}{$catdir}/{$year}/{$month}{$day}/{$id}_{$page}.html"
)
DEFAULT_STATIC_LIST = "{$categorydir}{$catdir}/index.html|{$categorydir}{$catdir}/{$page}.html"


@dataclass(frozen=True)
class OldRef:
    kind: str  # "article" or "channel"
    catid: int | None
    id: int | None
    page: int


# A subsite's directory name (v9_site.dirname) as a path segment.
SAFE_DIR = re.compile(r"[0-9A-Za-z_\-]+")
_SHOW = re.compile(r"(?:^|/)(show|content|article)-(\d+)-(\d+)(?:-(\d+))?(?:-(\d+))?\.html$")
_LIST = re.compile(r"(?:^|/)list-(\d+)(?:-(\d+))?(?:-(\d+))?\.html$")


def _number(value, default=None):
    value = (value or "").strip()
    return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else default


def parse(path, query):
    """What a dynamic PHPCMS address asks for, or None. ``query`` maps names to values."""
    if path.endswith("index.php") or path.endswith("/"):
        action = query.get("a", "")
        module = query.get("m", "")
        if module in ("content", "wap") and action == "show" and _number(query.get("id")):
            return OldRef(
                "article", _number(query.get("catid")), _number(query["id"]),
                _number(query.get("page"), 1),
            )  # fmt: skip
        if module in ("content", "wap") and action == "lists" and _number(query.get("catid")):
            return OldRef("channel", _number(query["catid"]), None, _number(query.get("page"), 1))
        return None
    match = _SHOW.search(path)
    if match:
        form, catid, item, page = match.group(1), int(match[2]), int(match[3]), match[4]
        # article-{x}-… (the mobile site): x is not a catid of the main site.
        return OldRef("article", None if form == "article" else catid, item, int(page or 1))
    match = _LIST.search(path)
    if match:
        return OldRef("channel", int(match[1]), None, int(match[2] or 1))
    return None


def path_of(url):
    """The path of a stored URL (absolute or host-relative), or '' when it has a query
    or is no address of the old site at all."""
    url = url.strip()
    if not url or url.startswith(("javascript:", "mailto:")):
        return ""
    parts = urlsplit(url if "://" in url or url.startswith("/") else "/" + url)
    if parts.query:
        return ""
    return normal_path(parts.path)


def normal_path(path):
    path = unquote(path)
    path = re.sub(r"/{2,}", "/", "/" + path.lstrip("/"))
    return path[:500]


def fill(rule, values):
    return re.sub(r"\{\$(\w+)\}", lambda m: str(values.get(m[1], "")), rule)


def halves(rule):
    first, _, later = rule.partition("|")
    return first, later or first


def _to_root(category):
    return str(category.setting.get("create_to_html_root", "0")) == "1"


@dataclass(frozen=True)
class HtmlDirs:
    """Where a category's static pages were: ``{$categorydir}`` and the root above it."""

    categorydir: str
    root: str  # "/html/", or "/" when generated to the site's root (生成到根目录)


def html_dirs(category, by_id):
    """As PHPCMS's url.class.php computed them. A category generated to the site's root
    (``create_to_html_root``), or under one that is, has no /html/; its
    ``{$categorydir}`` stops at that category (the category itself: none). Otherwise the
    stored ``parentdir``. ``by_id``: the categories by catid."""
    chain, current, seen = [category], category, {category.catid}
    while current.parentid in by_id and current.parentid not in seen:
        current = by_id[current.parentid]
        seen.add(current.catid)
        chain.append(current)
    flagged = [c for c in chain if _to_root(c)]
    if not flagged:
        return HtmlDirs(category.parentdir, "/html/")
    # The catdirs of the parents up to the nearest one generated to the root.
    stop = chain.index(flagged[0])
    dirs = [c.catdir for c in reversed(chain[1 : stop + 1])]
    return HtmlDirs("".join(f"{d}/" for d in dirs), "/")


def _dirs_of(category, dirs):
    return dirs or HtmlDirs(category.parentdir, "/" if _to_root(category) else "/html/")


def static_article_paths(category, item_id, inputtime, rule, pages, dirs=None):
    """The static paths of an article's pages 1..pages under ``rule`` (``dirs``: the
    category's ``html_dirs``)."""
    dirs = _dirs_of(category, dirs)
    moment = datetime.fromtimestamp(inputtime or 0, SHANGHAI)
    values = {
        "categorydir": dirs.categorydir,
        "catdir": category.catdir,
        "catid": category.catid,
        "id": item_id,
        "year": f"{moment:%Y}",
        "month": f"{moment:%m}",
        "day": f"{moment:%d}",
    }
    first, later = halves(rule)
    found = [(normal_path(dirs.root + fill(first, {**values, "page": 1})), 1)]
    for page in range(2, pages + 1):
        found.append((normal_path(dirs.root + fill(later, {**values, "page": page})), page))
    return found


def static_channel_paths(category, rule, dirs=None):
    dirs = _dirs_of(category, dirs)
    values = {"categorydir": dirs.categorydir, "catdir": category.catdir, "catid": category.catid}
    first = halves(rule)[0]
    root = dirs.root
    index = normal_path(root + fill(first, {**values, "page": 1}))
    found = [(index, 1)]
    if index.endswith("/index.html"):
        found.append((index[: -len("index.html")], 1))
    return found
