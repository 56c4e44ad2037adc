"""Backing up the whole site into one file, and restoring it into an empty installation.

The file is a zip archive:

    manifest.json   format, when, from which database, the migrations applied, how many
                    rows of each model, and the size and SHA-256 of every other member
    data.json       the content (``dumpdata``): users and groups, channels, sources,
                    articles, related links, settings, phrase corrections, the audit
                    trail, revisions (django-reversion), the admin's change log and
                    the inspections' tables (wording list, limits, link results)
    media/…         every uploaded file, under its stored name

The data is read inside one transaction that sees a single snapshot (REPEATABLE READ on
PostgreSQL, a read transaction on SQLite's WAL), so an editor saving meanwhile cannot
leave an article without its related links or revisions half written. Media files are
copied after the snapshot: a file uploaded meanwhile is simply one more file.

Content types and permissions are referred to by name (natural keys), since a new
installation numbers them its own way; every other row keeps its id, so links, URLs and
revisions stay what they were; after a restore no id a revision or the audit trail
mentions is given again (sequences.py). The search index is derived and rebuilt on
restore.
"""

import contextlib
import datetime
import hashlib
import json
import os
import posixpath
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import django
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.serializers import json as json_serializer
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from articles.ops import sequences

FORMAT = "qinglian-backup"
VERSION = 1
MANIFEST = "manifest.json"
DATA = "data.json"
MEDIA = "media/"

# What is backed up, as dumpdata labels. Sessions, login-attempt records (axes) and the
# search index are left out: they are per installation or derived. The inspections'
# tables hold what administrators maintain (wording list, freshness limits) and the
# history a quarterly inspection asks about (dead links, publication-time flags); its
# dashboard model has no table (it carries the dashboard's permissions).
LABELS = ["auth.group", "auth.user", "admin.logentry", "articles", "reversion", "inspections"]
EXCLUDED = ["articles.searchdocument", "inspections.dashboard"]
# An installation holding any of these is not empty.
CONTENT_MODELS = ["articles.Article", "articles.Channel", "articles.Source", "auth.User"]

CHUNK = 1024 * 1024
# data.json is Django's JSON fixture format, except that times keep their microseconds
# (Django's encoder cuts them to milliseconds, and a restore must give back what was).
SERIALIZER = "qinglian_json"


class PreciseJSONEncoder(json_serializer.DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class Serializer(json_serializer.Serializer):
    def _init_options(self):
        super()._init_options()
        self.json_kwargs["cls"] = PreciseJSONEncoder


Deserializer = json_serializer.Deserializer


def _register_serializer():
    if SERIALIZER not in serializers.get_serializer_formats():
        serializers.register_serializer(SERIALIZER, __name__)


class BackupError(Exception):
    """The archive is not a backup this installation can restore, or is damaged."""


def backed_up_models():
    """The models whose rows are in data.json, in a stable order."""
    excluded = {label.lower() for label in EXCLUDED}
    models = []
    for label in LABELS:
        if "." in label:
            models.append(apps.get_model(label))
        else:
            models.extend(apps.get_app_config(label).get_models())
    return [m for m in models if m._meta.label_lower not in excluded]


def media_names(storage=default_storage, path=""):
    """Every file in the media storage, as storage names."""
    try:
        directories, files = storage.listdir(path)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield posixpath.join(path, name) if path else name
    for directory in sorted(directories):
        yield from media_names(storage, posixpath.join(path, directory) if path else directory)


def _sha256_of(stream):
    digest, size = hashlib.sha256(), 0
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def applied_migrations(using=DEFAULT_DB_ALIAS):
    """{app: [migration names]} as recorded in the database."""
    found = {}
    for app, name in sorted(MigrationRecorder(connections[using]).applied_migrations()):
        found.setdefault(app, []).append(name)
    return found


@contextlib.contextmanager
def _read_transaction(connection):
    """On SQLite, a deferred (read) transaction: its snapshot is taken at the first read,
    and editors may go on saving meanwhile, whatever transaction_mode the settings give."""
    mode = getattr(connection, "transaction_mode", None)
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        connection.transaction_mode = "DEFERRED"
    try:
        yield
    finally:
        if connection.vendor == "sqlite":
            connection.transaction_mode = mode


def _snapshot_data(data_path, using):
    """dumpdata and row counts, both from one snapshot of the database."""
    connection = connections[using]
    outermost = not connection.in_atomic_block
    with _read_transaction(connection), transaction.atomic(using=using):
        if outermost and connection.vendor == "postgresql":
            # Must be the transaction's first statement. Inside a caller's transaction
            # (a test) that transaction's snapshot is used as it is.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        counts = {
            m._meta.label_lower: m._base_manager.using(using).count() for m in backed_up_models()
        }
        _register_serializer()
        call_command(
            "dumpdata",
            *LABELS,
            format=SERIALIZER,
            exclude=EXCLUDED,
            natural_foreign=True,
            use_base_manager=True,
            database=using,
            output=str(data_path),
            verbosity=0,
        )
    return counts


