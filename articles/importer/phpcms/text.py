"""Undoing what PHPCMS did to text when it saved it, where that is certain.

Each function takes a stored value and returns what the editor meant, or as close as
the stored value allows (docs/importing.md lists what cannot be recovered).
"""

import html
import re
from dataclasses import dataclass

_SPACES = re.compile(r"\s+")
_TAGS = re.compile(r"<[^>]*>")


def title(value):
    """Member contributions stored titles already escaped: unescaped exactly once."""
    return _SPACES.sub(" ", html.unescape(value)).strip()


@dataclass(frozen=True)
class Style:
    colour: str = ""
    bold: bool = False


def style(value):
    """'#RRGGBB', '#RRGGBB;bold', ';bold' (articles), 'color;font-weight:bold' (pages)."""
    colour, _, rest = value.partition(";")
    colour = colour.strip()
    if not re.fullmatch(r"#[0-9A-Fa-f]{3,6}", colour):
        colour = ""
    return Style(colour=colour, bold="bold" in rest.lower())


def _mangled(text):
    """What PHPCMS's save did to a description: / \\ # . ' became spaces."""
    return re.sub(r"[/\\#.']", " ", text)


def content_text(content):
    """The content as PHPCMS's automatic summary saw it (before it was cut)."""
    text = _TAGS.sub("", content)
    for gone in ("'", "\r\n", "\t", "[page]", "[/page]", "&ldquo;", "&rdquo;", "&nbsp;"):
        text = text.replace(gone, "")
    return html.unescape(text)


def summary(description, content):
    """The summary an editor would recognise.

    PHPCMS cut an empty description from the content (about 65 characters, then '...'),
    re-encoded & " ' < > as entities, and on every save turned / \\ # . ' into spaces —
    so the cut's '...' became three spaces. Entities are decoded and the end trimmed.
    When the description is a cut of the content (its start, once mangled the same way),
    the cut is shown as one '…'; a typed description keeps its spaces.
    """
    text = html.unescape(html.unescape(description)).replace("\r\n", "\n")
    stripped = text.rstrip()
    if text.endswith("   ") and stripped:
        start = _mangled(content_text(content)).strip()
        if start.startswith(stripped.strip()):
            return stripped.strip() + "…"
    return stripped.strip()


def keywords(value):
    """PHPCMS splits on commas when there is one, else on spaces; kept comma-separated."""
    value = html.unescape(value).strip()
    parts = re.split(r"[,，]", value) if re.search(r"[,，]", value) else value.split()
    return ",".join(p.strip() for p in parts if p.strip())


@dataclass(frozen=True)
class CopyFromValue:
    text: str
    entry_id: int  # 0: none chosen from the list


def copyfrom(value):
    """'<text>|<copyfrom id>' from the admin form, or a plain text from collection/API."""
    value = value.strip()
    text, bar, number = value.rpartition("|")
    if bar and number.strip().isdigit():
        return CopyFromValue(text.strip(), int(number))
    return CopyFromValue(value, 0)


def looks_like_url(value):
    return bool(re.fullmatch(r"https?://[^\s<>\"']+", value.strip()))


def relation(value):
    """The related ids in the editor's order: '|12|34|' → [12, 34], duplicates once."""
    seen = []
    for part in value.split("|"):
        part = part.strip()
        if part.isdigit() and int(part) not in seen:
            seen.append(int(part))
    return seen


_INDENT = re.compile(
    r"(<p\b[^>]*>(?:\s*<(?:span|font)\b[^>]*>)*)(?:\s|&nbsp;|\u00a0|\u3000){2,}", re.I
)


def indentation(content):
    """Paragraphs indented with runs of &nbsp; or spaces (Word, old editors) start with
    the two full-width spaces the site's own paragraphs use."""
    return _INDENT.sub("\\1\u3000\u3000", content)


@dataclass(frozen=True)
class Part:
    subtitle: str
    html: str


_PAGE = re.compile(r"\[page\](?:((?:(?!\[page\]).)*?)\[/page\])?", re.DOTALL)
# What the editor's insertion leaves around a marker once the content is split. Only
# ASCII white space: a part's first line keeps its full-width (U+3000) indentation.
_DANGLING = re.compile(
    r"^[ \t\r\n]*(?:</p>|<br\s*/?>|[ \t\r\n])*|(?:<p[^>]*>|<br\s*/?>|[ \t\r\n])*$",
    re.IGNORECASE,
)


def parts(content, article_title=""):
    """A manually paginated body as PHPCMS's ``show()`` splits it: the text between
    [page] markers, each with its subtitle ([page]subtitle[/page]); the dangling <p> and
    </p> the markers leave are dropped. One part when there is no marker."""
    if "[page]" not in content:
        return [Part("", content)]
    found = []
    pieces = _PAGE.split(content)
    # pieces: text, subtitle, text, subtitle, text…
    first = _clean_piece(pieces[0])
    if _TAGS.sub("", first).strip() or "<img" in first:
        found.append(Part(article_title if len(pieces[0]) > 7 else "", first))
    for index in range(1, len(pieces), 2):
        subtitle = _TAGS.sub("", html.unescape(pieces[index] or "")).strip()
        body = _clean_piece(pieces[index + 1])
        if _TAGS.sub("", body).strip() or "<img" in body or subtitle:
            found.append(Part(subtitle, body))
    return found or [Part("", "")]


# PHPCMS's contentpage class pages an automatically paginated article (type 1) by the
# bytes of its text (strlen of the UTF-8 content without tags), 500 when the setting
# is below 10, and only at display time: no marker is stored.
AUTO_PAGE_DEFAULT = 500
AUTO_PAGE_LIMIT = 100


def auto_pages(content, maxcharperpage):
    """How many pages PHPCMS showed an automatically paginated article in, for its old
    page-N addresses. PHPCMS breaks at tag boundaries, so a page can run a little over:
    one page more is counted than the text needs, an address that only ever leads to
    the article itself."""
    size = maxcharperpage if maxcharperpage >= 10 else AUTO_PAGE_DEFAULT
    length = len(_TAGS.sub("", content).encode("utf-8"))
    return max(1, min(AUTO_PAGE_LIMIT, -(-length // size) + 1))


def _clean_piece(piece):
    return _DANGLING.sub("", piece).strip(" \t\r\n")


_BLOCK = re.compile(
    r"<(?:p|div|table|ul|ol|dl|h[1-6]|blockquote|section|article|center|pre|hr|figure)\b",
    re.IGNORECASE,
)
_TRAILING_BREAKS = re.compile(r"(?:<br\s*/?>|[ \t\r\n])+$", re.IGNORECASE)


def leading_paragraph(content):
    """Text typed straight into the body, in no paragraph (CKEditor's ENTER_BR mode:
    ``　　text<br />``), gets one up to the first block: the sanitizer trims a body's
    surrounding white space, which would take the first line's full-width indentation
    (U+3000 is white space to it) while the following lines keep theirs."""
    rest = content.lstrip(" \t\r\n")
    block = _BLOCK.search(rest)
    head, tail = (rest[: block.start()], rest[block.start() :]) if block else (rest, "")
    if not _TAGS.sub("", head).strip() and "<img" not in head.lower():
        return content
    return f"<p>{_TRAILING_BREAKS.sub('', head)}</p>\n{tail}".rstrip("\n")
