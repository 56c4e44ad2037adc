"""Attached files served by Django: on a laptop, and wherever nginx does not serve the
media folder itself (docs/deploying.md gives nginx the same headers).

Every file is one the site checked on upload (articles/attachments.py); it goes out with
the type its content proved, ``X-Content-Type-Options: nosniff`` and, except PDF and MP4,
``Content-Disposition: attachment``, so that a browser never renders it as a page.

A request for one byte range is answered with that range (206), as nginx does: a video
cannot be sought without it, and Safari (iPhones) will not play one at all.
"""

import re

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from articles.images import STORAGE_ERRORS
from articles.models import Attachment

ONE_RANGE = re.compile(r"bytes=(\d*)-(\d*)")
CHUNK = 64 * 1024


class Unsatisfiable(Exception):
    pass


def byte_range(header, size):
    """(first, last) byte of the one range asked for, or None for the whole file.

    What is not a single range of bytes (several ranges, other units, nonsense) gets
    the whole file, as the standard allows; a range wholly past the end is refused.
    """
    match = ONE_RANGE.fullmatch(header.replace(" ", ""))
    if match is None or match.group(1) == match.group(2) == "":
        return None
    first, last = match.group(1), match.group(2)
    if first == "":  # the last N bytes
        if int(last) == 0:
            raise Unsatisfiable
        return max(size - int(last), 0), size - 1
    first = int(first)
    last = size - 1 if last == "" else min(int(last), size - 1)
    if first >= size:
        raise Unsatisfiable
    if last < first:
        return None
    return first, last


def _part(stream, first, last):
    with stream:
        stream.seek(first)
        left = last - first + 1
        while left > 0:
            chunk = stream.read(min(CHUNK, left))
            if not chunk:
                return
            left -= len(chunk)
            yield chunk


@require_safe
def attachment(request, token, name):
    # Only files the site recorded: nothing else under the folder is served.
    found = Attachment.objects.filter(file=f"attachments/{token}/{name}").first()
    if found is None or found.info is None:
        raise Http404("没有这个附件")
    try:
        stream = default_storage.open(found.file.name, "rb")
        size = found.file.size
    except STORAGE_ERRORS as exc:
        raise Http404("没有这个附件") from exc
    kind = found.info
    wanted = request.headers.get("Range", "")
    # A conditional range (If-Range) is answered whole: the files carry no validators.
    try:
        span = byte_range(wanted, size) if wanted and "If-Range" not in request.headers else None
    except Unsatisfiable:
        stream.close()
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return response
    if span is None:
        response = FileResponse(
            stream,
            as_attachment=not kind.inline,
            filename=found.display_name,
            content_type=kind.content_type,
        )
    else:
        first, last = span
        response = StreamingHttpResponse(
            _part(stream, first, last), status=206, content_type=kind.content_type
        )
        response["Content-Range"] = f"bytes {first}-{last}/{size}"
        response["Content-Length"] = str(last - first + 1)
        response["Content-Disposition"] = content_disposition_header(
            not kind.inline, found.display_name
        )
    response["Accept-Ranges"] = "bytes"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=2592000"
    return response
