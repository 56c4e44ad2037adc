"""CKEditor's image upload and image browser, behind the site's own checks.

ckeditor_uploader stores the file and makes its thumbnail; before that, the upload
goes through ``articles.images.clean_image`` and only its clean copy is stored.
"""

import json
import uuid

from ckeditor_uploader import views as ckeditor_views
from ckeditor_uploader.views import ImageUploadView
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from articles.images import clean_image
from articles.ops.security import allow_own_inline_scripts


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
@csrf_exempt  # CKEditor posts without Django's token; the session cookie is SameSite=Lax.
@require_POST
@staff_member_required
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
    # ckeditor_uploader stores (and makes the thumbnail of) the clean copy.
    request.FILES["upload"] = SimpleUploadedFile(f"{uuid.uuid4().hex}.{ext}", data)
    return allow_own_inline_scripts(ImageUploadView.as_view()(request), framed=True)


@never_cache
@staff_member_required
def browse(request):
    """ckeditor_uploader's image browser, whose own inline scripts the CSP lets run."""
    return allow_own_inline_scripts(ckeditor_views.browse(request))
