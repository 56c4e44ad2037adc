"""Who may upload images from the editor and browse them, and only from the site itself.

Issue 21 #12 / issue 15 #1: the upload URL was csrf_exempt and open to any staff
member. Now it needs Django's CSRF token (CKEditor sends it as X-CSRFToken from drag
and paste, and as csrfmiddlewaretoken from the image dialog's form) and the right to
add or change articles; so does the image browser.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.conftest import image_bytes
from tests.roles import EDITOR, REVIEWER, make_user
from tests.test_admin import make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def stored(media_root):
    return sorted(p for p in media_root.rglob("*") if p.is_file()) if media_root.exists() else []


def browser_of(user):
    """A client that, like a browser, is held to Django's CSRF checks, with the token
    cookie set by having opened the article form."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get(reverse("admin:articles_article_add"))
    return client


def token(client):
    return client.cookies["csrftoken"].value


def photo():
    return SimpleUploadedFile("photo.png", image_bytes("PNG"), content_type="image/png")


def test_upload_without_csrf_token_is_refused(admin_user, media_root):
    """A POST carrying the session but no token (what another site can make a logged-in
    editor's browser send) stores nothing."""
    client = browser_of(admin_user)
    response = client.post(reverse("ckeditor_upload"), {"upload": photo()})
    assert response.status_code == 403
    assert stored(media_root) == []


def test_cross_origin_upload_is_refused_even_with_a_token(admin_user, media_root, settings):
    """Over HTTPS a POST from another origin is refused, whatever it carries."""
    client = browser_of(admin_user)
    response = client.post(
        reverse("ckeditor_upload"),
        {"upload": photo()},
        HTTP_X_CSRFTOKEN=token(client),
        HTTP_ORIGIN="https://evil.example",
        secure=True,
    )
    assert response.status_code == 403
    assert stored(media_root) == []


def test_drag_and_paste_upload_with_token_header_is_stored(admin_user, media_root):
    """CKEditor's drag and paste upload (fileTools: JSON answer, X-CSRFToken header)."""
    client = browser_of(admin_user)
    response = client.post(
        reverse("ckeditor_upload") + "?responseType=json",
        {"upload": photo()},
        HTTP_X_CSRFTOKEN=token(client),
    )
    assert response.status_code == 200
    assert response.json()["uploaded"] == "1"
    assert len(stored(media_root)) == 2  # the image and its thumbnail


def test_dialog_upload_with_form_token_is_stored(admin_user, media_root):
    """The image dialog's form post carries the token as csrfmiddlewaretoken."""
    client = browser_of(admin_user)
    response = client.post(
        reverse("ckeditor_upload") + "?CKEditorFuncNum=1&CKEditor=id_body&langCode=zh-cn",
        {"upload": photo(), "csrfmiddlewaretoken": token(client)},
    )
    assert response.status_code == 200
    assert "callFunction(1, '/media/uploads/" in response.text
    assert len(stored(media_root)) == 2


@pytest.mark.parametrize(
    "url_name", ["ckeditor_upload", "ckeditor_browse"], ids=["upload", "browse"]
)
def test_staff_without_article_permissions_is_refused(
    client, media_root, url_name, django_user_model
):
    """A staff member who may neither add nor change articles can neither upload nor see
    the uploaded images (those of unpublished drafts among them)."""
    client.force_login(make_staff(django_user_model, "clerk", "view_article", "change_source"))
    if url_name == "ckeditor_upload":
        response = client.post(reverse(url_name), {"upload": photo()})
    else:
        response = client.get(reverse(url_name))
    assert response.status_code == 403
    assert stored(media_root) == []


@pytest.mark.parametrize("perm", ["add_article", "change_article"])
def test_staff_who_may_add_or_change_articles_may_upload_and_browse(
    client, media_root, django_user_model, perm
):
    """Either article permission is enough: writers add, reviewers change."""
    client.force_login(make_staff(django_user_model, "writer", perm))
    assert client.post(reverse("ckeditor_upload"), {"upload": photo()}).json()["uploaded"] == "1"
    assert client.get(reverse("ckeditor_browse")).status_code == 200


@pytest.mark.parametrize("role", [EDITOR, REVIEWER])
def test_editors_and_reviewers_may_upload(client, media_root, role):
    """The 编辑 and 审核 roles, as the migrations make them, may upload."""
    client.force_login(make_user(role))
    assert client.post(reverse("ckeditor_upload"), {"upload": photo()}).json()["uploaded"] == "1"
