"""What an uploaded image costs the request that checks and rewrites it.

    .venv/bin/python bench/image_bench.py [--only NAME]

Builds the worst files the upload still accepts (the most pixels, frames and bytes
the limits allow, in each format) and the hostile files of issue 21 #1, then runs
``articles.images.clean_image`` on each in a fresh process (so that its peak memory
is its own) followed by the thumbnail ckeditor_uploader makes. For each file it
prints the file's size, the outcome (stored or the refusal), the wall-clock time and
the peak resident memory added by the work (getrusage; Pillow's pixel buffers are
not seen by tracemalloc). Timings depend on the machine: compare runs on one machine.
"""

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def worst_files(limit, max_frames):
    """name -> bytes: accepted files at the limits, then hostile ones."""
    from PIL import Image, ImageCms

    from tests.hostile_images import (
        gif,
        gif_frame,
        gif_with_hidden_giant_frame,
        gif_with_many_frames,
    )

    files = {}
    side_w, side_h = 8000, limit // 8000  # 40 Mpx, a camera's full resolution
    photo = Image.radial_gradient("L").resize((side_w, side_h)).convert("RGB")
    buffer = io.BytesIO()
    photo.save(buffer, format="JPEG", quality=95)
    files["jpeg-40mpx"] = buffer.getvalue()
    # The same photo whose profile is not sRGB: its colours are converted, a second copy.
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    other = srgb.replace("sRGB".encode("utf-16-be"), "xRGB".encode("utf-16-be"))
    buffer = io.BytesIO()
    photo.save(buffer, format="JPEG", quality=95, icc_profile=other)
    files["jpeg-40mpx-other-profile"] = buffer.getvalue()
    buffer = io.BytesIO()
    photo.convert("RGBA").save(buffer, format="PNG")
    files["png-40mpx-rgba"] = buffer.getvalue()
    buffer = io.BytesIO()
    photo.save(buffer, format="WEBP", quality=80)
    files["webp-40mpx"] = buffer.getvalue()
    side = int((limit // max_frames) ** 0.5)
    # Every frame differs (a square moves over a gradient), so every one is decoded
    # and written, yet the file stays under the byte limit.
    background = Image.radial_gradient("L").resize((side, side)).convert("RGB")
    frames = []
    for i in range(max_frames):
        frame = background.copy()
        frame.paste((200, 30, 30), (i % (side - 20), 10, i % (side - 20) + 20, 30))
        frames.append(frame)
    for fmt in ("GIF", "WEBP", "PNG"):
        buffer = io.BytesIO()
        frames[0].save(buffer, format=fmt, save_all=True, append_images=frames[1:], duration=40)
        files[f"{fmt.lower()}-{max_frames}-frames-{side}px"] = buffer.getvalue()
    big = int(limit**0.5)
    files[f"gif-one-frame-{big}px"] = gif([gif_frame(big, big)], screen=(big, big))
    files["HOSTILE gif-1x1-screen-9000px-frame"] = gif_with_hidden_giant_frame((9000, 9000))
    files["HOSTILE gif-frame-at-60000"] = gif([gif_frame(1, 1), gif_frame(1, 1, 60000, 60000)])
    files["HOSTILE gif-100000-frames"] = gif_with_many_frames(100_000)
    buffer = io.BytesIO()
    Image.new("1", (12000, 12000)).save(buffer, format="PNG")
    files["HOSTILE png-12000px-bomb"] = buffer.getvalue()
    return files


def measure(path):
    """In this (fresh) process: clean and thumbnail one file; print a JSON line."""
    import django

    django.setup()
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from articles.images import clean_image

    upload = SimpleUploadedFile(Path(path).name, Path(path).read_bytes())
    # The peak is reset here: ru_maxrss would carry the parent's peak across exec.
    Path("/proc/self/clear_refs").write_text("5")
    before = _status("VmRSS")
    start = time.perf_counter()
    try:
        ext, data = clean_image(upload)
        with Image.open(io.BytesIO(data)) as image:
            image.thumbnail((75, 75))  # what ckeditor_uploader's PillowBackend does
        outcome = f"stored .{ext}, {len(data) / 1e6:.1f} MB"
    except ValidationError as exc:
        outcome = "refused: " + exc.messages[0]
    seconds = time.perf_counter() - start
    peak = _status("VmHWM") - before
    print(json.dumps({"seconds": seconds, "peak_mb": peak / 1024, "outcome": outcome}))


def _status(field):
    """A memory figure of this process in kB, from /proc/self/status (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise LookupError(field)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="run only the files whose name contains this")
    args = parser.parse_args()
    import django

    django.setup()
    from django.conf import settings

    from articles.images import MAX_FRAMES

    limit = settings.QINGLIAN_MAX_IMAGE_PIXELS
    print(f"pixel limit {limit:,}, frame cap {MAX_FRAMES}, ", end="")
    print(f"byte limit {settings.QINGLIAN_MAX_UPLOAD_BYTES / 1e6:.1f} MB")
    with tempfile.TemporaryDirectory(prefix="qinglian-image-bench-") as workdir:
        for name, data in worst_files(limit, MAX_FRAMES).items():
            if args.only and args.only not in name:
                continue
            path = Path(workdir) / name.replace(" ", "_")
            path.write_bytes(data)
            run = subprocess.run(
                [sys.executable, __file__, "--measure", str(path)],
                capture_output=True,
                text=True,
                check=True,
            )
            result = json.loads(run.stdout.strip().splitlines()[-1])
            print(
                f"{name:40} {len(data) / 1e6:7.2f} MB {result['seconds']:7.2f} s "
                f"{result['peak_mb']:7.0f} MB  {result['outcome']}"
            )


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qinglian.settings")
    if len(sys.argv) == 3 and sys.argv[1] == "--measure":
        measure(sys.argv[2])
    else:
        main()
