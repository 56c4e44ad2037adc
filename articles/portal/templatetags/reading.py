"""What makes text easier to read and use on a phone: ``{% load reading %}``.

``{{ text|tel_links }}`` — plain text, escaped, with telephone numbers as ``tel:`` links;
``{{ html|reader_body }}`` — trusted (sanitized) rich text with the same links, and with
the full-width spaces editors type to indent a paragraph removed, since the stylesheet
indents every paragraph by two characters (``text-indent: 2em``) whoever typed it.
"""

import re

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

register = template.Library()

# A landline with its area code (0773-1234567), a mobile number, or a national service
# line such as 12388 (the commission's reporting line). Other digit runs are left alone:
# they are more often years, counts or amounts than numbers to call. Chinese text puts
# digits right after characters ("举报电话12388"), so only ASCII letters and digits
# around a number make it part of something else.
TELEPHONE = re.compile(
    r"(?<![0-9A-Za-z-])(0\d{2,3}-\d{7,8}|1[3-9]\d{9}|123(?:88|45|15|33|48|19|20|10))"
    r"(?![0-9A-Za-z-])"
)
# The leading blanks of a paragraph: full-width spaces (U+3000), no-break spaces, or
# their entity, as the demo and pasted Word text carry them.
PARAGRAPH_INDENT = re.compile(r"(<p\b[^>]*>)(?:\u3000|\xa0|&nbsp;|&#12288;|\s)+")
TAG = re.compile(r"(<[^>]*>)")


def _link(match):
    number = match.group(0)
    return format_html('<a href="tel:{}">{}</a>', number.replace("-", ""), number)


@register.filter(is_safe=True)
def tel_links(text):
    """Plain text, escaped, whose telephone numbers are ``tel:`` links."""
    return mark_safe(TELEPHONE.sub(_link, str(conditional_escape(text))))


@register.filter(is_safe=True)
def reader_body(html):
    """Sanitized rich text: paragraphs without typed indents, numbers as ``tel:`` links
    (outside the links the editor made)."""
    html = PARAGRAPH_INDENT.sub(r"\1", str(html))
    parts = TAG.split(html)
    in_link = False
    for i, part in enumerate(parts):
        if i % 2:  # a tag
            name = part[1:].lstrip("/").split(None, 1)[0].rstrip(">").lower() if part else ""
            if name == "a":
                in_link = not part.startswith("</")
        elif not in_link and part:
            parts[i] = TELEPHONE.sub(_link, part)
    return mark_safe("".join(parts))


@register.filter
def tel_href(number):
    """A number as typed in the settings ("0773-12388", "+86 773 12388") as a ``tel:``
    address: its digits, and a leading +."""
    number = str(number).strip()
    digits = "".join(ch for ch in number if ch.isascii() and ch.isdigit())
    return f"tel:{'+' if number.startswith('+') else ''}{digits}"
