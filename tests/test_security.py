"""Accounts, headers and uploads hold against an attacker: brute force, framing, injected
script, hostile images, and photos that would give away where they were taken."""

import importlib
import io
import json
import os
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from xml.etree import ElementTree

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.password_validation import validate_password
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import clear_url_caches, reverse
from django.utils import timezone
from PIL import ExifTags, Image, ImageChops, ImageSequence, ImageStat

from articles.models import Article, SiteSettings
from tests.conftest import image_bytes, make_article
from tests.test_admin import admin_form, article_form
from tests.test_xss import PAYLOADS, URL_PAYLOADS, audit, problems_in, publish_everywhere

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "Qinglian-2026-pass"


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Users are created with a cheap hasher; what is tested is the lock, not the hash."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_user("editor", password=PASSWORD, is_staff=True)


def try_login(client, username, password, ip="203.0.113.7", **extra):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR=ip,
        **extra,
    )


def fail_until_locked(client, username="editor", ip="203.0.113.7", limit=5):
    for attempt in range(limit):
        response = try_login(client, username, f"wrong-{attempt}", ip=ip)
        if attempt < limit - 1:
            assert response.status_code == 200, attempt
    return response


# --- Brute force --------------------------------------------------------------------


def test_correct_password_logs_in(client, editor):
    """A staff member with the right password reaches the admin."""
    response = try_login(client, "editor", PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("admin:index")


def test_five_failures_lock_the_account_even_for_the_right_password(client, editor):
    """After five wrong passwords the right one is refused with a Chinese lockout page."""
    locked = fail_until_locked(client)
    assert locked.status_code == 429
    response = try_login(client, "editor", PASSWORD)
    assert response.status_code == 429
    assert "登录失败次数过多" in response.text
    assert "30 分钟" in response.text
    assert response["Retry-After"] == "1800"
    assert "_auth_user_id" not in client.session


def test_lock_covers_the_account_from_another_address(client, editor):
    """A locked user name stays locked when the attacker moves to a new address."""
    fail_until_locked(client, ip="203.0.113.7")
    assert try_login(client, "editor", PASSWORD, ip="198.51.100.20").status_code == 429


def test_lock_covers_the_address_for_other_accounts(client, editor, django_user_model):
    """An address that failed five times cannot try another user name either."""
    django_user_model.objects.create_user("reviewer", password=PASSWORD, is_staff=True)
    fail_until_locked(client, username="editor", ip="203.0.113.7")
    assert try_login(client, "reviewer", PASSWORD, ip="203.0.113.7").status_code == 429
    assert try_login(client, "reviewer", PASSWORD, ip="198.51.100.20").status_code == 302


def test_failures_spread_over_user_names_lock_the_address(client, editor):
    """Guessing a different user name each time still locks the address."""
    for i in range(5):
        try_login(client, f"guess{i}", "wrong")
    assert try_login(client, "editor", PASSWORD).status_code == 429


def test_forged_forwarded_for_does_not_escape_the_lock(client, editor):
    """X-Forwarded-For from a client that is not the trusted proxy is ignored."""
    for i in range(5):
        try_login(client, f"guess{i}", "wrong", HTTP_X_FORWARDED_FOR=f"10.0.0.{i}")
    response = try_login(client, "editor", PASSWORD, HTTP_X_FORWARDED_FOR="10.9.9.9")
    assert response.status_code == 429


def test_behind_the_proxy_the_forwarded_address_is_locked(client, editor):
    """Behind nginx the client's address (right-most in X-Forwarded-For) is what is locked."""
    for i in range(5):
        try_login(client, f"guess{i}", "wrong", ip="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert AccessAttempt.objects.filter(ip_address="203.0.113.9").exists()
    other = try_login(
        client, "editor", PASSWORD, ip="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.1"
    )
    assert other.status_code == 302


def test_lock_ends_after_the_cool_off(client, editor):
    """Thirty minutes after the last failure the right password works again."""
    fail_until_locked(client)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=31))
    assert try_login(client, "editor", PASSWORD).status_code == 302


