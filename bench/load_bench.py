"""Load benchmark: seed N articles, serve with gunicorn, drive with wrk.

    .venv/bin/python bench/load_bench.py --articles 100000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/qinglian_bench \\
        REDIS_URL=redis://127.0.0.1:6379/14 .venv/bin/python bench/load_bench.py

Prints requests/second and p50/p99 latency for each page, cached and uncached, next to a
hello-world view of a plain Django project (bench/hello_world: ``startproject``'s
settings) served by the same gunicorn settings in the same run, plus the SQL queries each
page runs when rendered. The same view inside this site (its middleware and page cache
included) is measured too. Needs `wrk` (Debian: apt-get install wrk).
"""

import argparse
import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/qinglian-bench.sqlite3")

UNCACHED_LUA = """
counter = 0
request = function()
  counter = counter + 1
  local sep = string.find(wrk.path, "?", 1, true) and "&" or "?"
  -- p (the sitemap's page number) is kept in the page cache's key and read by no other
  -- page: a new value is a page not cached yet.
  return wrk.format(nil, wrk.path .. sep .. "p=" .. counter .. math.random(1000000000))
end
"""


def progress(done, total, started):
    width = 30
    filled = int(width * done / total) if total else width
    rate = done / max(time.monotonic() - started, 1e-6)
    sys.stderr.write(f"\r  [{'#' * filled}{'.' * (width - filled)}] {done}/{total} {rate:,.0f}/s")
    if done >= total:
        sys.stderr.write("\n")
    sys.stderr.flush()


