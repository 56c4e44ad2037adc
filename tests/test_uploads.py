"""Image uploads: the editor's upload URL, the file browser and the cover image field."""

import io
import json
import re
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from PIL import Image

from articles.models import Article
from tests.conftest import image_bytes, place
from tests.test_admin import admin_form, article_form, make_staff

pytestmark = pytest.mark.django_db

NOT_AN_IMAGE = "只能上传 JPEG、PNG、GIF 或 WebP 格式的图片，所选文件不是有效的图片。"
GENERATED_NAME = re.compile(r"^[0-9a-f]{32}\.(png|jpg|gif|webp)$")


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Users are created with a cheap hasher; no test here is about passwords."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def stored_files(media_root, folder=""):
    """Every file under MEDIA_ROOT (or one folder of it), as paths relative to it."""
    base = media_root / folder
    if not base.exists():
        return []
    return sorted(p.relative_to(media_root).as_posix() for p in base.rglob("*") if p.is_file())


def upload(client, data, name="photo.png", content_type="image/png", query=""):
    url = reverse("ckeditor_upload") + query
    return client.post(url, {"upload": SimpleUploadedFile(name, data, content_type=content_type)})


def assert_refused(response, media_root, message=NOT_AN_IMAGE):
    """The upload answered with CKEditor's JSON error and nothing was stored."""
    assert response.status_code == 200
    assert response.json() == {"uploaded": 0, "error": {"message": message}}
    assert stored_files(media_root) == []


def png_with_declared_size(width, height):
    """A tiny, valid 1x1 PNG whose header claims ``width`` x ``height`` pixels."""
    png = image_bytes("PNG", size=(1, 1))
    ihdr = png.index(b"IHDR")
    fields = struct.pack(">II", width, height) + png[ihdr + 12 : ihdr + 17]
    crc = struct.pack(">I", zlib.crc32(b"IHDR" + fields))
    return png[:ihdr] + b"IHDR" + fields + crc + png[ihdr + 21 :]


def noisy_image_bytes(fmt, size=(300, 200)):
    """An image whose data does not compress away, so that cutting it loses pixels."""
    image = Image.frombytes(
        "RGB", size, bytes((i * 7919) % 251 for i in range(size[0] * size[1] * 3))
    )
    buffer = io.BytesIO()
    image.save(buffer, format=fmt)
    return buffer.getvalue()


# --- The editor's upload URL --------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "ext", "content_type"),
    [
        ("PNG", "png", "image/png"),
        ("JPEG", "jpg", "image/jpeg"),
        ("GIF", "gif", "image/gif"),
        ("WEBP", "webp", "image/webp"),
    ],
)
def test_real_image_is_accepted(admin_client, media_root, fmt, ext, content_type):
    """A real image is stored under uploads/ with a generated name and a thumbnail."""
    response = upload(
        admin_client, image_bytes(fmt, size=(400, 300)), "会议 现场.jpg", content_type
    )
    assert response.status_code == 200
    result = response.json()
    assert result["uploaded"] == "1"
    assert GENERATED_NAME.match(result["fileName"])
    assert result["fileName"].endswith("." + ext)
    assert result["url"].startswith("/media/uploads/")
    assert result["url"].endswith("/" + result["fileName"])

    stored = media_root / result["url"].removeprefix("/media/")
    assert stored.is_file()
    with Image.open(stored) as image:
        assert image.format == fmt
        assert image.size == (400, 300)

    thumb = stored.with_name(stored.stem + "_thumb" + stored.suffix)
    assert thumb.is_file()
    with Image.open(thumb) as image:
        assert max(image.size) <= 75
    assert len(stored_files(media_root, "uploads")) == 2
    assert all("会议" not in path for path in stored_files(media_root))


def test_extension_follows_real_format_not_client_name(admin_client, media_root):
    """A PNG sent with a .html name is stored as .png."""
    response = upload(admin_client, image_bytes("PNG"), "evil.html", "text/html")
    assert response.json()["uploaded"] == "1"
    assert response.json()["fileName"].endswith(".png")
    assert not any(path.endswith(".html") for path in stored_files(media_root))


