"""Attached files (附件): which kinds an article may carry, and how a file is recognised.

A file is recognised by what it holds, never by its name: a PDF starts with ``%PDF-``,
the old Office and WPS formats are OLE2 compound files, the new Office formats and OFD
are zip packages holding the parts their standards name, an MP4 opens with an ``ftyp``
box. The name's extension must agree with the content, so an executable or a web page
renamed to ``.pdf`` is refused, and a file is served (articles/portal/files.py) with the
type its content proved and ``X-Content-Type-Options: nosniff``.
"""

import posixpath
import secrets
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.text import get_valid_filename

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP = (b"PK\x03\x04", b"PK\x05\x06")


class Kind:
    def __init__(self, ext, label, content_type, family, members=()):
        self.ext = ext
        self.label = label  # what readers and editors call it
        self.content_type = content_type
        self.family = family  # "pdf", "ole2", "zip" or "mp4": how the content is checked
        self.members = members  # zip packages: the parts its standard requires

    @property
    def inline(self):
        """Whether browsers may open it in place instead of downloading it."""
        return self.ext in ("pdf", "mp4")


KINDS = {
    kind.ext: kind
    for kind in (
        Kind("pdf", "PDF 文档", "application/pdf", "pdf"),
        Kind("doc", "Word 文档", "application/msword", "ole2"),
        Kind(
            "docx",
            "Word 文档",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "zip",
            ("[Content_Types].xml", "word/document.xml"),
        ),
        Kind("xls", "Excel 表格", "application/vnd.ms-excel", "ole2"),
        Kind(
            "xlsx",
            "Excel 表格",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "zip",
            ("[Content_Types].xml", "xl/workbook.xml"),
        ),
        Kind("wps", "WPS 文字", "application/vnd.ms-works", "ole2"),
        Kind("et", "WPS 表格", "application/vnd.ms-excel", "ole2"),
        Kind("ofd", "OFD 版式文档", "application/ofd", "zip", ("OFD.xml",)),
        Kind("zip", "压缩包", "application/zip", "zip"),
        Kind("mp4", "MP4 视频", "video/mp4", "mp4"),
    )
}

ACCEPTED = "PDF、Word（doc、docx）、Excel（xls、xlsx）、WPS（wps、et）、OFD、zip 或 MP4"
# For the file picker: a hint to the browser, not a check.
ACCEPT_ATTRIBUTE = ",".join(f".{ext}" for ext in KINDS)


def size_label(size):
    """A file size as readers read it: 23 KB, 1.4 MB."""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{round(size / 1024)} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def extension(name):
    return posixpath.splitext(name or "")[1].lower().lstrip(".")


def _head(file, count):
    file.seek(0)
    data = file.read(count)
    file.seek(0)
    return data


def _content_is(kind, file):
    head = _head(file, 16)
    if kind.family == "pdf":
        # The standard allows a little junk before the header; writers in the wild use it.
        return b"%PDF-" in _head(file, 1024)
    if kind.family == "ole2":
        return head.startswith(OLE2)
    if kind.family == "mp4":
        return head[4:8] == b"ftyp"
    if not head.startswith(ZIP):
        return False
    try:
        with zipfile.ZipFile(file) as package:
            names = set(package.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        file.seek(0)
    return all(member in names for member in kind.members)


def check_attachment(file, name=None):
    """The ``Kind`` of an uploaded file, or ``ValidationError`` in words an editor reads."""
    name = name or getattr(file, "name", "") or ""
    display = posixpath.basename(name.replace("\\", "/"))
    kind = KINDS.get(extension(name))
    if kind is None:
        raise ValidationError(
            f"不能上传“{display}”：附件只能是 {ACCEPTED} 文件。", code="attachment_type"
        )
    size = file.size
    limit = settings.QINGLIAN_MAX_ATTACHMENT_BYTES
    if size > limit:
        raise ValidationError(
            f"“{display}”太大（{size_label(size)}），附件最大 {size_label(limit)}。"
            "视频请先压缩，或分成几段上传。",
            code="attachment_size",
        )
    if not size or not _content_is(kind, file):
        raise ValidationError(
            f"“{display}”的内容不是{kind.label}（.{kind.ext}），可能是改了扩展名的其他文件，"
            "已拒绝上传。请上传原始文件。",
            code="attachment_content",
        )
    return kind


def validate_attachment(value):
    """Model field validator: only a newly uploaded file is inspected."""
    if value and not getattr(value, "_committed", True):
        check_attachment(value.file, value.name)


@deconstructible
class AttachmentPath:
    """``upload_to``: a random folder per file, so that no address can be guessed, and
    the editor's file name inside it, so that a download keeps its name."""

    def __call__(self, instance, filename):
        ext = extension(filename)
        stem = get_valid_filename(posixpath.splitext(posixpath.basename(filename))[0])[:80]
        return f"attachments/{secrets.token_hex(16)}/{stem or 'file'}.{ext}"

    def __eq__(self, other):
        return isinstance(other, AttachmentPath)
