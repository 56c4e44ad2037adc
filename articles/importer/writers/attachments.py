"""Uploads: images copied from the PHPCMS upload folder through the same checks as an
editor's upload; links in bodies pointed at the copies."""

import posixpath
import re
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from articles.attachments import check_attachment
from articles.images import clean_image
from articles.importer.writers.records import fingerprint
from articles.models import Attachment

IMAGE_EXTENSIONS = {"jpg", "jpeg", "png", "gif", "webp", "bmp"}
_SAFE_PATH = re.compile(r"[0-9A-Za-z_\-./]+")
_LINK = re.compile(r"""(\b(?:src|href)\s*=\s*)(["'])([^"']*?uploadfile/([^"'?#]+))\2""", re.I)


def stored_name(filepath, ext):
    """Where an imported image is kept: beside the editor's uploads, named after its old
    path, so a second run finds it again."""
    stem = posixpath.splitext(filepath)[0]
    return f"{settings.CKEDITOR_UPLOAD_PATH.strip('/')}/phpcms/{stem}.{ext}"


def media_url(name):
    return f"{settings.MEDIA_URL.rstrip('/')}/{name}"


class Attachments:
    def __init__(self, uploads, records, report, dry_run=False):
        self.uploads = Path(uploads) if uploads else None
        self.records = records
        self.report = report
        self.dry_run = dry_run
        self.url_of = {}  # old filepath -> new URL

    def write(self, attachments, progress):
        if self.uploads is None and attachments:
            self.report.problem(
                "attachment", f"未指定 --uploads，{len(attachments)} 个附件未复制，正文仍指向旧地址"
            )
            self.report.count("attachment", "skipped", len(attachments))
            return
        for attachment in progress(attachments, "附件"):
            self._one(attachment)

    def _one(self, attachment):
        filepath = attachment.filepath.strip().lstrip("/")
        where = f"附件 {attachment.aid}（{filepath}）"
        if not _SAFE_PATH.fullmatch(filepath) or ".." in filepath.split("/"):
            self.report.skip("attachment", f"{where} 路径不安全，未复制")
            return
        path = self.uploads / filepath
        if not path.is_file():
            self.report.skip("attachment", f"{where} 文件不存在")
            return
        stat = path.stat()
        key = f"attachment:{attachment.aid}"
        digest = fingerprint(filepath, stat.st_size, int(stat.st_mtime))
        record = self.records.get(key)
        if record and record.fingerprint == digest and record.target:
            self.url_of[filepath] = media_url(record.target)
            self.report.count("attachment", "unchanged")
            return
        ext = attachment.fileext or posixpath.splitext(filepath)[1].lstrip(".").lower()
        if not (attachment.isimage or ext in IMAGE_EXTENSIONS):
            self._file(attachment, path, filepath, (key, digest, record), where)
            return
        try:
            with path.open("rb") as handle:
                ext, data = clean_image(File(handle, name=path.name))
        except ValidationError as exc:
            self.report.skip("attachment", f"{where} 不是可用的图片：{exc.messages[0]}")
            return
        name = stored_name(filepath, ext)
        if not self.dry_run:
            if default_storage.exists(name):
                default_storage.delete(name)
            name = default_storage.save(name, ContentFile(data))
            self.records.keep(key, attachment.aid, digest, {"file": filepath}, target=name)
        self.url_of[filepath] = media_url(name)
        self.report.count("attachment", "updated" if record else "created")

    def _file(self, attachment, path, filepath, memory, where):
        """A document or video: an Attachment, through the checks of an editor's upload
        (its type read from its content, its size); its article is the one whose body
        links it (``claim_linked``, when the article is written)."""
        key, digest, record = memory
        stored = posixpath.basename(filepath)
        with path.open("rb") as handle:
            upload = File(handle, name=stored)
            try:
                check_attachment(upload)
            except ValidationError as exc:
                self.report.skip("attachment", f"{where} 未导入：{exc.messages[0]}")
                return
            self.report.count("attachment", "updated" if record else "created")
            if self.dry_run:
                return
            name = attachment.filename.strip() or stored
            item = Attachment.objects.filter(pk=record.target_id).first() if record else None
            if item is None:
                item = Attachment(name=name[:200])
            elif item.file:
                item.file.delete(save=False)
            item.file = upload
            item.save()
        self.records.keep(key, item.pk, digest, {"file": filepath}, target=item.file.name)
        self.url_of[filepath] = item.file.url

    def rewrite(self, html):
        """Links and images under …/uploadfile/ pointed at the imported copies (matched
        by the path after uploadfile/, whatever host or upload_url the old site used)."""
        if "uploadfile/" not in html:
            return html

        def replace(match):
            url = self.url_of.get(match[4])
            return f"{match[1]}{match[2]}{url}{match[2]}" if url else match[0]

        return _LINK.sub(replace, html)

    def url(self, old):
        match = re.search(r"uploadfile/([^\"'?#]+)", old or "")
        return self.url_of.get(match[1]) if match else None

    def stored(self, old):
        """The storage name of the imported copy of an old upload URL, or None."""
        url = self.url(old)
        prefix = f"{settings.MEDIA_URL.rstrip('/')}/"
        return url.removeprefix(prefix) if url and url.startswith(prefix) else None
