"""Image captions that say nothing are not published (issue 15 #6).

When an editor ticks 带标题图像 in CKEditor's image dialog, the caption starts as the
placeholder "标题"; one who forgets it would publish that word under the picture. On
save, a captioned picture whose caption is empty or still a placeholder becomes a
plain picture (floated as the figure was).

``drop_empty_captions`` works on what ``articles.sanitize.sanitize_html`` returns: nh3
writes its HTML in one normal form (double-quoted attributes, no nested figures,
figcaption last in its figure), which the pattern below relies on. It is meant to be
called at the end of ``sanitize_html``.
"""

import html
import re

# What CKEditor's image2 puts in a new caption, in every language the site uses.
PLACEHOLDERS = {"标题", "標題", "caption", "图片标题", "圖片標題"}

_CAPTIONED = re.compile(
    r'<figure class="image-captioned"(?P<style> style="[^"]*")?>'
    r"(?P<image>(?:(?!</?figure).)*?)"
    # CKEditor writes its output formatted: a line break before the caption and after.
    r"<figcaption>(?P<caption>(?:(?!</figcaption>).)*)</figcaption>\s*</figure>",
    re.S,
)
_TAG = re.compile(r"<[^>]*>")
_FLOAT = re.compile(r"float:(left|right)")


def caption_text(caption_html):
    """The words of a caption, without tags, entities or spaces of any kind."""
    return "".join(html.unescape(_TAG.sub("", caption_html)).split())


def _replace(match):
    words = caption_text(match.group("caption"))
    if words and words.lower() not in PLACEHOLDERS:
        return match.group(0)
    image = match.group("image").strip()
    side = _FLOAT.search(match.group("style") or "")
    if side and image.startswith("<img "):
        # CKEditor aligns an uncaptioned picture by floating the img itself.
        image = f'<img style="float:{side.group(1)}" ' + image.removeprefix("<img ")
    return image


def drop_empty_captions(value):
    """Sanitized HTML with every empty or placeholder caption removed, and its figure."""
    if not value or "<figcaption>" not in value:
        return value
    return _CAPTIONED.sub(_replace, value)
