"""A full or unwritable media disk (issue 21 #10): editors get a clear message, the
partial files go, a typed form is kept.

The disk fills up part-way through writing a file: the storage configured for the site
is given a fault that writes the first bytes of a file and then raises
OSError(ENOSPC), as a full disk does.
"""

import errno
import os

import pytest
from ckeditor_uploader import utils as ckeditor_utils
from django.conf import settings as django_settings
from django.core.files.base import File
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.functional import empty
from django.utils.module_loading import import_string

from articles.models import Article
from tests.conftest import image_bytes
from tests.test_admin import article_form

pytestmark = pytest.mark.django_db

SITE_STORAGE = import_string(django_settings.STORAGES["default"]["BACKEND"])
FULL = "图片没有保存：服务器的存储空间已满或无法写入。请稍后再试，并告诉网站的系统管理员。"


class _FillsUp(File):
    """``content`` whose writing stops with ENOSPC after ``room`` bytes."""

    def __init__(self, content, room):
        super().__init__(content.file, content.name)
        self.content, self.room = content, room

    def chunks(self, chunk_size=None):
        self.content.seek(0)
        data = self.content.read()
        if self.room:
            yield data[: self.room]
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


class FullDisk(SITE_STORAGE):
    """The site's storage on a disk that fills up after ``files`` more files, ``room``
    bytes into the next one."""

    files = 0
    room = 0

    def _save(self, name, content):
        if FullDisk.files > 0:
            FullDisk.files -= 1
            return super()._save(name, content)
        return super()._save(name, _FillsUp(content, FullDisk.room))


@pytest.fixture
def full_disk(settings, media_root):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": f"{__name__}.FullDisk"}}
    FullDisk.files, FullDisk.room = 0, 0
    # ckeditor_uploader keeps its own lazy DefaultStorage, which settles on the storage
    # of its first use: it is made to look again, before and after.
    ckeditor_utils.storage._wrapped = empty
    yield FullDisk
    ckeditor_utils.storage._wrapped = empty


def stored(media_root):
    return sorted(p for p in media_root.rglob("*") if p.is_file()) if media_root.exists() else []


def upload(client, query=""):
    photo = SimpleUploadedFile("photo.png", image_bytes("PNG", size=(200, 150)))
    return client.post(reverse("ckeditor_upload") + query, {"upload": photo})


@pytest.mark.parametrize("room", [0, 64], ids=["empty", "truncated"])
def test_editor_upload_on_a_full_disk_says_so_and_leaves_nothing(
    admin_client, media_root, full_disk, room
):
    """Drag and paste get CKEditor's error in Chinese; no 0-byte or cut-off file stays
    behind for the image browser to list."""
    full_disk.room = room
    response = upload(admin_client)
    assert response.status_code == 200
    assert response.json() == {"uploaded": 0, "error": {"message": FULL}}
    assert stored(media_root) == []
    assert admin_client.get(reverse("ckeditor_browse")).context["files"] == []


def test_dialog_upload_on_a_full_disk_gets_the_message(admin_client, media_root, full_disk):
    """The image dialog gets the same message through its callback."""
    full_disk.room = 64
    response = upload(admin_client, "?CKEditorFuncNum=4")
    assert response.status_code == 200
    assert "callFunction(4, ''," in response.text
    assert "存储空间已满" in response.content.decode("unicode_escape")
    assert stored(media_root) == []


def test_image_stored_but_thumbnail_failed_is_removed(admin_client, media_root, full_disk):
    """The disk fills up between the image and its thumbnail: the image goes too."""
    full_disk.files, full_disk.room = 1, 10
    response = upload(admin_client)
    assert response.json()["uploaded"] == 0
    assert stored(media_root) == []


TYPED = {"title": "秀峰区：带封面的长稿", "body": "<p>编辑写了很长的正文，一个字也不能丢。</p>"}


def test_cover_on_a_full_disk_keeps_the_typed_form(admin_client, media_root, channel, full_disk):
    """Saving an article with a cover on a full disk shows the form again with everything
    typed and a message; no article and no partial file is left."""
    full_disk.room = 64
    data = article_form(admin_client, channel, cover_alt="会议现场", **TYPED)
    data["cover"] = SimpleUploadedFile("cover.png", image_bytes("PNG", size=(300, 200)))
    response = admin_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 200
    form = response.context["adminform"].form
    for name, value in {**TYPED, "cover_alt": "会议现场"}.items():
        assert form[name].value() == value, name
    assert "服务器的存储空间已满或无法写入" in response.text
    assert not Article.objects.exists()
    assert stored(media_root) == []
