"""附件: files attached to articles through the admin, checked by content, listed and
served to readers, and cleaned up after their article has gone."""

import datetime
import json
import re

import pytest
import reversion
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles.models import Article, Attachment
from articles.ops.retention import clean_attachments
from tests import crafted_files as crafted
from tests.conftest import make_article, make_channel
from tests.roles import EDITOR, REVIEWER, form_data, login

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def notices():
    return make_channel("通知公告", "tzgg")


def post_article(client, channel, files, **fields):
    """Add a published article through the admin form with ``files`` (name, bytes) as
    new attachment rows, as a browser posts them."""
    add_url = reverse("admin:articles_article_add")
    page = client.get(add_url)
    assert page.status_code == 200
    data = form_data(page)
    data = {k: v for k, v in data.items() if not re.match(r"attachments-\d+-", k)}
    published = timezone.localtime(timezone.now() - datetime.timedelta(hours=1))
    data.update(
        {
            "title": "关于2025年度培训的通知",
            "channel": channel.pk,
            "body": "<p>各单位：现将培训计划印发给你们。</p>",
            "status": "published",
            "published_at_0": published.strftime("%Y-%m-%d"),
            "published_at_1": published.strftime("%H:%M:%S"),
            "attachments-TOTAL_FORMS": str(len(files)),
            "attachments-INITIAL_FORMS": "0",
        }
    )
    for i, (name, content) in enumerate(files):
        data[f"attachments-{i}-file"] = SimpleUploadedFile(name, content)
        data[f"attachments-{i}-name"] = ""
        data[f"attachments-{i}-position"] = str(i)
    data.update(fields)
    return client.post(add_url, data)


def test_editor_attaches_xlsx_pdf_and_mp4_and_readers_see_them(client, notices):
    login(client, REVIEWER)
    xlsx = crafted.xlsx(padding=22 * 1024)
    files = [
        ("2025年度培训计划.xlsx", xlsx),
        ("实施方案.pdf", crafted.pdf()),
        ("警示教育片.mp4", crafted.mp4()),
    ]
    response = post_article(client, notices, files)
    assert response.status_code == 302, response.content.decode()[:3000]
    article = Article.objects.get()
    attachments = list(article.attachments.all())
    assert [a.kind for a in attachments] == ["xlsx", "pdf", "mp4"]
    assert attachments[0].name == "2025年度培训计划.xlsx"
    assert attachments[0].size == len(xlsx)
    # Stored under a random folder of its own: no address to guess.
    folder = attachments[0].file.name.split("/")
    assert folder[0] == "attachments" and re.fullmatch(r"[0-9a-f]{32}", folder[1])

    client.logout()
    page = client.get(article.get_absolute_url())
    html = page.content.decode()
    assert '<h2 id="attachments-title" class="attachments__title">附件</h2>' in html
    assert re.search(r"附件：<a [^>]*>2025年度培训计划\.xlsx</a>（23 KB）", html)
    assert "Excel 表格" in html and "PDF 文档" in html
    video = re.search(r"<video [^>]*>", html).group(0)
    assert "controls" in video and "autoplay" not in video
    assert f'src="{attachments[2].file.url}"' in video


def test_files_are_served_with_download_headers(client, notices):
    article = make_article("通知", notices)
    made = {}
    for name, content in [("表.xlsx", crafted.xlsx()), ("文件.pdf", crafted.pdf())]:
        made[name] = Attachment.objects.create(
            article=article, file=SimpleUploadedFile(name, content)
        )
    sheet = client.get(made["表.xlsx"].file.url)
    assert sheet.status_code == 200
    assert sheet["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''%E8%A1%A8.xlsx" in sheet["Content-Disposition"]
    assert sheet["X-Content-Type-Options"] == "nosniff"
    assert sheet["Content-Type"].startswith("application/vnd.openxmlformats")
    assert b"".join(sheet.streaming_content) == crafted.xlsx()
    document = client.get(made["文件.pdf"].file.url)
    assert document["Content-Disposition"].startswith("inline;")
    assert document["Content-Type"] == "application/pdf"
    # A file in the folder the site never recorded, or a made-up folder, is not served.
    assert client.get(made["文件.pdf"].file.url.rsplit("/", 1)[0] + "/other.pdf").status_code == 404
    assert client.get("/media/attachments/" + "0" * 32 + "/x.pdf").status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("通知.pdf", crafted.HTML, "不是PDF 文档"),
        ("报名表.docx", crafted.EXECUTABLE, "不是Word 文档"),
        ("报名表.docx", crafted.zipped({"a.txt": "x"}), "不是Word 文档"),
        ("数据.xlsx", crafted.docx_package(), "不是Excel 表格"),
        ("旧表.xls", crafted.HTML, "不是Excel 表格"),
        ("版式.ofd", crafted.pdf(), "不是OFD 版式文档"),
        ("宣传片.mp4", crafted.EXECUTABLE, "不是MP4 视频"),
        ("setup.exe", crafted.EXECUTABLE, "附件只能是"),
        ("page.html", crafted.HTML, "附件只能是"),
    ],
)
def test_impostors_are_refused_with_a_clear_message(client, notices, name, content, words):
    login(client, EDITOR)
    response = post_article(client, notices, [(name, content)], status="draft")
    assert response.status_code == 200
    page = response.content.decode()
    assert words in page
    assert Article.objects.count() == 0
    assert not Attachment.objects.exists()