def backup(path, *, using=DEFAULT_DB_ALIAS, storage=default_storage, progress=None):
    """Write the whole site to the zip file ``path``; returns the manifest."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=path.parent) as work:
        data_path = Path(work) / DATA
        counts = _snapshot_data(data_path, using)
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "created_at": timezone.now().isoformat(),
            "django": django.get_version(),
            "database": connections[using].vendor,
            "migrations": applied_migrations(using),
            "counts": counts,
            "files": {},
        }
        partial = Path(work) / "backup.zip"
        with zipfile.ZipFile(partial, "w", allowZip64=True) as archive:
            with data_path.open("rb") as stream:
                sha, size = _sha256_of(stream)
            manifest["files"][DATA] = {"sha256": sha, "bytes": size}
            archive.write(data_path, DATA, compress_type=zipfile.ZIP_DEFLATED)
            for name in media_names(storage):
                member = MEDIA + name
                digest, size = hashlib.sha256(), 0
                # Images are compressed already: stored as they are.
                with storage.open(name, "rb") as source, archive.open(member, "w") as target:
                    while chunk := source.read(CHUNK):
                        digest.update(chunk)
                        size += len(chunk)
                        target.write(chunk)
                manifest["files"][member] = {"sha256": digest.hexdigest(), "bytes": size}
                if progress:
                    progress(name)
            archive.writestr(
                MANIFEST,
                json.dumps(manifest, ensure_ascii=False, indent=1),
                compress_type=zipfile.ZIP_DEFLATED,
            )
        # Only a complete archive ever carries the requested name.
        os.replace(partial, path)
    return manifest


@dataclass
class Archive:
    """An opened backup whose members have been checked against its manifest."""

    path: Path
    manifest: dict = field(default_factory=dict)

    @property
    def media(self):
        return sorted(m for m in self.manifest["files"] if m.startswith(MEDIA))


def open_backup(path):
    """Read and check a backup: format, every member's checksum, and the migrations.

    Raises BackupError, touching nothing, when the file is not a complete backup made
    by this version of qinglian or an older one.
    """
    path = Path(path)
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        raise BackupError(f"{path} is not a readable backup archive: {exc}") from exc
    with archive:
        try:
            manifest = json.loads(archive.read(MANIFEST))
        except (KeyError, ValueError) as exc:
            raise BackupError(f"{path} has no valid {MANIFEST}.") from exc
        if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
            raise BackupError(f"{path} is not a {FORMAT} version {VERSION} archive.")
        members = set(archive.namelist()) - {MANIFEST}
        listed = set(manifest["files"])
        if members != listed:
            raise BackupError(
                f"{path} does not hold the files its manifest lists "
                f"({len(listed - members)} missing, {len(members - listed)} unexpected)."
            )
        for name, expected in manifest["files"].items():
            if name != DATA and not _safe_media_name(name):
                raise BackupError(f"{path} holds a file with an unsafe name: {name!r}")
            with archive.open(name) as stream:
                sha, size = _sha256_of(stream)
            if (sha, size) != (expected["sha256"], expected["bytes"]):
                raise BackupError(f"{path} is damaged: {name} does not match its checksum.")
    _check_migrations(manifest["migrations"])
    return Archive(path, manifest)


def _safe_media_name(member):
    name = member[len(MEDIA) :]
    parts = name.split("/")
    return (
        member.startswith(MEDIA)
        and name
        and not name.startswith("/")
        and all(part not in ("", ".", "..") for part in parts)
        and "\\" not in name
    )


def _check_migrations(recorded):
    """Refuse a backup made by code with migrations this code does not have."""
    known = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    installed = {config.label for config in apps.get_app_configs()}
    unknown = [
        f"{app}.{name}"
        for app, names in recorded.items()
        for name in names
        if (app, name) not in known and app in installed
    ]
    if unknown:
        raise BackupError(
            "The backup was made by a newer version of the site (unknown migrations: "
            + ", ".join(unknown[:5])
            + "). Upgrade this installation first."
        )


def existing_content(using=DEFAULT_DB_ALIAS):
    """What the installation already holds, as {model label: rows}; empty when empty."""
    found = {}
    for label in CONTENT_MODELS:
        model = get_user_model() if label == "auth.User" else apps.get_model(label)
        count = model._base_manager.using(using).count()
        if count:
            found[model._meta.label_lower] = count
    return found


def restore(archive, *, using=DEFAULT_DB_ALIAS, storage=default_storage, progress=None):
    """Replace the database content and copy the media files of a checked ``archive``.

    The database is emptied and loaded in one transaction: if anything fails, nothing
    of the installation's data changes. Returns {model label: rows loaded}.
    """
    with zipfile.ZipFile(archive.path) as zipped:
        for member in archive.media:
            name = member[len(MEDIA) :]
            if storage.exists(name):
                storage.delete(name)
            with zipped.open(member) as source:
                stored = storage.save(name, File(source, name=posixpath.basename(name)))
            if stored != name:
                raise BackupError(f"media file {name} was stored as {stored}")
            if progress:
                progress(name)
        with tempfile.TemporaryDirectory() as work:
            # loaddata knows the format by the file's extension.
            data_path = Path(work) / f"data.{SERIALIZER}"
            _register_serializer()
            with zipped.open(DATA) as source, data_path.open("wb") as target:
                shutil.copyfileobj(source, target, CHUNK)
            with transaction.atomic(using=using):
                call_command("flush", interactive=False, database=using, verbosity=0)
                call_command("loaddata", str(data_path), database=using, verbosity=0)
                # flush gave content types new ids; the process's cache still has the old.
                ContentType.objects.clear_cache()
                sequences.keep_beyond_mentioned_ids(backed_up_models(), using)
                loaded = {
                    m._meta.label_lower: m._base_manager.using(using).count()
                    for m in backed_up_models()
                }
                expected = archive.manifest["counts"]
                wrong = {
                    label: (count, loaded.get(label))
                    for label, count in expected.items()
                    if loaded.get(label) != count
                }
                if wrong:
                    raise BackupError(f"rows loaded do not match the backup: {wrong}")
    return loaded


def reindex(using=DEFAULT_DB_ALIAS):
    """Rebuild the search index of the database restored into."""
    if using == DEFAULT_DB_ALIAS:
        call_command("rebuild_search_index", jobs=1, verbosity=0)
        return
    # rebuild_search_index works on the default database; the documents are the same.
    from articles.models import Article
    from articles.search import index

    entries = index.Entry.read(Article.objects.using(using).order_by("pk"))
    index.write_rows((entry.row() for entry in entries), using=using)
