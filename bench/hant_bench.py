"""What the 繁體 version costs: the seed article, Simplified against Traditional.

    .venv/bin/python bench/hant_bench.py [--seconds 3] [--rounds 5]

Loads the demo into a temporary SQLite database and calls the WSGI application in this
process (no server, no network), with production settings (DEBUG off) and without the
whole-page cache, so that every request renders its page and what is measured is the
conversion. For each variant it prints requests/second, the median over the rounds:

    cold    every request starts with empty caches (Django's and this process's)
    shared  this process's memory is empty, Django's cache is warm (a new worker)
    warm    everything cached, as a busy site runs
"""

import argparse
import atexit
import io
import os
import shutil
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WORKDIR = tempfile.mkdtemp(prefix="qinglian-hant-bench-")
atexit.register(shutil.rmtree, WORKDIR, ignore_errors=True)
os.environ.update(
    {
        "DJANGO_SETTINGS_MODULE": "qinglian.settings.prod",
        "DEBUG": "false",
        "SECRET_KEY": "hant-bench-" + "x" * 50,
        "ALLOWED_HOSTS": "testserver",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": f"sqlite:///{WORKDIR}/bench.sqlite3",
        "MEDIA_ROOT": f"{WORKDIR}/media",
    }
)

import django  # noqa: E402

# WhiteNoise looks for collected static files, which this benchmark does not need.
warnings.filterwarnings("ignore", message="No directory at")

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

from articles.caching import memo  # noqa: E402
from articles.hant.conversion import opencc_config  # noqa: E402
from articles.models import Article  # noqa: E402

SEED_TITLE = "七星区：跟进监督 推动“双减”政策落地见效"


def environ(path):
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SCRIPT_NAME": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


def request(app, path):
    status = []
    body = b"".join(app(environ(path), lambda s, h, exc_info=None: status.append(s)))
    if not status[0].startswith("200"):
        raise SystemExit(f"{path}: {status[0]}")
    return body


def forget_everything():
    cache.clear()
    memo.reset()


def forget_process_memory():
    memo.reset()


def measure(app, pages, seconds, before=None):
    """Seconds per request of each page, the pages taking turns so that both meet the
    same machine (other processes, CPU frequency) during the run."""
    spent = {name: [] for name in pages}
    deadline = time.perf_counter() + seconds * len(pages)
    while time.perf_counter() < deadline:
        for name, path in pages.items():
            if before:
                before()
            started = time.perf_counter()
            request(app, path)
            spent[name].append(time.perf_counter() - started)
    return spent


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="per page, variant and round")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    middleware = [m for m in settings.MIDDLEWARE if not m.endswith("PageCacheMiddleware")]
    storages = {**settings.STORAGES}
    # The manifest storage needs collectstatic; the stylesheet's URL is not measured here.
    storages["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    override_settings(MIDDLEWARE=middleware, STORAGES=storages).enable()

    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0)
    pk = Article.objects.get(title=SEED_TITLE).pk
    app = get_wsgi_application()
    pages = {"Simplified": f"/article/{pk}/", "Traditional": f"/zh-hant/article/{pk}/"}
    variants = {"cold": forget_everything, "shared": forget_process_memory, "warm": None}
    for path in pages.values():
        request(app, path)  # imports, template loading, OpenCC dictionaries

    rates = {(v, p): [] for v in variants for p in pages}
    for _ in range(args.rounds):
        for variant, before in variants.items():
            forget_everything()
            for path in pages.values():
                request(app, path)
            for name, spent in measure(app, pages, args.seconds, before).items():
                rates[variant, name].append(len(spent) / sum(spent))

    print(
        f"seed article /article/{pk}/ and /zh-hant/article/{pk}/, {args.rounds} rounds of "
        f"{args.seconds:g} s per page, the two pages taking turns; medians over the rounds"
    )
    print(f"OpenCC {opencc_config()!r}; cache {settings.CACHES['default']['BACKEND']}")
    print(f"{'variant':<8} {'page':<12} {'req/s':>7} {'ms/req':>7} {'vs Simplified':>14}")
    ratios = {}
    for variant in variants:
        # Each round's pages ran side by side, so their ratio is what the round measured.
        pairs = zip(rates[variant, "Traditional"], rates[variant, "Simplified"], strict=True)
        ratios[variant] = statistics.median(t / s for t, s in pairs)
        for name in pages:
            value = statistics.median(rates[variant, name])
            ratio = "" if name == "Simplified" else f"{ratios[variant] * 100:.1f} %"
            print(f"{variant:<8} {name:<12} {value:7.0f} {1000 / value:7.2f} {ratio:>14}")
    verdict = "within" if ratios["warm"] >= 0.9 else "NOT within"
    print(f"warm: Traditional at {ratios['warm'] * 100:.1f} % of Simplified's rate, {verdict} 10 %")


if __name__ == "__main__":
    main()