def test_accepted_kinds(client, notices):
    login(client, EDITOR)
    files = [
        ("a.doc", crafted.ole2()),
        ("b.docx", crafted.docx_package()),
        ("c.xls", crafted.ole2()),
        ("d.wps", crafted.ole2()),
        ("e.et", crafted.ole2()),
        ("f.ofd", crafted.ofd()),
        ("g.zip", crafted.zipped({"说明.txt": "压缩包"})),
    ]
    response = post_article(client, notices, files, status="draft")
    assert response.status_code == 302
    kinds = list(Attachment.objects.values_list("kind", flat=True))
    assert kinds == ["doc", "docx", "xls", "wps", "et", "ofd", "zip"]


def test_size_limit_comes_from_settings(client, notices, settings):
    settings.QINGLIAN_MAX_ATTACHMENT_BYTES = 10_000
    login(client, EDITOR)
    response = post_article(client, notices, [("大表.xlsx", crafted.xlsx(padding=20_000))])
    assert "太大" in response.content.decode() and "附件最大 10 KB" in response.content.decode()
    assert not Attachment.objects.exists()


def test_article_page_reads_all_attachments_in_one_query(
    client, notices, django_assert_num_queries
):
    from tests.test_queries import ARTICLE_QUERIES

    article = make_article("附件多的通知", notices)
    for number in range(6):
        Attachment.objects.create(
            article=article, file=SimpleUploadedFile(f"表{number}.xlsx", crafted.xlsx())
        )
    with django_assert_num_queries(ARTICLE_QUERIES + 1):
        response = client.get(article.get_absolute_url())
    assert response.content.decode().count('class="attachments__item"') == 6


def _article_with_file(channel, days_ago):
    with reversion.create_revision():
        article = make_article("旧通知", channel)
        attachment = Attachment.objects.create(
            article=article, file=SimpleUploadedFile("旧表.xlsx", crafted.xlsx())
        )
    return article, attachment


def test_files_of_a_deleted_article_wait_for_the_retention_period_and_the_revisions(
    notices, settings, media_root
):
    settings.QINGLIAN_ATTACHMENT_RETENTION_DAYS = 30
    article, attachment = _article_with_file(notices, 0)
    name = attachment.file.name
    stored = media_root / name
    assert stored.exists()
    article.delete()
    attachment.refresh_from_db()
    assert attachment.article is None and attachment.detached_at is not None

    later = timezone.now() + datetime.timedelta(days=31)
    # Not yet: a revision of the deleted article still links the file (it can be restored).
    assert clean_attachments(now=later) == []
    assert stored.exists()
    # Within the period, even without revisions: kept.
    Version.objects.all().delete()
    assert clean_attachments(now=timezone.now() + datetime.timedelta(days=29)) == []
    assert stored.exists()
    # After it, with nothing linking it: gone, file and row.
    assert clean_attachments(now=later) == [name]
    assert not stored.exists()
    assert not Attachment.objects.exists()


def test_files_of_a_living_article_are_never_cleaned(notices, settings, media_root):
    article, attachment = _article_with_file(notices, 0)
    Version.objects.all().delete()
    assert clean_attachments(now=timezone.now() + datetime.timedelta(days=400)) == []
    assert (media_root / attachment.file.name).exists()


def test_the_command_runs_daily(notices, capsys):
    call_command("clean_attachments", "--dry-run")
    assert "Would remove 0 attached file(s)" in capsys.readouterr().out


def test_backup_carries_attachments(notices, tmp_path):
    from articles.ops import backup

    article = make_article("备份的通知", notices)
    attachment = Attachment.objects.create(
        article=article, file=SimpleUploadedFile("名单.pdf", crafted.pdf())
    )
    manifest = backup.backup(tmp_path / "site.zip")
    assert f"media/{attachment.file.name}" in manifest["files"]
    assert manifest["counts"]["articles.attachment"] == 1


