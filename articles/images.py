"""Image uploads: the only files editors can put on the site.

A file is accepted when Pillow can decode it as one of a few web formats, within
size and pixel limits; its stored name is generated, never taken from the client.
What is stored is a copy Pillow wrote from the decoded pixels: EXIF (with any GPS
position), XMP and comments stay behind, a photo's orientation is applied first, and
the only colour profile stored is one the site built (sRGB).

Decoding costs what the pixels cost, not what the file weighs: a 55 KB GIF can hold a
9000x9000 frame behind a 1x1 screen. So every frame's real extent and the number of
frames are read from the file's headers before a single pixel is decoded, and the
work is held to the site's pixel limit, a frame cap and a deadline
(bench/image_bench.py measures the worst file that is still accepted).
"""

import contextlib
import io
import posixpath
import struct
import time
import uuid
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.signals import setting_changed
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from PIL import ExifTags, Image, ImageCms, ImageOps, ImageSequence

# Pillow format name -> file extension used for the stored copy.
IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}
# Twelve seconds at 25 frames a second: more than any picture in a news article needs.
MAX_FRAMES = 300
# Image work in a request stops here, well before gunicorn kills the worker (30 s).
WORK_SECONDS = 15


def _follow_pixel_limit(setting="QINGLIAN_MAX_IMAGE_PIXELS", **kwargs):
    """Pillow's own bomb check uses the site's limit, for every image opened anywhere
    (thumbnails, renditions, Django's ImageField): it warns past the limit and refuses
    past twice the limit."""
    if setting == "QINGLIAN_MAX_IMAGE_PIXELS":
        Image.MAX_IMAGE_PIXELS = settings.QINGLIAN_MAX_IMAGE_PIXELS


_follow_pixel_limit()
setting_changed.connect(_follow_pixel_limit)

NOT_AN_IMAGE = "只能上传 JPEG、PNG、GIF 或 WebP 格式的图片，所选文件不是有效的图片。"


def _not_an_image():
    return ValidationError(NOT_AN_IMAGE, code="not_image")


def _too_many_pixels(width, height):
    return ValidationError(
        "图片尺寸过大（%(width)s×%(height)s 像素），请缩小后再上传。",
        code="too_many_pixels",
        params={"width": width, "height": height},
    )


def _skip_sub_blocks(data, pos):
    """The position after a chain of GIF data sub-blocks starting at ``pos``."""
    while data[pos]:
        pos += data[pos] + 1
    return pos + 1


def gif_extent(data):
    """((width, height), frames) of a GIF, read from its blocks without decoding.

    The size is the canvas Pillow allocates: the logical screen grown to hold every
    frame's rectangle. Counting stops one frame past MAX_FRAMES.
    """
    width, height = struct.unpack_from("<HH", data, 6)
    flags = data[10]
    pos = 13 + (3 << ((flags & 7) + 1) if flags & 0x80 else 0)
    frames = 0
    while pos < len(data) and frames <= MAX_FRAMES:
        block = data[pos]
        if block == 0x3B:  # trailer
            break
        if block == 0x21:  # extension: label, then sub-blocks
            pos = _skip_sub_blocks(data, pos + 2)
        elif block == 0x2C:  # image descriptor
            left, top, w, h, flags = struct.unpack_from("<HHHHB", data, pos + 1)
            pos += 10 + (3 << ((flags & 7) + 1) if flags & 0x80 else 0)
            pos = _skip_sub_blocks(data, pos + 1)  # after the LZW code size
            width, height = max(width, left + w), max(height, top + h)
            frames += 1
        else:
            raise ValueError(f"not a GIF block: {block:#x}")
    return (width, height), frames


def _extent(image, file):
    """((width, height), frames) that decoding ``image`` will really cost."""
    if image.format == "GIF":
        file.seek(0)
        return gif_extent(file.read())
    # PNG and WebP frames are composited into the canvas, which Pillow checks each
    # frame against; their frame count is read from a header (acTL, the WebP demuxer).
    return image.size, getattr(image, "n_frames", 1)