def seed(count, batch=2000):
    from django.core.management import call_command
    from django.db import connection, transaction

    from articles.models import Article, Channel, Source
    from bench.corpus import generate

    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0)
    have = Article.objects.count()
    if have >= count:
        print(f"database already holds {have} articles")
        return
    channels = list(Channel.objects.exclude(children__isnull=False)) or list(Channel.objects.all())
    sources = list(Source.objects.all())
    print(f"seeding {count - have} articles")
    started = time.monotonic()
    rows = []
    made = 0
    for fields in generate(count - have, channels, sources):
        rows.append(Article(status=Article.Status.PUBLISHED, **fields))
        if len(rows) == batch:
            with transaction.atomic():
                Article.objects.bulk_create(rows)
            made += len(rows)
            rows = []
            progress(made, count - have, started)
    if rows:
        Article.objects.bulk_create(rows)
        made += len(rows)
        progress(made, count - have, started)
    try:
        # On PostgreSQL, --full builds the GIN indexes once at the end: far quicker.
        full = ["--full"] if connection.vendor == "postgresql" else []
        call_command("rebuild_search_index", *full, verbosity=1)
    except Exception as exc:  # search is optional for this benchmark
        print(f"(no search index rebuilt: {exc})")
    # Planner statistics, as a running site has them (autovacuum; qinglian/sqlite3).
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def pages():
    from django.urls import NoReverseMatch, reverse

    from articles.models import Article, Channel

    tree = Channel.objects.tree()
    top = max(tree.roots, key=lambda c: len(tree.descendant_ids(c)))
    article = Article.objects.published().order_by("-published_at").first()
    listed = Article.objects.published().in_channel(tree, top).count()
    deep = min(2000, max(1, listed // 20))
    found = {
        "home": reverse("articles:home"),
        "channel p1": top.get_absolute_url(),
        f"channel p{deep}": f"{top.get_absolute_url()}?page={deep}",
        "article": article.get_absolute_url(),
    }
    with contextlib.suppress(NoReverseMatch):  # search may not be installed
        found["search"] = reverse("articles:search") + "?q=%E7%9B%91%E7%9D%A3"
    return found


def query_counts(urls):
    from django.core.cache import caches
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from articles.caching import memo

    client = Client(HTTP_HOST="127.0.0.1")
    counts = {}
    for name, url in urls.items():
        client.get(url)  # warm the content generation, tree and settings
        cache_buster = ("&" if "?" in url else "?") + "count=1"
        with CaptureQueriesContext(connection) as warm:
            client.get(url + cache_buster)
        for each in caches.all():  # the shared cache, this process's copies, fragments
            each.clear()
        memo.reset()
        with CaptureQueriesContext(connection) as cold:
            client.get(url + cache_buster + "2")
        counts[name] = (len(warm), len(cold))
    return counts


def wait_for(url, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"server did not answer at {url}")


def wrk(url, duration, connections, threads, script=None):
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", url]
    if script:
        command[1:1] = ["-s", script]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def latency(pct):
        value, unit = re.search(rf"\s{pct}%\s+([\d.]+)(us|ms|s)", out).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rps, latency(50), latency(99), int(errors.group(1)) if errors else 0


READERS_LUA = """
paths = {%s}
counter = 0
request = function()
  counter = counter + 1
  return wrk.format(nil, paths[counter %% #paths + 1])
end
"""


def newsroom(every, publish, stop):
    """An editor saving a draft (or a reviewer publishing an article) every ``every``
    seconds, from this process, as the admin or a command would."""
    from django.db import connection

    from articles.models import Article, Channel

    channel = Channel.objects.order_by("pk").first()
    draft = Article.objects.create(title="编辑部：草稿", channel=channel, body="<p>草稿。</p>")
    n = 0
    while not stop.wait(every):
        n += 1
        if publish:
            Article.objects.create(
                title=f"编辑部：第{n}篇", channel=channel, body="<p>正文。</p>", status="published"
            )
        else:
            draft.body = f"<p>草稿第{n}稿。</p>"
            draft.save()
    connection.close()


def newsroom_day(base, urls, args):
    """Readers on home, channel and article pages: no edits, a draft saved every second,
    an article published every 10 seconds. Returns [(run, req/s, ratio)]."""
    import threading

    readers = [urls[name] for name in urls if name.startswith(("home", "channel p1", "article"))]
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write(READERS_LUA % ", ".join(f'"{u}"' for u in readers))
    results = []
    for run, every, publish in [("no edits", None, False), ("draft / 1 s", 1, False),
                                ("publish / 10 s", 10, True)]:  # fmt: skip
        stop = threading.Event()
        editor = None
        if every:
            editor = threading.Thread(target=newsroom, args=(every, publish, stop))
            editor.start()
        try:
            rps = wrk(base + readers[0], args.duration, args.connections, args.threads, lua.name)[0]
        finally:
            stop.set()
            if editor:
                editor.join()
        results.append((run, rps, rps / results[0][1] if results else 1.0))
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--duration", type=int, default=10, help="seconds per measurement")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--newsroom", action="store_true", help="only the newsroom-day runs (docs/caching.md)"
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (Debian: apt-get install wrk)")

    import django

    django.setup()
    from django.conf import settings

    seed(args.articles)
    urls = pages()
    counts = query_counts(urls)

    env = dict(os.environ, GUNICORN_BIND=f"127.0.0.1:{args.port}")
    env["GUNICORN_WORKERS"] = str(args.workers)
    env["GUNICORN_ACCESS_LOG"] = ""
    # Every request comes from this one address: no share of the page cache per client.
    env["PAGE_CACHE_PAGES_PER_CLIENT"] = str(10**9)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    bare_env = dict(env, GUNICORN_BIND=f"127.0.0.1:{args.port + 1}")
    servers = [
        subprocess.Popen(
            [gunicorn, "-c", config],
            cwd=ROOT,
            env=server_env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        for config, server_env in [
            ("deploy/gunicorn.conf.py", env),
            ("bench/hello_world/gunicorn.conf.py", bare_env),
        ]
    ]
    base = f"http://127.0.0.1:{args.port}"
    bare = f"http://127.0.0.1:{args.port + 1}"
    rows = []
    try:
        wait_for(base + "/hello/")
        wait_for(bare + "/hello/")
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
            lua.write(UNCACHED_LUA)
        run = lambda url, script=None, server=base: wrk(  # noqa: E731
            server + url, args.duration, args.connections, args.threads, script
        )
        if args.newsroom:
            for name, rps, ratio in newsroom_day(base, urls, args):
                print(f"{name:<16}{rps:>9.0f} req/s{ratio:>8.2f}x")
            return
        hello = run("/hello/", server=bare)
        rows.append(("hello world", "Django", *hello))
        rows.append(("hello world", "this site", *run("/hello/")))
        for name, url in urls.items():
            urllib.request.urlopen(base + url).read()  # fill the page cache
            rows.append((name, "cached", *run(url)))
            rows.append((name, "uncached", *run(url, lua.name)))
    finally:
        for server in servers:
            os.killpg(server.pid, signal.SIGTERM)
        for server in servers:
            server.wait(timeout=30)

    database = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    cache_backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    print(
        f"\n{args.articles:,} articles · {database} · {cache_backend} · gunicorn {args.workers} "
        f"sync workers · wrk {args.threads} threads, {args.connections} connections, "
        f"{args.duration}s · {os.cpu_count()} cores"
    )
    print(
        f"{'page':<16}{'mode':<10}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'vs hello':>10}"
        f"{'errors':>8}{'SQL':>9}"
    )
    for name, mode, rps, p50, p99, errors in rows:
        warm, cold = counts.get(name, ("", ""))
        sql = "" if mode != "uncached" else f"{warm} ({cold})"
        print(
            f"{name:<16}{mode:<10}{rps:>9.0f}{p50:>9.2f}{p99:>9.2f}{rps / hello[0]:>10.0%}"
            f"{errors:>8}{sql:>9}"
        )
    print(
        "vs hello: against the plain Django project's hello world (first row); "
        "SQL: queries when the page is rendered (with a cold cache in brackets)."
    )
    by_name = {(r[0], r[1]): r for r in rows}
    page1 = [r for k, r in by_name.items() if k[0] == "channel p1" and k[1] == "uncached"]
    deep = [
        r
        for k, r in by_name.items()
        if k[0].startswith("channel p") and k[0] != "channel p1" and k[1] == "uncached"
    ]
    if page1 and deep:
        print(f"deep channel page p50 / page 1 p50: {deep[0][3] / page1[0][3]:.2f}x")


if __name__ == "__main__":
    main()
