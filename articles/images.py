"""Image uploads: the only files editors can put on the site.

A file is accepted when Pillow can decode it as one of a few web formats, within
size and pixel limits; its stored name is generated, never taken from the client.
What is stored is a copy Pillow wrote from the decoded pixels: EXIF (with any GPS
position), XMP and comments stay behind, and a photo's orientation is applied first.
"""

import io
import json
import posixpath
import uuid

from ckeditor_uploader import views as ckeditor_views
from ckeditor_uploader.views import ImageUploadView
from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse, JsonResponse
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from PIL import ExifTags, Image, ImageOps, ImageSequence

from articles.ops.security import allow_own_inline_scripts

# Pillow format name -> file extension used for the stored copy.
IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}


def inspect_image(file):
    """Return the file extension for a valid image, or raise ValidationError."""
    limit = settings.QINGLIAN_MAX_UPLOAD_BYTES
    if file.size is not None and file.size > limit:
        raise ValidationError(
            "图片文件过大（%(size)s），请压缩到 %(limit)s 以内再上传。",
            code="too_large",
            params={"size": filesizeformat(file.size), "limit": filesizeformat(limit)},
        )
    not_an_image = ValidationError(
        "只能上传 JPEG、PNG、GIF 或 WebP 格式的图片，所选文件不是有效的图片。", code="not_image"
    )
    try:
        file.seek(0)
        with Image.open(file) as image:
            kind = image.format
            width, height = image.size
            if kind not in IMAGE_FORMATS:
                raise not_an_image
            if width * height > settings.QINGLIAN_MAX_IMAGE_PIXELS:
                raise ValidationError(
                    "图片尺寸过大（%(width)s×%(height)s 像素），请缩小后再上传。",
                    code="too_many_pixels",
                    params={"width": width, "height": height},
                )
            # An animation is decoded frame by frame when it is re-written: all its
            # frames together are held to the same pixel budget.
            frames = getattr(image, "n_frames", 1)
            if frames * width * height > settings.QINGLIAN_MAX_IMAGE_PIXELS:
                raise ValidationError(
                    "动图帧数过多（%(frames)s 帧，每帧 %(width)s×%(height)s 像素），"
                    "请减少帧数或缩小尺寸后再上传。",
                    code="too_many_frames",
                    params={"frames": frames, "width": width, "height": height},
                )
            image.verify()
        # verify() does not decode pixel data; a full load catches truncated files.
        file.seek(0)
        with Image.open(file) as image:
            image.load()
    except ValidationError:
        raise
    except Exception as exc:  # Pillow raises many types for hostile input
        raise not_an_image from exc
    finally:
        file.seek(0)
    return IMAGE_FORMATS[kind]


# What Pillow would otherwise copy from the original into the new file.
METADATA = ("exif", "xmp", "comment", "extension")


def _rewrite(image, kind):
    """The image written afresh by Pillow, with no metadata but its colour profile."""
    out = io.BytesIO()
    icc = image.info.get("icc_profile")
    extra = {"icc_profile": icc} if icc else {}
    if getattr(image, "n_frames", 1) > 1:
        # Animations keep every frame, its timing and the loop count.
        durations = []
        for frame in ImageSequence.Iterator(image):
            durations.append(frame.info.get("duration", 100))
        image.seek(0)
        loop = image.info.get("loop", 0)
        for key in METADATA:
            image.info.pop(key, None)
        options = {"save_all": True, "duration": durations, "loop": loop}
        if kind == "WEBP":
            options["quality"] = 90
        image.save(out, format=kind, **options, **extra)
        return out.getvalue()
    orientation = image.getexif().get(ExifTags.Base.Orientation, 1)
    if kind == "JPEG" and orientation == 1:
        # Nothing to turn: re-use the photo's own quantization, so nothing is lost twice.
        for key in METADATA:
            image.info.pop(key, None)
        image.save(out, format="JPEG", quality="keep", subsampling="keep", **extra)
        return out.getvalue()
    upright = ImageOps.exif_transpose(image)
    for key in METADATA:
        upright.info.pop(key, None)
    options = {"JPEG": {"quality": 90}, "WEBP": {"quality": 90}}.get(kind, {})
    upright.save(out, format=kind, **options, **extra)
    return out.getvalue()


def clean_image(file):
    """Check ``file`` (as ``inspect_image``) and return (extension, bytes to store).

    The bytes are a fresh copy of the image: a photo's GPS position and camera data
    never reach the site.
    """
    ext = inspect_image(file)
    try:
        with Image.open(file) as image:
            data = _rewrite(image, image.format)
    except Exception as exc:  # a file Pillow reads but cannot write back is refused too
        raise ValidationError(
            "这张图片无法处理，请用看图软件另存为 JPEG 或 PNG 后再上传。", code="unwritable"
        ) from exc
    finally:
        file.seek(0)
    return ext, data


def validate_image_upload(value):
    """Model field validator; only newly uploaded files are inspected and rewritten."""
    if value and not getattr(value, "_committed", True):
        ext, data = clean_image(value.file)
        # The stored name (made by UploadPath) takes its extension from the real
        # format, whatever the client called the file; the content is the clean copy.
        value.name = f"upload.{ext}"
        value.file = ContentFile(data, name=value.name)


@deconstructible
class UploadPath:
    """``upload_to`` that stores a file under a generated name in a dated folder."""

    def __init__(self, folder):
        self.folder = folder

    def __call__(self, instance, filename):
        ext = posixpath.splitext(filename)[1].lower().lstrip(".")
        if ext not in IMAGE_FORMATS.values() and ext != "jpeg":
            ext = "jpg"
        return f"{self.folder}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{ext}"

    def __eq__(self, other):
        return isinstance(other, UploadPath) and other.folder == self.folder


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


def browse(request):
    """ckeditor_uploader's image browser, whose own inline scripts the CSP lets run."""
    return allow_own_inline_scripts(ckeditor_views.browse(request))