def test_administrator_sees_and_lifts_the_lock(client, admin_client, editor):
    """The lock is listed in the admin, and deleting it lets the editor in at once."""
    fail_until_locked(client)
    assert "登录保护" in admin_client.get(reverse("admin:index")).text
    page = admin_client.get(reverse("admin:axes_accessattempt_changelist"))
    assert page.status_code == 200
    assert "登录失败记录" in page.text and "已锁定" in page.text
    assert "editor" in page.text
    assert "203.0.113.7" in page.text
    AccessAttempt.objects.all().delete()
    assert try_login(client, "editor", PASSWORD).status_code == 302


def test_successful_login_clears_earlier_failures(client, editor):
    """Four typos then a good login start the count again."""
    for i in range(4):
        try_login(client, "editor", f"typo{i}")
    assert try_login(client, "editor", PASSWORD).status_code == 302
    client.logout()
    for i in range(4):
        try_login(client, "editor", f"typo{i}")
    assert try_login(client, "editor", PASSWORD).status_code == 302


def test_logins_from_code_are_not_counted(client, editor):
    """A login without a request (management commands, the test client) is not locked."""
    for _ in range(6):
        assert not client.login(username="editor", password="wrong")
    assert client.login(username="editor", password=PASSWORD)
    assert not AccessAttempt.objects.exists()


# --- Passwords and cookies ----------------------------------------------------------


@pytest.mark.parametrize(
    "weak",
    ["short-1A", "qinglian2026", "1234567890123", "password1234", "abcdefghijkl"],
)
def test_weak_passwords_are_refused(weak):
    """Short, common, numeric and single-kind passwords are refused."""
    with pytest.raises(ValidationError):
        validate_password(weak)


def test_strong_password_is_accepted():
    """A long password mixing letters, digits and symbols passes every validator."""
    validate_password("Guilin-清廉-2026!")


def test_password_rule_is_explained_in_chinese():
    """A password of too few kinds of characters is refused with a Chinese explanation."""
    with pytest.raises(ValidationError) as refused:
        validate_password("qinglianwangzhan")
    assert any("至少 3 种" in message for message in refused.value.messages)


def test_session_cookie_is_http_only(client, editor):
    """The login cookie cannot be read by script and is not sent by cross-site posts."""
    response = try_login(client, "editor", PASSWORD)
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"


PRODUCTION_PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
# The login page needs no database tables, which this probe does not have.
response = Client().get("/admin/login/", secure=True, HTTP_HOST="example.org")
print(json.dumps({
    "session_secure": settings.SESSION_COOKIE_SECURE,
    "session_httponly": settings.SESSION_COOKIE_HTTPONLY,
    "csrf_secure": settings.CSRF_COOKIE_SECURE,
    "hsts": response.get("Strict-Transport-Security"),
    "csp": response.get("Content-Security-Policy"),
    "redirect": Client().get("/admin/login/", HTTP_HOST="example.org").status_code,
}))
"""


def production_settings(**env):
    """Settings and headers as a production process (DEBUG off) has them."""
    environment = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "test-" + "k" * 50,
        "ALLOWED_HOSTS": "example.org",
        "DATABASE_URL": "sqlite:///:memory:",
        "DJANGO_SETTINGS_MODULE": "qinglian.settings.prod",
        **env,
    }
    environment.pop("REDIS_URL", None)
    result = subprocess.run(
        [sys.executable, "-c", PRODUCTION_PROBE],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_cookies_are_secure_and_https_is_enforced():
    """With DEBUG off cookies are Secure and HttpOnly, HTTP redirects and HSTS is sent."""
    found = production_settings()
    assert found["session_secure"] and found["session_httponly"] and found["csrf_secure"]
    assert found["hsts"] == "max-age=31536000; includeSubDomains; preload"
    assert found["redirect"] == 301
    assert "upgrade-insecure-requests" in found["csp"]


def test_media_domain_is_allowed_for_images_only():
    """Images on an S3 custom domain are allowed by the CSP; scripts from it are not."""
    csp = production_settings(S3_CUSTOM_DOMAIN="media.example.org")["csp"]
    directives = {p.split()[0]: p.split()[1:] for p in csp.split(";") if p.strip()}
    assert "https://media.example.org" in directives["img-src"]
    assert directives["script-src"] == ["'self'"]


# --- The admin's address ------------------------------------------------------------


@pytest.fixture
def moved_admin(settings):
    """The site as configured with ADMIN_URL=guanli-7f3a/."""
    import qinglian.urls

    settings.ADMIN_URL = "guanli-7f3a/"
    importlib.reload(qinglian.urls)
    clear_url_caches()
    yield "/guanli-7f3a/"
    settings.ADMIN_URL = "admin/"
    importlib.reload(qinglian.urls)
    clear_url_caches()


def test_admin_moves_with_the_setting(admin_client, moved_admin, channel):
    """With ADMIN_URL set, the admin and the editor's upload live there and /admin/ is gone."""
    assert reverse("admin:index") == moved_admin
    assert reverse("ckeditor_upload").startswith(moved_admin)
    assert reverse("ckeditor_browse").startswith(moved_admin)
    assert admin_client.get(moved_admin).status_code == 200
    anonymous = Client()
    assert anonymous.get("/admin/").status_code == 404
    login = anonymous.get(moved_admin)
    assert login.status_code == 302
    assert login.url.startswith(moved_admin + "login/")


