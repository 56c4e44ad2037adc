"""Colour profiles in uploads (issue 21, "Also"): whatever bytes an uploader hides in an
ICC profile never reach the stored file; a real profile's colours are kept.

The profile the site stores is always one it built itself (sRGB, by LittleCMS); a
profile that is not sRGB has its colours converted into it; one that is not a profile
at all is dropped.
"""

import io
import struct

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image, ImageCms

from articles.images import SRGB_ICC

pytestmark = pytest.mark.django_db

JUNK = b"<script>alert(document.cookie)</script>" * 8
SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def with_private_tag(profile, payload):
    """A valid ICC profile with one more tag, of a made-up type, carrying ``payload``."""
    count = struct.unpack_from(">I", profile, 128)[0]
    tags = [struct.unpack_from(">4sII", profile, 132 + 12 * i) for i in range(count)]
    data = profile[132 + 12 * count :]
    moved = [(sig, offset + 12, size) for sig, offset, size in tags]
    extra = b"zzzz\x00\x00\x00\x00" + payload
    moved.append((b"zzzz", 128 + 4 + 12 * (count + 1) + len(data), len(extra)))
    table = struct.pack(">I", count + 1) + b"".join(struct.pack(">4sII", *t) for t in moved)
    whole = profile[:128] + table + data + extra
    return struct.pack(">I", len(whole)) + whole[4:]


def image_with_profile(fmt, icc, size=(60, 40), color=(200, 30, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format=fmt, icc_profile=icc)
    return buffer.getvalue()


def upload_and_open(client, media_root, data, name):
    result = client.post(
        reverse("ckeditor_upload"), {"upload": SimpleUploadedFile(name, data)}
    ).json()
    assert result["uploaded"] == "1"
    path = media_root / result["url"].removeprefix("/media/")
    return path.read_bytes(), Image.open(path)


@pytest.mark.parametrize(("fmt", "name"), [("PNG", "a.png"), ("JPEG", "a.jpg"), ("WEBP", "a.webp")])
def test_junk_in_place_of_a_profile_is_dropped(admin_client, media_root, fmt, name):
    """Bytes that are no ICC profile at all, in the file's profile chunk, are not stored."""
    data = image_with_profile(fmt, JUNK)
    stored, image = upload_and_open(admin_client, media_root, data, name)
    assert JUNK[:40] not in stored
    assert not image.info.get("icc_profile")


@pytest.mark.parametrize(("fmt", "name"), [("PNG", "a.png"), ("JPEG", "a.jpg"), ("WEBP", "a.webp")])
def test_junk_inside_a_valid_profile_does_not_survive(admin_client, media_root, fmt, name):
    """A valid sRGB profile carrying a private tag full of junk is replaced by the
    site's own sRGB profile."""
    data = image_with_profile(fmt, with_private_tag(SRGB, JUNK))
    assert JUNK[:40] in Image.open(io.BytesIO(data)).info["icc_profile"]
    stored, image = upload_and_open(admin_client, media_root, data, name)
    assert JUNK[:40] not in stored
    assert image.info["icc_profile"] == SRGB_ICC
    assert b"zzzz" not in image.info["icc_profile"]


def test_another_profile_has_its_colours_converted_to_srgb(admin_client, media_root):
    """A profile that is not sRGB is used to convert the colours, then replaced by the
    site's sRGB profile: the picture looks the same, the foreign bytes are gone."""
    other = SRGB.replace("sRGB".encode("utf-16-be"), "xRGB".encode("utf-16-be"))
    assert "xRGB" in ImageCms.getProfileDescription(ImageCms.ImageCmsProfile(io.BytesIO(other)))
    data = image_with_profile("PNG", with_private_tag(other, JUNK), color=(200, 30, 30))
    stored, image = upload_and_open(admin_client, media_root, data, "a.png")
    assert image.info["icc_profile"] == SRGB_ICC
    assert JUNK[:40] not in stored
    red, green, blue = image.convert("RGB").getpixel((5, 5))
    assert abs(red - 200) <= 2 and abs(green - 30) <= 2 and abs(blue - 30) <= 2


def test_animation_keeps_only_the_sites_own_profile(admin_client, media_root):
    """An animated PNG with a junk-carrying sRGB profile is stored with the site's own."""
    frames = [Image.new("RGB", (20, 20), (i * 80, 0, 0)) for i in range(3)]
    buffer = io.BytesIO()
    frames[0].save(
        buffer,
        format="PNG",
        save_all=True,
        append_images=frames[1:],
        icc_profile=with_private_tag(SRGB, JUNK),
    )
    stored, image = upload_and_open(admin_client, media_root, buffer.getvalue(), "a.png")
    assert image.n_frames == 3
    assert image.info["icc_profile"] == SRGB_ICC
