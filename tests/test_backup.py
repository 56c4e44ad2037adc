"""backup_site and restore_site: a backup restored into an empty installation gives back
every article, image, revision and setting exactly; a damaged or foreign archive, or a
non-empty installation, is refused without changing anything."""

import hashlib
import json
import shutil
import threading
import zipfile

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from PIL import Image

from articles.hant.models import PhraseCorrection
from articles.inspections.models import FreshnessLimit, WordingRule
from articles.models import Article, SiteSettings
from articles.ops import backup
from tests.conftest import image_bytes, make_article, make_channel, make_source
from tests.test_admin import admin_form, article_form

ROUND_TRIP = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Users are created with a cheap hasher; no test here is about passwords."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def build_site(admin_client, django_user_model):
    """A small site made the way editors make it: in the admin, with uploads and history."""
    top = make_channel("清廉之窗", "qinglian")
    channel = make_channel("基层风采", "jiceng", parent=top)
    source = make_source("七星区纪委监委", url="https://example.org/qixing")
    editor = django_user_model.objects.create_user("xiaowang", password="Xiao-wang-2026")
    editor.groups.add(Group.objects.get(name="编辑"))

    uploaded = admin_client.post(
        reverse("ckeditor_upload"),
        {"upload": SimpleUploadedFile("现场.jpg", image_bytes("JPEG", size=(120, 80)))},
    ).json()["url"]
    add_url = reverse("admin:articles_article_add")
    data = article_form(
        admin_client,
        channel,
        title="七星区：跟进监督 推动“双减”政策落地见效",
        author="通讯员 李明 王芳",
        source=source.pk,
        summary="",
        body=f'<p>\u3000\u3000第一段。</p><p style="text-align:center"><img src="{uploaded}" '
        'alt="现场"></p><p>\u3000\u3000第二段。</p>',
        cover_alt="检查现场",
        weight="3",
        external_url="",
    )
    data["cover"] = SimpleUploadedFile("封面.png", image_bytes("PNG", size=(64, 48)))
    assert admin_client.post(add_url, data).status_code == 302
    first = Article.objects.get()

    data = article_form(
        admin_client, channel, related=[(first, 0)], title="恭城：为民办实事", is_pinned="on"
    )
    assert admin_client.post(add_url, data).status_code == 302
    second = Article.objects.exclude(pk=first.pk).get()

    # A second revision of the first article, and a state change in the audit trail.
    change_url = reverse("admin:articles_article_change", args=[first.pk])
    data = article_form(
        admin_client, channel, change_url=change_url, title="七星区：跟进监督（修订）"
    )
    assert admin_client.post(change_url, data).status_code == 302
    unpublish = reverse("admin:articles_article_transition", args=[second.pk, "unpublish"])
    assert admin_client.post(unpublish).status_code == 302

    PhraseCorrection.objects.create(simplified="监察干部", traditional="監察幹部", note="测试")
    WordingRule.objects.create(wrong="两学一作", right="两学一做", note="测试")
    FreshnessLimit.objects.update_or_create(column_type="工作动态", defaults={"days": 10})
    SiteSettings.load()
    settings_url = reverse("admin:articles_sitesettings_change", args=[1])
    form = admin_form(admin_client, settings_url, site_name="清廉测试", icp_number="桂ICP备1号")
    form["wechat_qr"] = SimpleUploadedFile("qr.png", image_bytes("PNG", size=(50, 50)))
    assert admin_client.post(settings_url, form).status_code == 302
    return first, second