def test_moved_admin_is_never_page_cached(client, moved_admin):
    """The page cache skips the admin at its configured address."""
    for _ in range(2):
        response = client.get(moved_admin + "login/")
        assert response.status_code == 200
        assert "X-Page-Cache" not in response


# --- Headers ------------------------------------------------------------------------


def policy(response, header="Content-Security-Policy"):
    """The CSP of ``response`` as {directive: [sources]}."""
    parts = [p.strip().split() for p in response[header].split(";") if p.strip()]
    return {p[0]: p[1:] for p in parts}


@pytest.fixture
def public_urls(channel):
    article = make_article("七星区：跟进监督", channel=channel)
    return [
        "/",
        channel.get_absolute_url(),
        article.get_absolute_url(),
        reverse("articles:search") + "?q=监督",
        "/zh-hant" + article.get_absolute_url(),
        "/article/999999/",
    ]


def test_public_pages_carry_a_strict_policy(client, public_urls):
    """Every public page, cached or not, allows only the site's own scripts and styles."""
    for url in public_urls:
        for _ in range(2):  # the second request is a page-cache hit
            response = client.get(url)
            csp = policy(response)
            assert csp["default-src"] == ["'self'"], url
            assert csp["script-src"] == ["'self'"], url
            assert csp["style-src"] == ["'self'"], url
            assert csp["object-src"] == ["'none'"]
            assert csp["frame-ancestors"] == ["'none'"]
            assert csp["base-uri"] == ["'self'"]
            assert csp["form-action"] == ["'self'"]
            assert "'unsafe-eval'" not in response["Content-Security-Policy"]
            assert "nonce-" not in response["Content-Security-Policy"]
            assert response["X-Content-Type-Options"] == "nosniff"
            assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
            assert response["X-Frame-Options"] == "DENY"


def test_public_policy_is_built_once_and_follows_the_settings(client, public_urls, settings):
    """The public header, built once and kept, still follows a change of the setting."""
    before = [client.get(f"{url}?n=1")["Content-Security-Policy"] for url in public_urls]
    assert len(set(before)) == 1
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    settings.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {**directives, "img-src": ["'self'", "https://img.example.org"]}
    }
    caches["pages"].clear()  # (the query string no longer makes another page)
    for url in public_urls:
        assert policy(client.get(f"{url}?n=2"))["img-src"] == ["'self'", "https://img.example.org"]


def test_public_pages_have_no_inline_script(client, public_urls):
    """The public templates run under the policy: no inline script, style element or handler."""
    for url in public_urls:
        for tag, attrs, _ in audit(client.get(url).text).tags:
            attrs = dict(attrs)
            assert not (tag == "script" and not attrs.get("src")), url
            assert tag != "style", url
            assert not [name for name in attrs if name.startswith("on")], (url, tag)


