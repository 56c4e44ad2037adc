"""一键排版 on the server: the rules of the editor's button
(static/ckeditor-overrides/qinglianformat/tidy.js), for text that never passes through
the editor (an import, a batch tidy). tests/browser/test_editor_tools.py checks that the
two give the same text.
"""

import re

from articles.richtext import END, START, TEXT, add_attributes, set_attribute, tokenize

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
FULL_PUNCT = "\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\u201c\u201d\u2018\u2019\u2026\u2014"
CJK = HAN + FULL_PUNCT
BLANK = "[ \t\u00a0\u3000]"
HALF_TO_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！"}

RULES = [
    (re.compile(f"([{CJK}]){BLANK}+(?=[{CJK}])"), r"\1"),
    (re.compile(f"\\(([^()]*[{HAN}][^()]*)\\)"), r"（\1）"),
    (re.compile(f'"([^"]*[{HAN}][^"]*)"'), r"“\1”"),
    (re.compile(f"([{CJK}]){BLANK}*([,;:?!])"), lambda m: m[1] + HALF_TO_FULL[m[2]]),
    (
        re.compile(f"(^|[^A-Za-z0-9])([,;:?!]){BLANK}*(?=[{HAN}])"),
        lambda m: m[1] + HALF_TO_FULL[m[2]],
    ),
    (re.compile(f"([{CJK}])\\.(?![0-9A-Za-z])"), r"\1。"),
    (re.compile(f"{BLANK}+([，。；：？！（）“”、《》])"), r"\1"),
    (re.compile(f"([，。；：？！（“、《]){BLANK}+"), r"\1"),
]
LEADING = re.compile("^[ \t\n\r\u00a0\u3000]+")
_EMPTY = re.compile("[\\s\u00a0\u3000\u200b]*")
KEEPS = {"img", "table", "video", "iframe", "hr", "figure"}


def tidy_text(text):
    for pattern, replacement in RULES:
        text = pattern.sub(replacement, text)
    return text


def tidy_html(html):
    """Paragraphs of ``html`` tidied as the button tidies them: text rules, no leading
    blanks, empty paragraphs dropped, the others marked ``class="indent"`` unless they
    are aligned, hold a picture, or sit in a table, a list or a quotation."""
    tokens = tokenize(html)
    out = []
    paragraph = None  # [start token, pieces, has text, keeps, leading]
    enclosing = []
    for token in tokens:
        if paragraph is None:
            if token.kind == START and token.tag == "p":
                paragraph = [token, [], False, False, True]
                continue
            if token.kind == START and token.tag in ("td", "th", "li", "blockquote", "figure"):
                enclosing.append(token.tag)
            elif token.kind == END and enclosing and token.tag == enclosing[-1]:
                enclosing.pop()
            out.append(token.raw)
            continue
        if token.kind == END and token.tag == "p":
            out.append(_paragraph(paragraph, bool(enclosing)))
            paragraph = None
            continue
        if token.kind == TEXT:
            raw = token.raw
            if paragraph[4]:
                raw = LEADING.sub("", raw.replace("&nbsp;", "\u00a0"))
                paragraph[4] = not raw
            raw = tidy_text(raw)
            if not _EMPTY.fullmatch(raw.replace("&nbsp;", "")):
                paragraph[2] = True
            paragraph[1].append(raw)
        else:
            if token.kind == START and token.tag in KEEPS:
                paragraph[3] = True
            paragraph[1].append(token.raw)
    if paragraph is not None:
        out.append(_paragraph(paragraph, bool(enclosing), closed=False))
    return "".join(out)


def _paragraph(paragraph, enclosed, closed=True):
    start, pieces, has_text, keeps, _ = paragraph
    if not has_text and not keeps:
        return ""
    raw = start.raw
    style = start.attrs.get("style", "").replace(" ", "")
    aligned = "text-align:center" in style or "text-align:right" in style
    if not (aligned or keeps or enclosed):
        classes = start.attrs.get("class", "").split()
        if "indent" not in classes:
            if "class" in start.attrs:
                raw = set_attribute(raw, "class", " ".join([*classes, "indent"]))
            else:
                raw = add_attributes(raw, {"class": "indent"})
    return raw + "".join(pieces) + ("</p>" if closed else "")
