"""导入Word: a .docx becomes clean body HTML — numbering as the document showed it,
headings, bold, a table with borders, pictures through the image checks."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import Article
from articles.renditions import names_in_body
from tests import crafted_files as crafted
from tests.conftest import make_channel
from tests.roles import EDITOR, login
from tests.word_documents import notice_docx

pytestmark = pytest.mark.django_db

URL = "/admin/ckeditor/word/"


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def upload(client, name, content):
    return client.post(URL, {"upload": SimpleUploadedFile(name, content)})


def test_the_url_is_the_editor_config_url(settings):
    assert reverse("ckeditor_word") == URL
    assert settings.CKEDITOR_CONFIGS["default"]["qinglianWordUrl"] == URL


def test_a_notice_comes_back_as_clean_html(client, media_root):
    login(client, EDITOR)
    response = upload(client, "专项整治通知.docx", notice_docx())
    assert response.status_code == 200, response.content.decode()
    html = response.json()["html"]
    # Headings one level below the article title; the document's （一） numbering as
    # text, its second level counted inside the first and the first carried on after it.
    assert "<h2>关于开展作风建设专项整治的通知</h2>" in html
    assert "<h3>主要任务</h3>" in html
    texts = re.findall(r"<p>([^<]*)</p>", html)
    assert texts[:5] == [
        "（一）加强日常监督",
        "（二）严肃查处问题",
        "1.每月报送一次",
        "2.每季度通报一次",
        "（三）健全长效机制",
    ]
    # The List Number style's numbers as text too; a bullet list stays a list.
    assert "<p>1.提高认识</p><p>2.压实责任</p>" in html
    assert "<ul><li>联系人</li></ul>" in html
    assert "<ol" not in html
    assert "<strong>请认真贯彻执行。</strong>" in html
    assert re.search(r"<table>.*<td><p>市纪委监委</p></td>.*</table>", html)
    assert "mso-" not in html and "style=" not in html and "class=" not in html
    # The picture: checked, re-written and stored with the editor's uploads.
    picture = r'<img alt="" height="360" src="/media/(uploads/[^"]+\.png)" width="640"'
    image = re.search(picture, html)
    assert image
    assert (media_root / image.group(1)).exists()
    assert names_in_body(html) == [image.group(1)]
    assert any("替换文本" in message for message in response.json()["messages"])


def test_the_imported_body_is_published_with_table_borders(client, media_root):
    login(client, EDITOR)
    html = upload(client, "通知.docx", notice_docx()).json()["html"]
    article = Article.objects.create(
        title="关于开展作风建设专项整治的通知",
        channel=make_channel(),
        body=html,
        status=Article.Status.PUBLISHED,
    )
    assert article.body == html  # the sanitizer keeps all of it
    client.logout()
    page = client.get(article.get_absolute_url()).content.decode()
    assert "<p>（一）加强日常监督</p>" in page
    assert "<td><p>市纪委监委</p></td>" in page


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("通知.doc", crafted.ole2(), "只能导入 Word 的 .docx 文件"),
        ("通知.docx", crafted.HTML, "不是Word 文档"),
        ("通知.docx", crafted.xlsx(), "不是Word 文档"),
    ],
)
def test_other_files_are_refused(client, name, content, words):
    login(client, EDITOR)
    response = upload(client, name, content)
    assert response.status_code == 400
    assert words in response.json()["error"]


def test_a_bad_picture_is_left_out_and_said(client, media_root):
    login(client, EDITOR)
    response = upload(client, "通知.docx", _with_broken_picture(notice_docx()))
    assert response.status_code == 200
    assert "<img" not in response.json()["html"]
    assert "1 张图片不是有效的图片" in response.json()["messages"][0]


def _with_broken_picture(data):
    """The document with its picture's bytes replaced by a PNG header over nothing."""
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename.startswith("word/media/"):
                content = content[:16] + b"\x00" * 200
            target.writestr(info, content)
    return out.getvalue()


def test_only_staff_who_write_articles_may_import(client, django_user_model):
    assert upload(client, "通知.docx", notice_docx()).status_code == 302  # to the login
    viewer = django_user_model.objects.create_user("viewer", password="x", is_staff=True)
    client.force_login(viewer)
    assert upload(client, "通知.docx", notice_docx()).status_code == 403
