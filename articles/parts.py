"""An article in parts (内容分页): its body split at page-break markers.

Two markers are read, both walked with the one HTML walker (articles/richtext.py): the
site's own ``<hr class="page-break" title="小标题">`` (the editor's 分页 button) and
PHPCMS's ``[page]`` / ``[page]小标题[/page]``, typed into the text of imported articles.
Readers get every part on one page (the article template), each under its subtitle,
with a table of contents; the old per-part addresses point at ``#part-N``.
"""

import re
from html import unescape

from articles.richtext import END, INLINE, START, TEXT, Token, blocks, text, tokenize

# PHPCMS's markers, as its editor typed them into the text: ``[page]`` starts a part,
# ``[page]小标题[/page]`` starts one with a subtitle.
PAGE_MARKER = re.compile(r"\[page\](?:(.*?)\[/page\])?", re.S)
# This site's own marker, which the editor's 分页 button inserts (the subtitle as title).
PAGE_BREAK_CLASS = "page-break"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
_BLANK = re.compile(r"[\s\u3000\xa0]*")
# Paragraphs left empty at either end of a part where a marker cut them.
_EMPTY_EDGES = re.compile(r"^(?:\s*<(p|div)\b[^>]*>\s*</\1>)+|(?:<(p|div)\b[^>]*>\s*</\2>\s*)+$")
_WRAPPERS = {"p", "div", "h2", "h3", "h4", "h5", "h6", "span", "strong", "b", "em", "font"}


class Part:
    """One part of an article: its subtitle ('' when none was given) and its HTML."""

    __slots__ = ("title", "html")

    def __init__(self, title, html):
        self.title = title
        self.html = html

    def __repr__(self):
        return f"<Part {self.title!r}>"


class _Cut:
    __slots__ = ("title",)

    def __init__(self, title):
        self.title = title


def _is_page_break(token):
    return (
        token.kind == START
        and token.tag == "hr"
        and PAGE_BREAK_CLASS in token.attrs.get("class", "").split()
    )


def _join_split_markers(tokens):
    """``[page]<strong>小标题</strong>[/page]``: the subtitle's own formatting goes, so
    that the marker is one piece of text."""
    joined = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        tail = token.raw.rpartition("[page]")[2] if token.kind == TEXT else ""
        if "[page]" in token.raw and token.kind == TEXT and "[/page]" not in tail:
            end = index + 1
            while end < len(tokens) and (
                (tokens[end].kind in (START, END) and tokens[end].tag in INLINE)
                or (tokens[end].kind == TEXT and "[/page]" not in tokens[end].raw)
            ):
                end += 1
            if end < len(tokens) and tokens[end].kind == TEXT and "[/page]" in tokens[end].raw:
                pieces = [t.raw for t in tokens[index : end + 1] if t.kind == TEXT]
                raw = "".join(pieces)
                joined.append(Token(TEXT, raw, text=unescape(raw)))
                index = end + 1
                continue
        joined.append(token)
        index += 1
    return joined


def _with_cuts(tokens):
    """The tokens, with each marker taken out of the text and put in as a ``_Cut``."""
    items = []
    for token in _join_split_markers(tokens):
        if _is_page_break(token):
            items.append(_Cut(token.attrs.get("title", "").strip()))
        elif token.kind == TEXT and "[page]" in token.raw:
            position = 0
            for match in PAGE_MARKER.finditer(token.raw):
                before = token.raw[position : match.start()]
                if before:
                    items.append(Token(TEXT, before, text=unescape(before)))
                title = " ".join(text((match.group(1) or "").strip()).split())
                items.append(_Cut(title))
                position = match.end()
            if token.raw[position:]:
                rest = token.raw[position:]
                items.append(Token(TEXT, rest, text=unescape(rest)))
        else:
            items.append(token)
    return items


def _holds_only_cuts(items):
    cuts = False
    for item in items:
        if isinstance(item, _Cut):
            cuts = True
        elif item.kind == TEXT:
            if not _BLANK.fullmatch(item.raw.replace("&nbsp;", "")):
                return False
        elif item.kind in (START, END) and item.tag not in _WRAPPERS and item.tag != "br":
            return False
    return cuts


def _unwrap_marker_blocks(items):
    """A paragraph that holds nothing but a marker (``<p>[page]</p>``) goes, the marker
    stays: PHPCMS left such paragraphs around every marker its editor typed."""
    stack = []
    index = 0
    while index < len(items):
        item = items[index]
        if isinstance(item, Token) and item.kind == START and item.tag not in VOID:
            stack.append(index)
        elif isinstance(item, Token) and item.kind == END:
            while stack and items[stack[-1]].tag != item.tag:
                stack.pop()
            if stack:
                start = stack.pop()
                inner = items[start + 1 : index]
                if items[start].tag in ("p", "div") and _holds_only_cuts(inner):
                    cuts = [each for each in inner if isinstance(each, _Cut)]
                    items[start : index + 1] = cuts
                    index = start + len(cuts) - 1
        index += 1
    return items


def _has_content(html):
    return bool(blocks(html)) or any(
        token.kind == START and token.tag in ("img", "table", "video") for token in tokenize(html)
    )


def parts(html):
    """The parts of an article body split at its page-break markers; one part when it
    has none. Elements open at a marker are closed before it and opened again after
    it, so each part is whole HTML; parts with nothing in them are left out."""
    html = html or ""
    if "[page]" not in html and PAGE_BREAK_CLASS not in html:
        return [Part("", html)]
    items = _unwrap_marker_blocks(_with_cuts(tokenize(html)))
    found = [["", []]]
    open_tags = []
    for item in items:
        pieces = found[-1][1]
        if isinstance(item, _Cut):
            pieces.extend(f"</{token.tag}>" for token in reversed(open_tags))
            found.append([item.title, [token.raw for token in open_tags]])
            continue
        pieces.append(item.raw)
        if item.kind == START and item.tag not in VOID and not item.raw.endswith("/>"):
            open_tags.append(item)
        elif item.kind == END:
            for depth in range(len(open_tags) - 1, -1, -1):
                if open_tags[depth].tag == item.tag:
                    del open_tags[depth:]
                    break
    result = [Part(title, _EMPTY_EDGES.sub("", "".join(pieces)).strip()) for title, pieces in found]
    return [part for part in result if part.title or _has_content(part.html)] or [Part("", "")]
