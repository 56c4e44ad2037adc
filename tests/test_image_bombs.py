"""Images that cost far more to decode than their size says are refused before decoding.

Issue 21 #1: the pixel limit was checked on a GIF's logical screen only, so a 1x1
screen with a later 9000x9000 frame, or 100,000 frames of one pixel, went through.
Each test replays such a file through the paths editors use: CKEditor's upload URL
and the cover field of the article form.
"""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from articles import images
from tests.hostile_images import gif, gif_frame, gif_with_hidden_giant_frame, gif_with_many_frames
from tests.test_admin import article_form

pytestmark = pytest.mark.django_db


def upload(client, data, name="anim.gif"):
    return client.post(reverse("ckeditor_upload"), {"upload": SimpleUploadedFile(name, data)})


def refusal(response):
    assert response.status_code == 200
    result = response.json()
    assert result["uploaded"] == 0
    return result["error"]["message"]


def stored(media_root):
    return sorted(p for p in media_root.rglob("*") if p.is_file()) if media_root.exists() else []


def animation(fmt, count, size=(2, 2)):
    """An animation of ``count`` frames, each of another colour so none is merged away."""
    frames = [Image.new("RGB", size, (i % 256, i // 256 * 80, 0)) for i in range(count)]
    buffer = io.BytesIO()
    options = {"lossless": True} if fmt == "WEBP" else {}
    frames[0].save(
        buffer, format=fmt, save_all=True, append_images=frames[1:], duration=40, **options
    )
    return buffer.getvalue()


def test_gif_with_a_giant_frame_behind_a_tiny_screen_is_refused(admin_client, media_root):
    """The 55 KB GIF of the issue (1x1 screen, then a 9000x9000 frame) is refused by its
    real size, and nothing is stored."""
    data = gif_with_hidden_giant_frame((9000, 9000))
    assert len(data) < 100_000
    message = refusal(upload(admin_client, data))
    assert message == "图片尺寸过大（9000×9000 像素），请缩小后再上传。"
    assert stored(media_root) == []


def test_gif_frame_placed_far_off_the_screen_is_refused(admin_client, media_root):
    """A one-pixel frame placed at (60000, 60000) would grow the canvas to 3.6 billion
    pixels: it counts at its real extent."""
    data = gif([gif_frame(1, 1), gif_frame(1, 1, left=60000, top=60000)])
    message = refusal(upload(admin_client, data))
    assert message == "图片尺寸过大（60001×60001 像素），请缩小后再上传。"
    assert stored(media_root) == []


def test_gif_with_a_giant_frame_is_refused_as_a_cover(admin_client, media_root, channel):
    """The same GIF sent as a cover gets the size message on the cover field."""
    data = article_form(admin_client, channel, title="动图封面", cover_alt="图")
    data["cover"] = SimpleUploadedFile("cover.gif", gif_with_hidden_giant_frame())
    response = admin_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["cover"] == [
        "图片尺寸过大（9000×9000 像素），请缩小后再上传。"
    ]
    assert stored(media_root) == []


def test_gif_of_a_hundred_thousand_frames_is_refused(admin_client, media_root):
    """100,000 frames of one pixel are within the pixel budget, but not the frame cap."""
    message = refusal(upload(admin_client, gif_with_many_frames(100_000)))
    assert message == (
        f"动图帧数过多（超过 {images.MAX_FRAMES} 帧），请减少帧数或改用视频后再上传。"
    )
    assert stored(media_root) == []


@pytest.mark.parametrize(("fmt", "name"), [("GIF", "anim.gif"), ("PNG", "anim.png")])
def test_frame_cap_holds_for_every_animated_format(admin_client, media_root, fmt, name):
    """One frame over the cap is refused, in GIF as in animated PNG."""
    data = animation(fmt, images.MAX_FRAMES + 1)
    assert "动图帧数过多" in refusal(upload(admin_client, data, name))
    assert stored(media_root) == []


def test_animated_webp_over_the_frame_cap_is_refused(admin_client, media_root):
    """Animated WebP is held to the same frame cap."""
    data = animation("WEBP", images.MAX_FRAMES + 1, size=(4, 4))
    assert "动图帧数过多" in refusal(upload(admin_client, data, "anim.webp"))
    assert stored(media_root) == []


def test_animation_at_the_frame_cap_is_accepted_whole(admin_client, media_root):
    """An animation of exactly MAX_FRAMES frames is accepted with all its frames."""
    result = upload(admin_client, animation("GIF", images.MAX_FRAMES)).json()
    assert result["uploaded"] == "1"
    with Image.open(media_root / result["url"].removeprefix("/media/")) as image:
        assert image.n_frames == images.MAX_FRAMES


def test_pillow_refuses_past_the_sites_pixel_limit(admin_client, media_root, settings):
    """Pillow's own bomb check uses the site's limit, so that any code opening an image
    (thumbnails, renditions) stops where the upload check does."""
    settings.QINGLIAN_MAX_IMAGE_PIXELS = 1000
    refusal(upload(admin_client, gif([gif_frame(40, 40)], screen=(40, 40))))
    assert Image.MAX_IMAGE_PIXELS == 1000
    with pytest.raises(Image.DecompressionBombError):
        Image.open(io.BytesIO(gif([gif_frame(50, 50)], screen=(50, 50))))


def test_pixel_limit_counts_the_real_canvas_of_every_frame(admin_client, media_root, settings):
    """Frames within the pixel limit one by one, whose canvas together is over it, are
    refused: the canvas is what gets decoded."""
    settings.QINGLIAN_MAX_IMAGE_PIXELS = 800
    data = gif([gif_frame(30, 1), gif_frame(1, 30, left=29)], screen=(1, 1))
    message = refusal(upload(admin_client, data))
    assert message == "图片尺寸过大（30×30 像素），请缩小后再上传。"


def test_image_work_stops_at_its_deadline(admin_client, media_root, monkeypatch):
    """An animation still being decoded when the deadline passes is refused, not finished:
    a request never works on one image until gunicorn kills the worker."""
    monkeypatch.setattr(images, "WORK_SECONDS", -1)
    message = refusal(upload(admin_client, animation("GIF", 3)))
    assert message == "这张动图处理时间过长，请减少帧数或缩小尺寸后再上传。"
    assert stored(media_root) == []