def _check_extent(size, frames, limit):
    width, height = size
    if width * height > limit:
        raise _too_many_pixels(width, height)
    if frames > MAX_FRAMES:
        raise ValidationError(
            "动图帧数过多（超过 %(max)s 帧），请减少帧数或改用视频后再上传。",
            code="too_many_frames",
            params={"max": MAX_FRAMES},
        )
    # An animation is decoded frame by frame when it is re-written: all its frames
    # together are held to the same pixel budget.
    if frames * width * height > limit:
        raise ValidationError(
            "动图帧数过多（%(frames)s 帧，每帧 %(width)s×%(height)s 像素），"
            "请减少帧数或缩小尺寸后再上传。",
            code="too_many_frames",
            params={"frames": frames, "width": width, "height": height},
        )


def _open(file):
    file.seek(0)
    return Image.open(file, formats=list(IMAGE_FORMATS))


def inspect_image(file):
    """Return the file extension for a valid image, or raise ValidationError.

    Nothing here decodes pixels: sizes, frames and the file's structure only.
    """
    limit = settings.QINGLIAN_MAX_IMAGE_PIXELS
    max_bytes = settings.QINGLIAN_MAX_UPLOAD_BYTES
    if file.size is not None and file.size > max_bytes:
        raise ValidationError(
            "图片文件过大（%(size)s），请压缩到 %(limit)s 以内再上传。",
            code="too_large",
            params={"size": filesizeformat(file.size), "limit": filesizeformat(max_bytes)},
        )
    try:
        with warnings.catch_warnings():
            # Past the limit Pillow only warns; _check_extent refuses with the size.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with _open(file) as image:
                kind = image.format
                _check_extent(*_extent(image, file), limit)
                image.verify()
    except ValidationError:
        raise
    except Image.DecompressionBombError as exc:
        # Twice the limit or more: Pillow refuses before the size could be read back.
        raise ValidationError(
            "图片尺寸过大（超过 %(limit)s 万像素），请缩小后再上传。",
            code="too_many_pixels",
            params={"limit": limit // 10_000},
        ) from exc
    except Exception as exc:  # Pillow raises many types for hostile input
        raise _not_an_image() from exc
    finally:
        file.seek(0)
    return IMAGE_FORMATS[kind]


def _decode(image, deadline):
    """The image's frames, decoded (copies, since seeking re-uses the image)."""
    if getattr(image, "n_frames", 1) == 1:
        image.load()
        return [image]
    frames = []
    for frame in ImageSequence.Iterator(image):
        if time.monotonic() > deadline:
            raise ValidationError(
                "这张动图处理时间过长，请减少帧数或缩小尺寸后再上传。", code="too_slow"
            )
        frames.append(frame.copy())
    return frames


# What Pillow would otherwise copy from the original into the new file.
METADATA = ("exif", "xmp", "comment", "extension", "icc_profile")

# The only colour profile stored: built here, so that no uploader's bytes hide in one
# (LittleCMS keeps unknown tags when it re-writes a profile it has read).
SRGB = ImageCms.createProfile("sRGB")
SRGB_ICC = ImageCms.ImageCmsProfile(SRGB).tobytes()


def _profile(icc):
    """(profile, says sRGB) for ICC bytes; (None, False) for bytes that are no profile."""
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        return profile, "srgb" in ImageCms.getProfileDescription(profile).lower()
    except (OSError, ValueError, ImageCms.PyCMSError):
        return None, False


def _in_srgb(image, icc):
    """(image, profile to store): ``image`` with colours in sRGB, and SRGB_ICC or None.

    A profile that says sRGB is replaced by the site's own; another one is used to
    convert the colours into sRGB; one that is no valid profile is dropped.
    """
    if not icc or image.mode not in ("RGB", "RGBA", "CMYK"):
        return image, None
    profile, is_srgb = _profile(icc)
    if profile is None:
        return image, None
    if is_srgb and image.mode != "CMYK":
        return image, SRGB_ICC
    try:
        mode = "RGBA" if image.mode == "RGBA" else "RGB"
        return ImageCms.profileToProfile(image, profile, SRGB, outputMode=mode), SRGB_ICC
    except (OSError, ValueError, ImageCms.PyCMSError):
        return image, None


def _strip(image):
    for key in METADATA:
        image.info.pop(key, None)


def _rewrite(frames, kind):
    """The image written afresh by Pillow, with no metadata but a colour profile it built."""
    out = io.BytesIO()
    image = frames[0]
    icc = image.info.get("icc_profile")
    if len(frames) > 1:
        # Animations keep every frame, its timing and the loop count; their colours are
        # not converted frame by frame: only an sRGB profile is kept.
        icc = SRGB_ICC if icc and _profile(icc)[1] else None
        durations = [frame.info.get("duration", 100) for frame in frames]
        loop = image.info.get("loop", 0)
        _strip(image)
        options = {"save_all": True, "append_images": frames[1:], "duration": durations}
        if kind == "WEBP":
            options["quality"] = 90
        if icc:
            options["icc_profile"] = icc
        image.save(out, format=kind, loop=loop, **options)
        return out.getvalue()
    orientation = image.getexif().get(ExifTags.Base.Orientation, 1)
    upright = image if orientation == 1 else ImageOps.exif_transpose(image)
    coloured, icc = _in_srgb(upright, icc)
    extra = {"icc_profile": icc} if icc else {}
    if kind == "JPEG" and coloured is image:
        # Nothing turned or converted: re-use the photo's own quantization, so that
        # nothing is lost twice.
        _strip(image)
        image.save(out, format="JPEG", quality="keep", subsampling="keep", **extra)
        return out.getvalue()
    _strip(coloured)
    options = {"JPEG": {"quality": 90}, "WEBP": {"quality": 90}}.get(kind, {})
    coloured.save(out, format=kind, **options, **extra)
    return out.getvalue()


def clean_image(file):
    """Check ``file`` (as ``inspect_image``) and return (extension, bytes to store).

    The bytes are a fresh copy of the image: a photo's GPS position and camera data
    never reach the site.
    """
    ext = inspect_image(file)
    deadline = time.monotonic() + WORK_SECONDS
    try:
        with _open(file) as image:
            kind = image.format
            try:
                frames = _decode(image, deadline)
            except ValidationError:
                raise
            except Exception as exc:  # truncated or corrupt pixel data
                raise _not_an_image() from exc
            try:
                data = _rewrite(frames, kind)
            except Exception as exc:  # a file Pillow reads but cannot write back
                raise ValidationError(
                    "这张图片无法处理，请用看图软件另存为 JPEG 或 PNG 后再上传。",
                    code="unwritable",
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


# --- Storing them ---------------------------------------------------------------------


def _storage_errors():
    """What writing to the media storage raises when the disk or the bucket fails."""
    errors = [OSError]
    with contextlib.suppress(ImportError):  # S3 (django-storages) in production
        from botocore.exceptions import BotoCoreError, ClientError

        errors += [BotoCoreError, ClientError]
    return tuple(errors)


STORAGE_ERRORS = _storage_errors()
STORAGE_FAILED = (
    "图片没有保存：服务器的存储空间已满或无法写入。请稍后再试，并告诉网站的系统管理员。"
)


class MediaStorage(FileSystemStorage):
    """The media folder, where a file whose writing fails is removed.

    A full disk stops a write part-way; Django's FileSystemStorage leaves the empty or
    cut-off file, which the image browser would then list as a picture.
    """

    def _save(self, name, content):
        existed = self.exists(name)
        try:
            return super()._save(name, content)
        except Exception:
            if not existed:
                with contextlib.suppress(OSError):
                    self.delete(name)
            raise