def test_two_uploads_with_same_name_do_not_overwrite(admin_client, media_root):
    """Each upload gets its own file, even when the client sends the same name twice."""
    first = upload(admin_client, image_bytes("PNG", color=(1, 2, 3))).json()
    second = upload(admin_client, image_bytes("PNG", color=(4, 5, 6))).json()
    assert first["url"] != second["url"]
    assert len(stored_files(media_root, "uploads")) == 4


@pytest.mark.parametrize(
    ("data", "name", "content_type"),
    [
        (b"<html><script>alert(1)</script></html>", "photo.png", "image/png"),
        (b"just some text\n" * 20, "photo.jpg", "image/jpeg"),
        (b"GIF89a<script>alert(1)</script>", "photo.gif", "image/gif"),
        (b"", "empty.png", "image/png"),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "logo.svg",
            "image/svg+xml",
        ),
        (
            b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
            b'<rect width="10" height="10"/></svg>',
            "logo.png",
            "image/png",
        ),
    ],
)
def test_non_image_is_refused(admin_client, media_root, data, name, content_type):
    """Anything Pillow cannot decode as a web image is refused in Chinese and not stored."""
    assert_refused(upload(admin_client, data, name, content_type), media_root)


@pytest.mark.parametrize("fmt", ["BMP", "TIFF", "ICO"])
def test_other_image_formats_are_refused(admin_client, media_root, fmt):
    """Images in formats other than JPEG, PNG, GIF and WebP are refused."""
    response = upload(admin_client, image_bytes(fmt, size=(32, 32)), f"photo.{fmt.lower()}")
    assert_refused(response, media_root)


def test_oversized_file_is_refused(admin_client, media_root, settings):
    """A file over the byte limit is refused with a message giving its size and the limit."""
    settings.QINGLIAN_MAX_UPLOAD_BYTES = 200
    data = noisy_image_bytes("PNG", size=(40, 30))
    assert len(data) > 200
    response = upload(admin_client, data)
    message = response.json()["error"]["message"]
    assert "过大" in message
    assert filesizeformat(len(data)) in message
    assert filesizeformat(200) in message
    assert_refused(response, media_root, message)


def test_file_at_byte_limit_is_accepted(admin_client, media_root, settings):
    """A file exactly at the byte limit is still accepted."""
    data = image_bytes("PNG")
    settings.QINGLIAN_MAX_UPLOAD_BYTES = len(data)
    assert upload(admin_client, data).json()["uploaded"] == "1"


def test_decompression_bomb_over_default_limit_is_refused(admin_client, media_root):
    """A small PNG that decodes to 64 million pixels is refused before it is decoded."""
    buffer = io.BytesIO()
    Image.new("1", (8000, 8000)).save(buffer, format="PNG")
    data = buffer.getvalue()
    assert len(data) < 100_000
    response = upload(admin_client, data)
    assert_refused(response, media_root, "图片尺寸过大（8000×8000 像素），请缩小后再上传。")


def test_image_over_configured_pixel_limit_is_refused(admin_client, media_root, settings):
    """The pixel limit comes from settings.QINGLIAN_MAX_IMAGE_PIXELS."""
    settings.QINGLIAN_MAX_IMAGE_PIXELS = 1000
    response = upload(admin_client, image_bytes("PNG", size=(40, 30)))
    assert_refused(response, media_root, "图片尺寸过大（40×30 像素），请缩小后再上传。")


@pytest.mark.parametrize(("width", "height"), [(20000, 20000), (100_000, 100_000)])
def test_png_header_claiming_huge_size_is_refused(admin_client, media_root, width, height):
    """A PNG whose header claims enormous dimensions is refused and nothing is stored."""
    response = upload(admin_client, png_with_declared_size(width, height))
    assert response.json()["uploaded"] == 0
    assert stored_files(media_root) == []


