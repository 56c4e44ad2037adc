"""CKEditor's image upload and image browser, behind the site's own checks.

Both are for staff who may add or change articles. The upload is a POST like any
other in the admin, with Django's CSRF token: drag and paste send it as X-CSRFToken,
the image dialog's form as csrfmiddlewaretoken (static/ckeditor-overrides/qinglian/
plugin.js). ckeditor_uploader stores the file and makes its thumbnail; before that,
the upload goes through ``articles.images.clean_image`` and only its clean copy is
stored.
"""

import functools
import json
import logging
import uuid

from ckeditor_uploader import utils as ckeditor_utils
from ckeditor_uploader import views as ckeditor_views
from ckeditor_uploader.views import ImageUploadView
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from articles.attachments import check_attachment
from articles.images import STORAGE_ERRORS, STORAGE_FAILED, clean_image
from articles.models import Attachment
from articles.ops.security import allow_own_inline_scripts
from articles.word import import_docx

logger = logging.getLogger(__name__)


def _may_write_articles(view):
    """Staff who may add or change articles; other staff get 403 (issue 21 #12)."""

    @functools.wraps(view)
    def checked(request, *args, **kwargs):
        user = request.user
        if not (user.has_perm("articles.add_article") or user.has_perm("articles.change_article")):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return staff_member_required(checked)


def _refuse(request, message):
    func_num = request.GET.get("CKEditorFuncNum")
    if func_num and func_num.isdigit():
        # The image dialog uploads into an iframe and expects a callback.
        return allow_own_inline_scripts(
            HttpResponse(
                "<script>window.parent.CKEDITOR.tools.callFunction("
                f"{func_num}, '', {json.dumps(message)});</script>"
            ),
            framed=True,
        )
    return JsonResponse({"uploaded": 0, "error": {"message": message}})


@xframe_options_sameorigin  # the image dialog loads the answer into its own iframe
@require_POST
@_may_write_articles
def upload(request):
    func_num = request.GET.get("CKEditorFuncNum")
    if func_num is not None and not func_num.isdigit():
        # ckeditor_uploader writes this value into a script; anything but a number is
        # dropped, and the answer comes as JSON instead.
        request.GET = request.GET.copy()
        del request.GET["CKEditorFuncNum"]
    file = request.FILES.get("upload")
    if file is None:
        return _refuse(request, "没有收到文件，请重新选择图片。")
    try:
        ext, data = clean_image(file)
    except ValidationError as exc:
        return _refuse(request, exc.messages[0])
    # ckeditor_uploader stores (and makes the thumbnail of) the clean copy, under the
    # name worked out here: a generated name is never taken, so it keeps it.
    name = f"{uuid.uuid4().hex}.{ext}"
    path = ckeditor_views.get_upload_filename(name, request)
    request.FILES["upload"] = SimpleUploadedFile(name, data)
    try:
        response = ImageUploadView.as_view()(request)
    except STORAGE_ERRORS:
        logger.exception("Storing the uploaded image %s failed", path)
        _remove(path, ckeditor_utils.get_thumb_filename(path))
        return _refuse(request, STORAGE_FAILED)
    return allow_own_inline_scripts(response, framed=True)


def _remove(*paths):
    """What a failed upload left: the image without its thumbnail, say."""
    for path in paths:
        try:
            if ckeditor_utils.storage.exists(path):
                ckeditor_utils.storage.delete(path)
        except STORAGE_ERRORS:
            logger.exception("Could not remove %s after a failed upload", path)


@never_cache
@_may_write_articles
def browse(request):
    """ckeditor_uploader's image browser, whose own inline scripts the CSP lets run."""
    return allow_own_inline_scripts(ckeditor_views.browse(request))


@require_POST
@_may_write_articles
def word(request):
    """A .docx turned into body HTML for the editor to insert (the 导入Word button of
    static/ckeditor-overrides/qinglianformat/plugin.js); nothing is saved but its pictures."""
    file = request.FILES.get("upload")
    if file is None:
        return JsonResponse({"error": "没有收到文件，请重新选择 Word 文件。"}, status=400)
    try:
        imported = import_docx(file)
    except ValidationError as exc:
        return JsonResponse({"error": exc.messages[0]}, status=400)
    except STORAGE_ERRORS:
        logger.exception("Storing the pictures of an imported Word document failed")
        return JsonResponse({"error": STORAGE_FAILED}, status=500)
    return JsonResponse({"html": imported.html, "messages": imported.messages})


@xframe_options_sameorigin  # the link dialog loads the answer into its own iframe
@require_POST
@_may_write_articles
def attachment(request):
    """The link dialog's 上传 tab: a file checked as an attachment (articles/attachments.py)
    and stored; it becomes the attachment of the article that links it when that is
    saved (``claim_linked``)."""
    file = request.FILES.get("upload")
    if file is None:
        return _refuse(request, "没有收到文件，请重新选择。")
    try:
        check_attachment(file)
        stored = Attachment.objects.create(file=file)
    except ValidationError as exc:
        return _refuse(request, exc.messages[0])
    except STORAGE_ERRORS:
        logger.exception("Storing an attached file failed")
        return _refuse(request, "文件没有保存：服务器的存储空间已满或无法写入。请稍后再试。")
    url = stored.file.url
    func_num = request.GET.get("CKEditorFuncNum")
    if func_num and func_num.isdigit():
        return allow_own_inline_scripts(
            HttpResponse(
                "<script>window.parent.CKEDITOR.tools.callFunction("
                f"{func_num}, {json.dumps(url)}, '');</script>"
            ),
            framed=True,
        )
    return JsonResponse({"uploaded": 1, "fileName": stored.display_name, "url": url})
