"""The allow-list every rich-text value passes before it is stored.

CKEditor 4 is out of support, so nothing it sends is trusted: the allow-list matches
what the toolbar in ``CKEDITOR_CONFIGS`` can produce and nothing more.
"""

import re

import nh3
from django.db import models

from articles import richtext
from articles.captions import drop_empty_captions

ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "h5", "h6", "pre", "hr",
    "strong", "b", "em", "i", "u", "s", "del", "ins", "sub", "sup", "code", "span",
    "a", "img", "figure", "figcaption",
    "table", "caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "th", "td",
    "ul", "ol", "li", "blockquote", "div",
}  # fmt: skip

ALLOWED_ATTRIBUTES = {
    "*": {"style", "title"},
    "a": {"href", "target"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "col": {"span"},
    "ol": {"start"},
}

ALLOWED_CLASSES = {
    "figure": {"image", "image-captioned"},
    # 一键排版's indented paragraph, and the 分页 button's marker (articles/parts.py).
    "p": {"indent"},
    "hr": {"page-break"},
}

# Layout properties CKEditor writes; anything that can hide, move or overlay
# content (display, visibility, position, opacity, font-size, color, z-index…)
# is left out on purpose.
ALLOWED_STYLE_PROPERTIES = {
    "text-align", "text-indent", "width", "height", "float",
    "margin-left", "margin-right", "vertical-align",
    "border-width", "border-style", "border-collapse",
}  # fmt: skip

# Values are plain lengths, percentages, keywords and colours: no negative offsets
# (which push text off screen), no url(), no expression().
_SAFE_STYLE_VALUE = re.compile(r"[a-z0-9.%# ,]*")
_NEGATIVE = re.compile(r"-\s*[.\d]")
# Pixels, in ASCII digits only: ``str.isdigit()`` also takes ² and ①, which ``int()``
# refuses (issue 21 #7), and too many digits are no size either.
IMAGE_SIZE = re.compile(r"[0-9]{1,5}")


def _filter_attribute(tag, name, value):
    if name == "class":
        # (nh3 would keep an emptied ``class=""``.)
        kept = [c for c in value.split() if c in ALLOWED_CLASSES.get(tag, ())]
        return " ".join(kept) or None
    if name in ("width", "height") and tag == "img":
        return value if IMAGE_SIZE.fullmatch(value) else None
    if name != "style":
        return value
    kept = []
    for declaration in value.split(";"):
        prop, _, val = declaration.partition(":")
        prop, val = prop.strip().lower(), val.strip().lower()
        if (
            prop in ALLOWED_STYLE_PROPERTIES
            and val
            and _SAFE_STYLE_VALUE.fullmatch(val)
            and not _NEGATIVE.search(val)
        ):
            kept.append(f"{prop}:{val}")
    return ";".join(kept) or None


_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    clean_content_tags={"script", "style", "iframe", "object", "embed", "template", "noscript"},
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes={"http", "https", "mailto", "tel"},
    allowed_classes=ALLOWED_CLASSES,
    filter_style_properties=ALLOWED_STYLE_PROPERTIES,
    attribute_filter=_filter_attribute,
    link_rel="noopener noreferrer",
)


# C0 controls but tab, LF and CR: invisible on a page, forbidden in XML (a \x0b in a
# summary, what Word's Shift+Enter pastes, broke every RSS feed: issue 21 #5).
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def clean_text(value):
    """``value`` without C0 control characters other than tab, LF and CR."""
    if not value or value.isprintable():
        return value
    return _CONTROLS.sub("", value)


def clean_text_fields(instance):
    """``clean_text`` on every text field of a model instance about to be saved."""
    for field in instance._meta.concrete_fields:
        if isinstance(field, models.CharField | models.TextField):
            value = getattr(instance, field.attname)
            if isinstance(value, str):
                setattr(instance, field.attname, clean_text(value))


def sanitize_html(value):
    """Return ``value`` reduced to the allow-list; ``None`` and '' pass through."""
    if not value:
        return value or ""
    # A captioned picture whose caption is empty or CKEditor's placeholder is published
    # as a plain picture (articles/captions.py).
    clean = _cleaner.clean(value)
    if "<a " in clean:
        # nh3 may write the rel it adds before a link's other attributes, and after them
        # the next time: a second pass gives the form every later pass keeps.
        clean = _cleaner.clean(clean)
    return drop_empty_captions(clean.strip())


def html_to_blocks(value, skip=frozenset()):
    """The non-empty text blocks of an HTML fragment, entities decoded, whitespace collapsed."""
    return richtext.blocks(value, skip)


def html_to_text(value):
    """Plain text of an HTML fragment, one line per block (articles/richtext.py)."""
    return richtext.text(value)


def first_paragraph(value, limit=200):
    """The first paragraph's text, cut at ``limit`` characters with an ellipsis."""
    blocks = richtext.blocks(value, skip=richtext.CAPTIONS)
    if not blocks:
        return ""
    text = blocks[0]
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text
