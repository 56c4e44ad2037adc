"""Empty and placeholder image captions are not published (issue 15 #6).

``articles.captions.drop_empty_captions`` is meant to run at the end of
``articles.sanitize.sanitize_html``; until it is wired there, these tests run it on
what sanitize_html returns for the HTML CKEditor's image2 produces.
"""

import pytest

from articles.captions import drop_empty_captions
from articles.sanitize import sanitize_html

IMG = '<img alt="督查组在学校" height="900" src="/media/uploads/a.jpg" width="1600">'
FIGURE = '<figure class="image-captioned"{style}>{img}<figcaption>{caption}</figcaption></figure>'


def figure(caption, img=IMG, style=""):
    return FIGURE.format(style=style, img=img, caption=caption)


def saved(body):
    return drop_empty_captions(sanitize_html(body))


@pytest.mark.parametrize(
    "caption",
    [
        "标题",
        " 标题 ",
        "標題",
        "Caption",
        "",
        "&nbsp;",
        "<br>",
        "&nbsp;<br>",
        "<strong>标题</strong>",
    ],
)
def test_placeholder_or_empty_caption_leaves_a_plain_picture(caption):
    """A picture whose caption was left as the placeholder, or emptied, is kept without it."""
    body = "<p>前文</p>" + figure(caption)
    assert saved(body) == f"<p>前文</p>{IMG}"


def test_placeholder_caption_in_ckeditors_formatted_output_leaves_a_plain_picture():
    """CKEditor sends its HTML formatted, with line breaks around the caption."""
    figure = f'<figure class="image-captioned">{IMG}\n<figcaption>标题</figcaption>\n</figure>'
    body = f"<p>前文</p>\n\n{figure}\n"
    assert saved(body) == f"<p>前文</p>\n\n{IMG}"


def test_real_caption_is_kept_whole():
    """A caption the editor wrote (with bold words) is left exactly as it was."""
    body = (
        f'<figure class="image-captioned">{IMG}'
        "<figcaption>标题党整治会议<strong>现场</strong></figcaption></figure>"
    )
    assert saved(body) == sanitize_html(body)


def test_floated_figure_gives_its_side_to_the_picture():
    """A figure floated left becomes a picture floated left, as CKEditor writes it."""
    body = figure("标题", style=' style="float:left"')
    assert saved(body) == IMG.replace("<img ", '<img style="float:left" ')


def test_linked_and_centred_picture_keeps_its_link_and_centring():
    """A centred, linked picture loses only the empty caption."""
    body = (
        '<div style="text-align:center"><figure class="image-captioned">'
        f'<a href="https://example.org/">{IMG}</a><figcaption>标题</figcaption></figure></div>'
    )
    result = saved(body)
    assert "figcaption" not in result and "figure" not in result
    assert result.startswith('<div style="text-align:center"><a href="https://example.org/"')
    assert IMG in result


def test_each_figure_is_judged_on_its_own():
    """Of two captioned pictures, only the one with the placeholder loses its caption."""
    other = IMG.replace("a.jpg", "b.jpg")
    body = figure("标题") + "<p>中间</p>" + figure("整改现场", img=other)
    assert saved(body) == IMG + "<p>中间</p>" + figure("整改现场", img=other)


def test_body_without_captions_is_untouched():
    """Bodies without captions come back as they were."""
    body = sanitize_html(f"<p>正文</p>{IMG}<table><caption>标题</caption></table>")
    assert drop_empty_captions(body) == body