def state():
    """Every backed-up row (natural keys for content types) and every media file's hash."""
    rows = {}
    for model in backup.backed_up_models():
        rows[model._meta.label_lower] = serializers.serialize(
            "python", model._base_manager.order_by("pk"), use_natural_foreign_keys=True
        )
    media = {
        str(path.relative_to(settings.MEDIA_ROOT)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(settings.MEDIA_ROOT.rglob("*"))
        if path.is_file()
    }
    return rows, media


def wipe(media_root):
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(media_root, ignore_errors=True)


@ROUND_TRIP
def test_round_trip_restores_everything_exactly(
    admin_client, django_user_model, media_root, tmp_path
):
    """Back up, wipe database and media, restore: every row, image and revision is back."""
    first, second = build_site(admin_client, django_user_model)
    before_rows, before_media = state()
    assert len(before_media) == 4  # cover, editor image and its thumbnail, QR code
    assert len(before_rows["reversion.version"]) >= 4
    assert before_rows["articles.auditentry"]

    archive = tmp_path / "site.zip"
    call_command("backup_site", str(archive), verbosity=0)
    wipe(media_root)
    assert not Article.objects.exists() and not media_root.exists()

    call_command("restore_site", str(archive), verbosity=0)
    after_rows, after_media = state()
    for label, rows in before_rows.items():
        assert after_rows[label] == rows, label
    assert after_media == before_media
    # What administrators maintain for inspections comes back too.
    assert WordingRule.objects.filter(wrong="两学一作", right="两学一做").exists()
    assert FreshnessLimit.objects.get(column_type="工作动态").days == 10

    # The restored site works: pages, images, history and search.
    client = admin_client.__class__()
    page = client.get(first.get_absolute_url())
    assert page.status_code == 200
    assert "七星区：跟进监督（修订）" in page.text
    restored = Article.objects.get(pk=first.pk)
    assert (media_root / restored.cover.name).is_file()
    with Image.open(media_root / restored.cover.name) as cover:
        assert cover.size == (64, 48)
    found = client.get(reverse("articles:search") + "?q=跟进监督")
    assert f'href="{first.get_absolute_url()}"' in found.text
    admin_client.force_login(django_user_model.objects.get(username="boss"))
    history = admin_client.get(reverse("admin:articles_article_history", args=[first.pk]))
    assert history.status_code == 200
    assert "七星区：跟进监督" in history.text


@ROUND_TRIP
def test_force_replaces_a_changed_installation(
    admin_client, django_user_model, media_root, tmp_path
):
    """restore_site --force puts a changed site back exactly as it was backed up."""
    first, _ = build_site(admin_client, django_user_model)
    before = state()
    archive = tmp_path / "site.zip"
    call_command("backup_site", str(archive), verbosity=0)

    Article.objects.filter(pk=first.pk).update(title="改坏了")
    make_article("之后才写的文章")
    (media_root / "stray.txt").write_text("not part of the backup")

    call_command("restore_site", str(archive), "--force", verbosity=0)
    rows, media = state()
    assert rows == before[0]
    media.pop("stray.txt")  # left alone: restoring never deletes unknown files
    assert media == before[1]


@pytest.fixture
def small_backup(db, tmp_path, channel):
    make_article("七星区：跟进监督", channel=channel)
    path = tmp_path / "small.zip"
    call_command("backup_site", str(path), verbosity=0)
    return path


@pytest.mark.django_db
def test_restore_refuses_an_installation_with_content(small_backup):
    """Without --force, restoring over existing content is refused and nothing changes."""
    Article.objects.update(title="现在的标题")
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore_site", str(small_backup), verbosity=0)
    assert Article.objects.get().title == "现在的标题"


@pytest.mark.django_db
def test_damaged_archive_is_refused_before_anything_changes(small_backup, tmp_path):
    """An archive whose data does not match its checksum is refused, even with --force."""
    damaged = tmp_path / "damaged.zip"
    with zipfile.ZipFile(small_backup) as source, zipfile.ZipFile(damaged, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == backup.DATA:
                data = data.replace("七星区".encode(), "八星区".encode())
            target.writestr(item, data)
    with pytest.raises(CommandError, match="damaged"):
        call_command("restore_site", str(damaged), "--force", verbosity=0)
    assert Article.objects.get().title == "七星区：跟进监督"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content",
    [b"not a zip at all", "foreign"],
)
def test_foreign_file_is_refused(tmp_path, content):
    """A file that is not a qinglian backup is refused with a message."""
    path = tmp_path / "other.zip"
    if content == "foreign":
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("manifest.json", json.dumps({"format": "other"}))
    else:
        path.write_bytes(content)
    with pytest.raises(CommandError):
        call_command("restore_site", str(path), verbosity=0)


@pytest.mark.django_db
def test_archive_with_unsafe_media_name_is_refused(small_backup, tmp_path):
    """A member trying to escape the media folder (../) is refused."""
    evil = tmp_path / "evil.zip"
    with zipfile.ZipFile(small_backup) as source, zipfile.ZipFile(evil, "w") as target:
        manifest = json.loads(source.read(backup.MANIFEST))
        for item in source.infolist():
            if item.filename != backup.MANIFEST:
                target.writestr(item, source.read(item.filename))
        target.writestr("media/../../escape.txt", b"x")
        manifest["files"]["media/../../escape.txt"] = {
            "sha256": hashlib.sha256(b"x").hexdigest(),
            "bytes": 1,
        }
        target.writestr(backup.MANIFEST, json.dumps(manifest))
    with pytest.raises(CommandError, match="unsafe"):
        call_command("restore_site", str(evil), "--force", verbosity=0)


@pytest.mark.django_db
def test_backup_from_a_newer_version_is_refused(small_backup, tmp_path):
    """A backup whose database had migrations this code lacks is refused."""
    newer = tmp_path / "newer.zip"
    with zipfile.ZipFile(small_backup) as source, zipfile.ZipFile(newer, "w") as target:
        manifest = json.loads(source.read(backup.MANIFEST))
        manifest["migrations"]["articles"].append("9999_from_the_future")
        for item in source.infolist():
            if item.filename != backup.MANIFEST:
                target.writestr(item, source.read(item.filename))
        target.writestr(backup.MANIFEST, json.dumps(manifest))
    with pytest.raises(CommandError, match="newer version"):
        call_command("restore_site", str(newer), "--force", verbosity=0)


@pytest.mark.django_db
def test_dry_run_checks_and_changes_nothing(small_backup, capsys):
    """--dry-run checks the archive, says what it holds, and restores nothing."""
    Article.objects.update(title="现在的标题")
    call_command("restore_site", str(small_backup), "--dry-run")
    assert "1 article(s)" in capsys.readouterr().out
    assert Article.objects.get().title == "现在的标题"


@pytest.mark.django_db
def test_manifest_counts_and_checksums(small_backup):
    """The manifest lists row counts and a checksum for every member of the archive."""
    with zipfile.ZipFile(small_backup) as archive:
        manifest = json.loads(archive.read(backup.MANIFEST))
        assert manifest["counts"]["articles.article"] == 1
        assert manifest["counts"]["articles.channel"] == 2
        assert "articles.searchdocument" not in manifest["counts"]
        for name, expected in manifest["files"].items():
            assert hashlib.sha256(archive.read(name)).hexdigest() == expected["sha256"]


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="a snapshot against a concurrent writer needs PostgreSQL",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_backup_is_one_snapshot_while_editors_write(tmp_path, channel, monkeypatch):
    """An article committed while the dump runs is in neither the counts nor the data."""
    make_article("已有的文章", channel=channel)
    real_call_command = backup.call_command

    def call_command_with_a_concurrent_writer(name, *args, **kwargs):
        if name == "dumpdata":

            def write():
                make_article("备份中途发布的文章", channel=channel)
                connection.close()

            writer = threading.Thread(target=write)
            writer.start()
            writer.join()
        return real_call_command(name, *args, **kwargs)

    monkeypatch.setattr(backup, "call_command", call_command_with_a_concurrent_writer)
    manifest = backup.backup(tmp_path / "during.zip")
    assert Article.objects.count() == 2
    assert manifest["counts"]["articles.article"] == 1
    with zipfile.ZipFile(tmp_path / "during.zip") as archive:
        rows = json.loads(archive.read(backup.DATA))
    titles = [row["fields"]["title"] for row in rows if row["model"] == "articles.article"]
    assert titles == ["已有的文章"]


# --- Ids of deleted articles are never given again ----------------------------------


@ROUND_TRIP
def test_restore_never_gives_a_deleted_articles_id_again(
    admin_client, django_user_model, media_root, tmp_path
):
    """The attack: delete the newest article, back up, restore, write a new article. Its id
    must not be the deleted one's, or it inherits that article's history and audit trail."""
    from reversion.models import Version

    from articles.editorial.models import AuditEntry

    # Earlier round trips flushed and reloaded content types under this process's cache.
    ContentType.objects.clear_cache()
    first, second = build_site(admin_client, django_user_model)
    gone = second.pk
    assert gone > first.pk
    delete = reverse("admin:articles_article_delete", args=[gone])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 302
    archive = tmp_path / "site.zip"
    call_command("backup_site", str(archive), verbosity=0)
    wipe(media_root)
    call_command("restore_site", str(archive), verbosity=0)

    admin_client.force_login(django_user_model.objects.get(username="boss"))
    channel = first.channel
    data = article_form(admin_client, channel, title="阳朔：恢复后写的第一篇")
    assert admin_client.post(reverse("admin:articles_article_add"), data).status_code == 302
    new = Article.objects.get(title="阳朔：恢复后写的第一篇")
    assert new.pk > gone
    history = admin_client.get(reverse("admin:articles_article_history", args=[new.pk]))
    assert "恭城：为民办实事" not in history.text
    assert not AuditEntry.objects.filter(article_id=new.pk, action="delete").exists()
    # The deleted article is still recoverable, under its own id.
    assert Version.objects.get_for_object_reference(Article, gone).exists()


@pytest.mark.django_db(databases=["default", "restore_target"])
def test_restore_into_another_database_leaves_default_alone(
    admin_client, django_user_model, media_root, tmp_path
):
    """restore_site --database X loads, indexes and numbers X, and never touches default."""
    from articles.search.models import SearchDocument

    first, second = build_site(admin_client, django_user_model)
    delete = reverse("admin:articles_article_delete", args=[second.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 302  # revisions remember
    archive = tmp_path / "site.zip"
    call_command("backup_site", str(archive), verbosity=0)
    default_before = state()

    call_command("restore_site", str(archive), "--database", "restore_target", verbosity=0)
    assert state() == default_before
    target = Article.objects.using("restore_target")
    assert list(target.values_list("pk", flat=True)) == [first.pk]
    indexed = SearchDocument.objects.using("restore_target").values_list("article_id", flat=True)
    assert list(indexed) == [first.pk]
    # (Saving an article there would index it into default: the search signals know one
    # database. The next id is read from the sequence itself.)
    assert last_id_given("restore_target", "articles_article") >= second.pk


def last_id_given(alias, table):
    """Where the id sequence of ``table`` stands: the next row gets a larger id."""
    connection = connections[alias]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        else:
            cursor.execute(
                "SELECT last_value FROM pg_sequences "
                "WHERE schemaname || '.' || sequencename = pg_get_serial_sequence(%s, 'id')",
                [table],
            )
        return cursor.fetchone()[0]


@ROUND_TRIP
def test_a_backup_from_before_the_split_restores(media_root):
    """tests/fixtures/backup-83a1df8.zip was written by backup_site at commit 83a1df8, the
    single-app layout (`git archive 83a1df8`; migrate, load_demo, a revision of every
    article, then the newest, id 18, deleted with its audit entry). Model labels did not
    change, so it restores whole, and id 18 is never given again."""
    from articles.editorial.models import AuditEntry

    call_command("flush", interactive=False, verbosity=0)
    ContentType.objects.clear_cache()
    archive = settings.BASE_DIR / "tests" / "fixtures" / "backup-83a1df8.zip"
    call_command("restore_site", str(archive), verbosity=0)
    assert Article.objects.count() == 17
    assert AuditEntry.objects.get().article_id == 18
    article = Article.objects.published().order_by("-published_at").first()
    assert Client().get(article.get_absolute_url()).status_code == 200
    found = Client().get(reverse("articles:search"), {"q": article.title[:4]})
    assert f'href="{article.get_absolute_url()}"' in found.text
    assert make_article("恢复之后").pk > 18