@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_truncated_image_is_refused(admin_client, media_root, fmt):
    """An image cut off in the middle of its data is refused."""
    data = noisy_image_bytes(fmt)
    assert_refused(upload(admin_client, data[: len(data) // 2]), media_root)


def callback_arguments(response):
    """The arguments of CKEditor's callFunction(...) in an iframe upload answer."""
    match = re.fullmatch(
        r"<script>window\.parent\.CKEDITOR\.tools\.callFunction\((\d+), '', (\".*\")\);</script>",
        response.content.decode().strip(),
    )
    assert match, response.content
    return int(match.group(1)), json.loads(match.group(2))


def test_refusal_with_func_num_is_callback_script(admin_client, media_root):
    """With CKEditorFuncNum the refusal is the dialog's callback carrying the message."""
    response = upload(admin_client, b"not an image", query="?CKEditorFuncNum=1")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert callback_arguments(response) == (1, NOT_AN_IMAGE)
    assert stored_files(media_root) == []


def test_func_num_that_is_not_a_number_gives_json(admin_client, media_root):
    """A CKEditorFuncNum that is not a number is never written into a script."""
    response = upload(
        admin_client, b"not an image", query="?CKEditorFuncNum=1);alert(document.cookie);//"
    )
    assert b"alert(document.cookie)" not in response.content
    assert_refused(response, media_root)


def test_upload_answer_may_be_framed_by_the_editor(admin_client):
    """The answer loads into the image dialog's iframe, so it is framable by the same origin."""
    response = upload(admin_client, b"not an image", query="?CKEditorFuncNum=1")
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    response = upload(admin_client, image_bytes("PNG"), query="?CKEditorFuncNum=1")
    assert response["X-Frame-Options"] == "SAMEORIGIN"


def test_func_num_is_never_written_into_success_script(admin_client, media_root):
    """A CKEditorFuncNum that is not a number is not echoed into the success callback."""
    response = upload(
        admin_client, image_bytes("PNG"), query="?CKEditorFuncNum=1);alert(document.cookie);//"
    )
    assert b"alert(document.cookie)" not in response.content


def test_success_with_func_num_is_callback_with_url(admin_client, media_root):
    """With CKEditorFuncNum a successful upload calls back with the stored image's URL."""
    response = upload(admin_client, image_bytes("PNG"), query="?CKEditorFuncNum=3")
    assert response.status_code == 200
    match = re.search(r"callFunction\(3, '(/media/uploads/[^']+)'\)", response.content.decode())
    assert match
    assert (media_root / match.group(1).removeprefix("/media/")).is_file()


def test_missing_file_is_refused(admin_client, media_root):
    """A POST without a file gets a Chinese message."""
    response = admin_client.post(reverse("ckeditor_upload"), {})
    assert response.json() == {
        "uploaded": 0,
        "error": {"message": "没有收到文件，请重新选择图片。"},
    }


def test_upload_needs_post(admin_client):
    """The upload URL answers GET with 405."""
    assert admin_client.get(reverse("ckeditor_upload")).status_code == 405


def test_anonymous_cannot_upload(client, media_root):
    """A visitor who is not logged in is sent to the login page and nothing is stored."""
    response = upload(client, image_bytes("PNG"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
    assert stored_files(media_root) == []


def test_non_staff_user_cannot_upload(client, media_root, django_user_model):
    """A logged-in user who is not staff is sent to the login page and nothing is stored."""
    user = django_user_model.objects.create_user("reader", password="pw-Unused-9")
    client.force_login(user)
    response = upload(client, image_bytes("PNG"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
    assert stored_files(media_root) == []


def test_staff_without_permissions_can_upload(client, media_root, django_user_model):
    """Any staff member, not only superusers, may upload images from the editor."""
    client.force_login(make_staff(django_user_model, "editor", "add_article"))
    assert upload(client, image_bytes("PNG")).json()["uploaded"] == "1"


# --- The editor's image browser -----------------------------------------------------


def test_browse_lists_uploaded_images_for_staff(admin_client, media_root):
    """The image browser shows staff the uploaded images, without their thumbnails as items."""
    url = upload(admin_client, image_bytes("PNG")).json()["url"]
    response = admin_client.get(reverse("ckeditor_browse"))
    assert response.status_code == 200
    files = response.context["files"]
    assert [f["src"] for f in files] == [url]
    assert files[0]["thumb"] == url.replace(".png", "_thumb.png")
    assert f'href="{url}"' in response.text


def test_browse_needs_staff(client, django_user_model):
    """The image browser sends anonymous and non-staff users to the login page."""
    response = client.get(reverse("ckeditor_browse"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
    client.force_login(django_user_model.objects.create_user("reader", password="pw-Unused-9"))
    response = client.get(reverse("ckeditor_browse"))
    assert response.status_code == 302


# --- The cover image on the article form --------------------------------------------


def post_article(client, channel, cover, **fields):
    data = article_form(client, channel, title="带封面的文章", **fields)
    data["cover"] = cover
    return client.post(reverse("admin:articles_article_add"), data)


def test_cover_image_is_stored_with_generated_name(admin_client, media_root, channel):
    """A valid cover is stored under covers/ with a generated name and shown on the page."""
    cover = SimpleUploadedFile("我的封面.png", image_bytes("PNG"), content_type="image/png")
    response = post_article(admin_client, channel, cover, cover_alt="会议现场")
    assert response.status_code == 302
    article = Article.objects.get(title="带封面的文章")
    place(article)  # among the home page's headlines
    assert re.fullmatch(r"covers/\d{4}/\d{2}/[0-9a-f]{32}\.png", article.cover.name)
    assert (media_root / article.cover.name).is_file()
    assert stored_files(media_root) == [article.cover.name]

    home = admin_client.get("/")
    assert f'class="lead__cover" src="{article.cover.url}" alt="会议现场"' in home.text


def test_cover_extension_follows_real_format(admin_client, media_root, channel):
    """A cover's stored extension is that of its real format, not the client's file name."""
    cover = SimpleUploadedFile("cover.gif", image_bytes("PNG"), content_type="image/gif")
    response = post_article(admin_client, channel, cover, cover_alt="图")
    assert response.status_code == 302
    assert Article.objects.get(title="带封面的文章").cover.name.endswith(".png")


@pytest.mark.parametrize(
    "data",
    [
        b"<html><script>alert(1)</script></html>",
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
    ],
)
def test_cover_that_is_not_an_image_is_refused(admin_client, media_root, channel, data):
    """A non-image cover gets a form error, and neither article nor file is saved."""
    cover = SimpleUploadedFile("cover.png", data, content_type="image/png")
    response = post_article(admin_client, channel, cover, cover_alt="图")
    assert response.status_code == 200
    assert "cover" in response.context["adminform"].form.errors
    assert not Article.objects.exists()
    assert stored_files(media_root) == []


def test_oversized_cover_is_refused(admin_client, media_root, channel, settings):
    """A cover over the byte limit gets the size message on the cover field."""
    settings.QINGLIAN_MAX_UPLOAD_BYTES = 200
    data = noisy_image_bytes("PNG", size=(40, 30))
    cover = SimpleUploadedFile("cover.png", data, content_type="image/png")
    response = post_article(admin_client, channel, cover, cover_alt="图")
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["cover"]
    assert any("过大" in error for error in errors)
    assert not Article.objects.exists()
    assert stored_files(media_root) == []


def test_cover_over_pixel_limit_is_refused(admin_client, media_root, channel, settings):
    """A cover with more pixels than allowed gets the dimensions message on the cover field."""
    settings.QINGLIAN_MAX_IMAGE_PIXELS = 1000
    cover = SimpleUploadedFile("cover.png", image_bytes("PNG", size=(40, 30)))
    # Between the limit and twice it, Pillow opens the file and only warns.
    with pytest.warns(Image.DecompressionBombWarning):
        response = post_article(admin_client, channel, cover, cover_alt="图")
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["cover"] == [
        "图片尺寸过大（40×30 像素），请缩小后再上传。"
    ]
    assert not Article.objects.exists()


def test_cover_without_alt_text_is_refused(admin_client, media_root, channel):
    """A cover without cover_alt gets the error on cover_alt and nothing is saved."""
    cover = SimpleUploadedFile("cover.png", image_bytes("PNG"), content_type="image/png")
    response = post_article(admin_client, channel, cover, cover_alt="  ")
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["cover_alt"] == ["上传封面图片时请填写图片说明。"]
    assert "cover" not in errors
    assert not Article.objects.exists()
    assert stored_files(media_root) == []


def test_wechat_qr_upload_refuses_non_image(admin_client, media_root):
    """The site settings QR code field refuses a file that is not an image."""
    url = reverse("admin:articles_sitesettings_change", args=[1])
    admin_client.get(reverse("admin:articles_sitesettings_changelist"))
    qr = SimpleUploadedFile("qr.png", b"<script>alert(1)</script>", content_type="image/png")
    response = admin_client.post(url, admin_form(admin_client, url, wechat_qr=qr))
    assert response.status_code == 200
    assert "wechat_qr" in response.context["adminform"].form.errors
    assert stored_files(media_root) == []