def test_link_dialog_upload_becomes_the_attachment_of_the_article_that_links_it(client, notices):
    login(client, EDITOR)
    # The link dialog posts into its iframe and expects CKEditor's callback.
    answer = client.post(
        "/admin/ckeditor/attachment/?CKEditorFuncNum=3",
        {"upload": SimpleUploadedFile("报名表.docx", crafted.docx_package())},
    )
    assert answer.status_code == 200
    url = re.search(r'callFunction\(3, "([^"]+)"', answer.content.decode()).group(1)
    stored = Attachment.objects.get()
    assert stored.article is None and url == stored.file.url
    # An impostor gets the dialog's error message.
    refused = client.post(
        "/admin/ckeditor/attachment/?CKEditorFuncNum=3",
        {"upload": SimpleUploadedFile("报名表.pdf", crafted.HTML)},
    )
    message = re.search(r"callFunction\(3, '', (\".*\")\);", refused.content.decode()).group(1)
    assert "不是PDF 文档" in json.loads(message)
    assert Attachment.objects.count() == 1

    body = f'<p>请下载<a href="{url}">报名表</a>。</p>'
    assert post_article(client, notices, [], body=body, status="draft").status_code == 302
    stored.refresh_from_db()
    assert stored.article == Article.objects.get()


def test_link_dialog_upload_needs_an_article_writer(client, django_user_model):
    viewer = django_user_model.objects.create_user("viewer", password="x", is_staff=True)
    client.force_login(viewer)
    response = client.post(
        "/admin/ckeditor/attachment/",
        {"upload": SimpleUploadedFile("a.pdf", crafted.pdf())},
    )
    assert response.status_code == 403
    assert not Attachment.objects.exists()


def test_an_upload_no_article_ever_linked_goes_after_the_retention_period(media_root):
    stray = Attachment.objects.create(file=SimpleUploadedFile("草稿.pdf", crafted.pdf()))
    assert clean_attachments(now=timezone.now() + datetime.timedelta(days=29)) == []
    assert clean_attachments(now=timezone.now() + datetime.timedelta(days=31)) == [stray.file.name]
    assert not (media_root / stray.file.name).exists()


def test_a_file_taken_off_the_form_goes_after_the_period_unless_a_revision_links_it(
    notices, media_root
):
    article, attachment = _article_with_file(notices, 0)
    name = attachment.file.name
    attachment.delete()  # the row taken off the article form; the file stays
    later = timezone.now() + datetime.timedelta(days=31)
    assert clean_attachments(now=later) == []  # the article's revision still names it
    Version.objects.all().delete()
    assert clean_attachments(now=later) == [name]
    assert not (media_root / name).exists()


def test_a_video_is_served_in_byte_ranges_as_players_ask(client, notices):
    """Players seek by asking for byte ranges (Safari asks before it plays at all)."""
    article = make_article("警示教育片", notices)
    content = crafted.mp4()
    video = Attachment.objects.create(
        article=article, file=SimpleUploadedFile("警示教育片.mp4", content)
    )
    url, size = video.file.url, len(content)
    whole = client.get(url)
    assert whole.status_code == 200 and whole["Accept-Ranges"] == "bytes"
    for asked, first, last in [
        ("bytes=0-1", 0, 1),
        ("bytes=4-", 4, size - 1),
        ("bytes=-3", size - 3, size - 1),
        (f"bytes=2-{size * 10}", 2, size - 1),
    ]:
        part = client.get(url, headers={"Range": asked})
        assert part.status_code == 206, asked
        assert part["Content-Range"] == f"bytes {first}-{last}/{size}"
        assert part["Content-Type"] == "video/mp4"
        assert part["Content-Disposition"].startswith("inline;")
        assert part["X-Content-Type-Options"] == "nosniff"
        body = b"".join(part.streaming_content)
        assert body == content[first : last + 1] and part["Content-Length"] == str(len(body))
    past = client.get(url, headers={"Range": f"bytes={size}-"})
    assert past.status_code == 416 and past["Content-Range"] == f"bytes */{size}"
    for ignored in ["bytes=0-1,4-5", "items=0-1", "bytes=5-2", "nonsense"]:
        answer = client.get(url, headers={"Range": ignored})
        assert answer.status_code == 200 and b"".join(answer.streaming_content) == content
    conditional = client.get(url, headers={"Range": "bytes=0-1", "If-Range": '"x"'})
    assert conditional.status_code == 200
