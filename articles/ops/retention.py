"""How long the files of deleted articles stay: ``clean_attachments`` (a daily timer).

An attachment leaves the site when its article was deleted (or its row removed from the
form) more than ``QINGLIAN_ATTACHMENT_RETENTION_DAYS`` days ago, and no saved revision
(django-reversion) mentions its file any more: restoring a deleted article or an older
version from the history must find its files where they were.
"""

import datetime
import logging
import posixpath

from django.conf import settings
from django.core.files.storage import default_storage
from django.db.models.functions import Coalesce
from django.utils import timezone
from reversion.models import Version

from articles.images import STORAGE_ERRORS
from articles.models import Attachment

logger = logging.getLogger(__name__)
FOLDER = "attachments"


def _linked_by_a_revision(name):
    # The random folder is unique to the file and plain ASCII, however the JSON of a
    # revision escapes the file's own (Chinese) name.
    folder = posixpath.dirname(name) + "/"
    return Version.objects.filter(serialized_data__contains=folder).exists()


def _stored_files(storage):
    try:
        folders, _ = storage.listdir(FOLDER)
    except (FileNotFoundError, NotADirectoryError):
        return
    for folder in folders:
        _, files = storage.listdir(f"{FOLDER}/{folder}")
        for file in files:
            yield f"{FOLDER}/{folder}/{file}"


def _remove(storage, name):
    try:
        storage.delete(name)
    except STORAGE_ERRORS:
        logger.exception("Could not remove the attachment %s", name)
        return False
    return True


def clean_attachments(now=None, storage=default_storage, dry_run=False):
    """Remove what has been kept long enough; returns the storage names removed."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.QINGLIAN_ATTACHMENT_RETENTION_DAYS)
    removed = []
    detached = (
        Attachment.objects.filter(article__isnull=True)
        .annotate(since=Coalesce("detached_at", "created_at"))
        .filter(since__lt=cutoff)
    )
    for attachment in detached:
        name = attachment.file.name
        if _linked_by_a_revision(name):
            continue
        if not dry_run and storage.exists(name) and not _remove(storage, name):
            continue
        if not dry_run:
            attachment.delete()
        removed.append(name)
    # Files whose row was taken off the article form: nothing records them but the disk.
    recorded = set(Attachment.objects.values_list("file", flat=True))
    for name in _stored_files(storage):
        if name in recorded or name in removed:
            continue
        try:
            if storage.get_modified_time(name) >= cutoff:
                continue
        except (NotImplementedError, *STORAGE_ERRORS):
            continue
        if _linked_by_a_revision(name):
            continue
        if dry_run or _remove(storage, name):
            removed.append(name)
    return removed
