"""A PHPCMS title style (``text.Style``) → 标题颜色 and 标题加粗.

PHPCMS let editors pick any colour; qinglian offers a small palette whose shades keep
their contrast (``TitleColour``). A colour is taken by its hue, the way a reader names
it ("red", "blue"); one that is not the palette colour's own is reported as
approximated, so that an editor can look at the titles concerned.
"""

import colorsys

from articles.models import TitleColour

# The hue (degrees) each palette colour stands for, and the PHPCMS colours that are
# exactly it: the CSS colour of its name and the shade the site shows.
PALETTE = {
    TitleColour.RED: (0, {"#ff0000", "#b5121b"}),
    TitleColour.ORANGE: (30, {"#ffa500", "#ff6600", "#a84300"}),
    TitleColour.GREEN: (120, {"#008000", "#00ff00", "#1a6b2e"}),
    TitleColour.BLUE: (240, {"#0000ff", "#0b57a4"}),
    TitleColour.PURPLE: (300, {"#800080", "#7b2d9b"}),
}
# Black and greys are an ordinary title: too little colour to name one.
ORDINARY = {"#000000"}
GREY_SATURATION = 0.25
DARK_VALUE = 0.2


def full_hex(colour):
    """'#F00' → '#ff0000'; anything else lower-cased as it is."""
    colour = colour.lower()
    if len(colour) == 4:
        return "#" + "".join(c * 2 for c in colour[1:])
    return colour


def palette_colour(colour):
    """(the palette value, or "" for an ordinary title; whether it is exact)."""
    colour = full_hex(colour)
    if colour in ORDINARY:
        return "", True
    for value, (_hue, exact) in PALETTE.items():
        if colour in exact:
            return value.value, True
    if len(colour) != 7:  # '#FFFF' and the like: no colour to read
        return "", False
    red, green, blue = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    hue, saturation, value = colorsys.rgb_to_hsv(red, green, blue)
    if saturation < GREY_SATURATION or value < DARK_VALUE:
        return "", False
    degrees = hue * 360

    def distance(item):
        return min(abs(degrees - item[1][0]), 360 - abs(degrees - item[1][0]))

    return min(PALETTE.items(), key=distance)[0].value, False


def emphasis_fields(style, where, report):
    """The Article fields of a title's style, only those that differ from the defaults
    (so that the digest of an unstyled row stays what earlier runs recorded)."""
    fields = {}
    if style.colour:
        value, exact = palette_colour(style.colour)
        if value:
            fields["title_colour"] = value
        if not exact:
            shown = f"“{TitleColour(value).label}”" if value else "普通颜色"
            report.problem(
                "article",
                f"{where} 的标题颜色 {style.colour} 不在本站的标题颜色中，按最接近的{shown}导入",
            )
    if style.bold:
        fields["title_bold"] = True
    return fields