def test_admin_policy_is_separate_and_still_forbids_inline_script(admin_client):
    """Admin pages allow the admin's inline styles but no inline or foreign script."""
    response = admin_client.get(reverse("admin:articles_channel_add"))
    csp = policy(response)
    assert csp["script-src"] == ["'self'"]
    assert "'unsafe-inline'" in csp["style-src"]
    assert csp["frame-ancestors"] == ["'none'"]


def test_editor_page_gets_what_ckeditor_needs(admin_client, channel):
    """The article form, which carries CKEditor, may run the editor's inline dialog code."""
    response = admin_client.get(reverse("admin:articles_article_add"))
    assert 'class="django-ckeditor-widget"' in response.text
    csp = policy(response)
    assert csp["script-src"] == ["'self'", "'unsafe-inline'"]
    assert "'unsafe-eval'" not in csp["script-src"]
    assert csp["object-src"] == ["'none'"]


def test_upload_answer_may_run_only_its_own_callback(admin_client):
    """The image dialog's upload answer allows exactly its callback script, framed by us."""
    response = admin_client.post(
        reverse("ckeditor_upload") + "?CKEditorFuncNum=3",
        {"upload": SimpleUploadedFile("a.png", image_bytes("PNG"))},
    )
    csp = policy(response)
    assert csp["frame-ancestors"] == ["'self'"]
    assert len(csp["script-src"]) == 2
    assert csp["script-src"][0] == "'self'"
    assert csp["script-src"][1].startswith("'sha256-")


def test_image_browser_allows_only_its_own_scripts(admin_client):
    """ckeditor_uploader's image browser works under the CSP through script hashes."""
    response = admin_client.get(reverse("ckeditor_browse"))
    csp = policy(response)
    assert "'unsafe-inline'" not in csp["script-src"]
    assert any(source.startswith("'sha256-") for source in csp["script-src"])


# --- Uploads: what the checker throws at the editor ---------------------------------


def upload(client, data, name="photo.jpg", query=""):
    return client.post(
        reverse("ckeditor_upload") + query, {"upload": SimpleUploadedFile(name, data)}
    )


def stored(media_root):
    return sorted(p for p in media_root.rglob("*") if p.is_file()) if media_root.exists() else []


HOSTILE_UPLOADS = [
    ("bomb.png", "decompression bomb"),
    ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
    ("page.png", b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script>"),
    ("page.jpg", b"\xff\xd8\xff\xe0<html><script>alert(1)</script></html>"),
]


def bomb():
    buffer = io.BytesIO()
    Image.new("1", (12000, 12000)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.parametrize(("name", "data"), HOSTILE_UPLOADS)
@pytest.mark.parametrize("query", ["", "?CKEditorFuncNum=2"])
def test_hostile_upload_is_refused_clearly_and_leaves_nothing(
    admin_client, media_root, name, data, query
):
    """A decompression bomb, an SVG with script and HTML named .png are refused, unstored."""
    data = bomb() if data == "decompression bomb" else data
    response = upload(admin_client, data, name, query)
    assert response.status_code == 200
    if query:  # the image dialog's callback: (number, no URL, message)
        found = re.search(r"callFunction\((\d+), '', (\".*\")\);", response.content.decode())
        assert found.group(1) == "2"
        message = json.loads(found.group(2))
    else:
        assert response.json()["uploaded"] == 0
        message = response.json()["error"]["message"]
    assert message.startswith(("图片尺寸过大", "只能上传 JPEG、PNG、GIF 或 WebP 格式的图片"))
    assert stored(media_root) == []


def bomb_of(side):
    buffer = io.BytesIO()
    Image.new("1", (side, side)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_decompression_bomb_as_cover_is_refused(admin_client, media_root, channel):
    """A bomb sent as a cover image gets the size message on the field, nothing stored."""
    data = article_form(admin_client, channel, title="封面炸弹", cover_alt="图")
    data["cover"] = SimpleUploadedFile("cover.png", bomb_of(8000))
    # Between the limit and twice it, Pillow opens the file and only warns.
    with pytest.warns(Image.DecompressionBombWarning):
        response = admin_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["cover"] == [
        "图片尺寸过大（8000×8000 像素），请缩小后再上传。"
    ]
    assert stored(media_root) == []


def test_bomb_past_twice_the_limit_is_refused_by_pillow_itself(admin_client, media_root, channel):
    """Past twice the site's limit Pillow refuses to open the file at all, so Django's
    image field refuses the cover before the site's own check can name its size."""
    data = article_form(admin_client, channel, title="封面炸弹", cover_alt="图")
    data["cover"] = SimpleUploadedFile("cover.png", bomb())
    response = admin_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["cover"]
    assert not Article.objects.exists()
    assert stored(media_root) == []


def test_animation_with_too_many_frames_is_refused(admin_client, media_root, settings):
    """An animated GIF whose frames together exceed the pixel budget is refused."""
    settings.QINGLIAN_MAX_IMAGE_PIXELS = 1000
    buffer = io.BytesIO()
    frames = [Image.new("RGB", (20, 20), (i * 60, 0, 0)) for i in range(4)]
    frames[0].save(buffer, format="GIF", save_all=True, append_images=frames[1:])
    response = upload(admin_client, buffer.getvalue(), "anim.gif")
    assert "动图帧数过多" in response.json()["error"]["message"]
    assert stored(media_root) == []


# --- EXIF -----------------------------------------------------------------------------


def photo_with_gps(fmt="JPEG", orientation=1, size=(60, 40)):
    """A photo as a phone takes it: camera make, GPS position, maybe an orientation."""
    image = Image.new("RGB", size, (30, 120, 200))
    image.paste((250, 250, 0), (0, 0, 10, 10))  # a mark in the top-left corner
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Orientation] = orientation
    exif.get_ifd(ExifTags.IFD.GPSInfo).update(
        {
            ExifTags.GPS.GPSLatitudeRef: "N",
            ExifTags.GPS.GPSLatitude: (25.0, 16.0, 48.0),
            ExifTags.GPS.GPSLongitudeRef: "E",
            ExifTags.GPS.GPSLongitude: (110.0, 17.0, 24.0),
        }
    )
    buffer = io.BytesIO()
    image.save(
        buffer,
        format=fmt,
        exif=exif.tobytes(),
        xmp=b"<x:xmpmeta>GPS 25.28N</x:xmpmeta>",
        comment=b"taken at 25.28N 110.29E",  # a JPEG comment; other formats ignore it
    )
    return buffer.getvalue()


def assert_no_metadata(path):
    data = path.read_bytes()
    with Image.open(path) as image:
        assert not image.getexif(), path
        assert not image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        assert "xmp" not in image.info and "exif" not in image.info
    assert b"PhoneMaker" not in data and b"25.28N" not in data  # EXIF, XMP, comment


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_editor_upload_is_stored_without_exif_or_gps(admin_client, media_root, fmt):
    """A photo uploaded from the editor is stored with no EXIF, GPS or XMP, thumbnail too."""
    result = upload(admin_client, photo_with_gps(fmt), f"photo.{fmt.lower()}").json()
    assert result["uploaded"] == "1"
    files = stored(media_root)
    assert len(files) == 2  # the image and its thumbnail
    for path in files:
        assert_no_metadata(path)


def test_orientation_is_applied_before_exif_is_dropped(admin_client, media_root):
    """A portrait photo stored sideways with an orientation tag comes out upright."""
    result = upload(admin_client, photo_with_gps(orientation=6, size=(60, 40))).json()
    path = media_root / result["url"].removeprefix("/media/")
    with Image.open(path) as image:
        assert image.size == (40, 60)
        # Orientation 6 means "turn 90° clockwise": the top-left mark ends top-right.
        assert image.getpixel((35, 3))[0] > 200
        assert image.getpixel((3, 3))[2] > 150
    assert_no_metadata(path)


def test_cover_image_is_stored_without_gps(admin_client, media_root, channel):
    """A cover photo with a GPS position is stored without it."""
    data = article_form(admin_client, channel, title="带定位的封面", cover_alt="现场")
    data["cover"] = SimpleUploadedFile("IMG_0001.JPG", photo_with_gps())
    assert admin_client.post(reverse("admin:articles_article_add"), data).status_code == 302
    article = Article.objects.get(title="带定位的封面")
    path = media_root / article.cover.name
    assert_no_metadata(path)
    with Image.open(path) as image:
        assert image.format == "JPEG" and image.size == (60, 40)


def test_qr_code_is_stored_without_exif(admin_client, media_root):
    """The WeChat QR code in the site settings is stored without EXIF."""
    SiteSettings.load()
    url = reverse("admin:articles_sitesettings_change", args=[1])
    data = admin_form(admin_client, url)
    data["wechat_qr"] = SimpleUploadedFile("qr.png", photo_with_gps("PNG"))
    assert admin_client.post(url, data).status_code == 302
    assert_no_metadata(media_root / SiteSettings.load().wechat_qr.name)


def test_animated_gif_keeps_its_frames_and_timing(admin_client, media_root):
    """An animated GIF is rewritten with every frame, its durations and loop, no comment."""
    buffer = io.BytesIO()
    frames = [Image.new("RGB", (30, 20), (i * 80, 40, 200 - i * 60)) for i in range(3)]
    frames[0].save(
        buffer,
        format="GIF",
        save_all=True,
        append_images=frames[1:],
        duration=[100, 200, 300],
        loop=0,
        comment=b"taken at 25.28N 110.29E",
    )
    result = upload(admin_client, buffer.getvalue(), "anim.gif").json()
    path = media_root / result["url"].removeprefix("/media/")
    with Image.open(path) as image:
        assert image.n_frames == 3
        assert image.info.get("loop") == 0
        assert [frame.info["duration"] for frame in ImageSequence.Iterator(image)] == [
            100,
            200,
            300,
        ]
    assert b"25.28N" not in path.read_bytes()


def test_clean_jpeg_is_not_degraded(admin_client, media_root):
    """An upright JPEG is rewritten with its own quantization: it loses nothing visible."""
    buffer = io.BytesIO()
    Image.effect_noise((300, 200), 40).convert("RGB").save(buffer, format="JPEG", quality=85)
    original = buffer.getvalue()
    result = upload(admin_client, original).json()
    path = media_root / result["url"].removeprefix("/media/")
    with Image.open(io.BytesIO(original)) as before, Image.open(path) as after:
        assert before.quantization == after.quantization
        difference = ImageChops.difference(before.convert("RGB"), after.convert("RGB"))
        assert max(ImageStat.Stat(difference).mean) < 0.5


# --- Hostile input in feeds and search results --------------------------------------


def feed_problems(xml):
    """Script in a feed: it must parse as XML, and descriptions (HTML, as readers treat
    them) must hold nothing executable once the XML escaping is undone."""
    root = ElementTree.fromstring(xml)
    found = []
    for element in root.iter():
        name = element.tag.rsplit("}", 1)[-1]
        if name in ("description", "encoded", "summary", "content"):
            found += [f"<{name}>: {problem}" for problem in problems_in(element.text or "")]
    return found


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_is_harmless_in_feeds_and_search_results(admin_client, payload):
    """A payload in every field is inert in both feeds, search results and the echoed query."""
    url_payload = URL_PAYLOADS[PAYLOADS.index(payload) % len(URL_PAYLOADS)]
    pages = publish_everywhere(admin_client, payload, url_payload)
    reader = Client()
    search = reverse("articles:search")
    feeds = [reverse("articles:feed"), pages[1] + "feed/", pages[2] + "feed/"]
    for url in feeds + ["/zh-hant" + url for url in feeds]:
        response = reader.get(url)
        assert response.status_code == 200, url
        assert feed_problems(response.content) == [], url
        assert b"<script" not in response.content.lower()
    for query in ("正文", payload, "正文 " + payload):
        for prefix in ("", "/zh-hant"):
            response = reader.get(prefix + search, {"q": query})
            assert response.status_code == 200
            assert problems_in(response.text) == [], (prefix, query)
    # The articles were found: the test looked at real results, not an empty page.
    assert 'class="search-result"' in reader.get(search, {"q": "正文"}).text
