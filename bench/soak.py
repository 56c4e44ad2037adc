"""Soak test: 32 readers and 2 editors against gunicorn on loopback, for ten minutes.

    .venv/bin/python bench/soak.py                      # 600 s, SQLite, local-memory cache
    .venv/bin/python bench/soak.py --duration 60        # a quick check
    createdb -h 127.0.0.1 -U postgres qinglian_soak     # once, for PostgreSQL
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/qinglian_soak \\
        REDIS_URL=redis://127.0.0.1:6379/14 .venv/bin/python bench/soak.py

Seeds the database if needed (bench/load_bench.py's seeding), starts gunicorn with
deploy/gunicorn.conf.py and production settings (bench/settings.py) on 127.0.0.1, then
holds 32 concurrent readers — home, channel pages (deep ones too), articles and search,
a quarter of them cache-busted (--uncached), a tenth in Traditional — and 2 editors who
log in through the admin's login form and save articles through the admin's change form
(with its version field), every 5 s or so (--think), for --duration seconds. Every save
makes every cached page stale, as it does in production. Workers are not recycled (unless
--max-requests says so), so that a leak shows as growth.

Prints the requests made, the errors (any answer but the expected one, or no answer:
there must be none), p50 and p99 latency per kind of request, and the memory (VmRSS) of
each gunicorn worker at the start and at the end. Exits 1 if there was any error.
"""

import argparse
import contextlib
import http.client
import multiprocessing
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/qinglian-soak.sqlite3")

READERS = 32
EDITORS = 2
EDITOR_PASSWORD = "Soak-editor-2026!"
TIMEOUT = 30


# --- What readers ask for ----------------------------------------------------------


def reader_urls():
    """Lists of paths per kind of request, drawn from the seeded database."""
    from articles.models import Article, Channel
    from bench.corpus import PLACES, TOPICS

    tree = Channel.objects.tree()
    published = Article.objects.published()
    ids = list(published.order_by("?").values_list("pk", flat=True)[:2000])
    channels = []
    for channel, _ in tree.walk():
        listed = published.in_channel(tree, channel).count()
        pages = max(1, (listed + 19) // 20)
        channels.append(channel.get_absolute_url())
        if pages > 1:
            channels.append(f"{channel.get_absolute_url()}?page={pages // 2 or 1}")
            channels.append(f"{channel.get_absolute_url()}?page={pages}")
    words = ["监督", "巡察", "纪检监察", "整改", "乡村振兴", *PLACES, *[t[:4] for t in TOPICS]]
    searches = ["/search/?" + urllib.parse.urlencode({"q": w}) for w in words] + [
        "/search/?" + urllib.parse.urlencode({"q": w, "page": 2}) for w in words[:5]
    ]
    return {
        "home": ["/"],
        "channel": channels,
        "article": [f"/article/{pk}/" for pk in ids],
        "search": searches,
    }


MIX = [("home", 15), ("channel", 25), ("article", 45), ("search", 15)]


def pick(urls, rng, uncached):
    kind = rng.choices([k for k, _ in MIX], weights=[w for _, w in MIX])[0]
    path = rng.choice(urls[kind])
    busted = rng.random() < uncached
    if busted:  # past the page cache: rendered by Django
        path += ("&" if "?" in path else "?") + f"nocache={rng.getrandbits(40)}"
    if rng.random() < 0.1:
        path = "/zh-hant" + path
    return kind + (" (uncached)" if busted else " (cached)"), path


def request(port, method, path, body=None, headers=None):
    """One request on a new connection (gunicorn's sync workers close after each)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read(), response.getheaders()
    finally:
        connection.close()


def reader_process(port, urls, threads, deadline, seed, results, uncached):
    """``threads`` readers in one process; sends back {kind: [latencies]} and errors."""
    latencies, errors, lock = {}, [], threading.Lock()

    def read(n):
        rng = random.Random(seed * 1000 + n)
        while time.monotonic() < deadline:
            kind, path = pick(urls, rng, uncached)
            started = time.perf_counter()
            try:
                status, _, _ = request(port, "GET", path, headers={"Host": "127.0.0.1"})
            except OSError as exc:
                status = f"{type(exc).__name__}: {exc}"
            elapsed = time.perf_counter() - started
            with lock:
                latencies.setdefault(kind, []).append(elapsed)
                if status != 200:
                    errors.append((kind, path, status))

    workers = [threading.Thread(target=read, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    results.put((latencies, errors))


# --- What editors do ------------------------------------------------------------------


class FormReader(HTMLParser):
    """The values a browser would submit from the page's form ``form_id``, unchanged."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.data = form_id, False, []
        self.select = self.textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        elif not self.inside or "disabled" in attrs:
            return
        elif tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self._add(attrs.get("name"), attrs.get("value", "on" if kind == "checkbox" else ""))
        elif tag == "textarea":
            self.textarea = [attrs.get("name"), ""]
        elif tag == "select":
            self.select = [attrs.get("name"), None, None]
        elif tag == "option" and self.select is not None:
            if self.select[2] is None:
                self.select[2] = attrs.get("value", "")
            if "selected" in attrs:
                self.select[1] = attrs.get("value", "")

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self.textarea is not None:
            name, value = self.textarea
            self._add(name, value[1:] if value.startswith("\n") else value)
            self.textarea = None
        elif tag == "select" and self.select is not None:
            name, selected, first = self.select
            self._add(name, selected if selected is not None else (first or ""))
            self.select = None

    def _add(self, name, value):
        if name and "__prefix__" not in name:
            self.data.append((name, value))


class Editor:
    """A browser-like session: cookies, CSRF token, the admin's forms."""

    def __init__(self, port, username):
        self.port, self.username, self.cookies = port, username, {}

    def _headers(self, extra=None):
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        headers = {"Host": "127.0.0.1", "Cookie": cookie}
        return {**headers, **(extra or {})}

    def _remember(self, headers):
        for name, value in headers:
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]

    def get(self, path):
        status, body, headers = request(self.port, "GET", path, headers=self._headers())
        self._remember(headers)
        return status, body.decode("utf-8", "replace"), dict(headers)

    def post(self, path, fields):
        body = urllib.parse.urlencode(fields).encode()
        extra = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"http://127.0.0.1:{self.port}{path}",
            "X-CSRFToken": self.cookies.get("csrftoken", ""),
        }
        status, body, headers = request(self.port, "POST", path, body, self._headers(extra))
        self._remember(headers)
        return status, body.decode("utf-8", "replace"), dict(headers)

    def login(self, admin):
        status, page, _ = self.get(admin + "login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        status, _, headers = self.post(
            admin + "login/",
            {
                "csrfmiddlewaretoken": token,
                "username": self.username,
                "password": EDITOR_PASSWORD,
                "next": admin,
            },
        )
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"{self.username} could not log in (HTTP {status})")

    def save(self, admin, article_id, n):
        """Open the change form, edit the title and body as typed, and save it."""
        url = f"{admin}articles/article/{article_id}/change/"
        status, page, _ = self.get(url)
        if status != 200:
            return f"GET change form: HTTP {status}"
        reader = FormReader("article_form")
        reader.feed(page)
        fields = dict(reader.data)
        if "base_version" not in fields:
            return "change form without its version field"
        title = re.sub(r"（第\d+次修改）$", "", fields["title"])[:180]
        fields["title"] = f"{title}（第{n}次修改）"
        fields["body"] = fields.get("body", "") + f"<p>\u3000\u3000编辑补充第{n}段。</p>"
        fields["_continue"] = ""
        status, page, _ = self.post(url, list(fields.items()))
        if status != 302:
            notes = re.findall(r'class="(?:errornote|errorlist[^"]*)"[^>]*>(.*?)</', page, re.S)
            why = " / ".join(re.sub(r"<[^>]+>|\s+", " ", n).strip() for n in notes)[:200]
            return f"save: HTTP {status} {why or '(no message)'}"
        return None


def editor_thread(port, admin, username, article_ids, deadline, think, stats, lock):
    editor = Editor(port, username)
    rng = random.Random(username)
    n = 0
    try:
        editor.login(admin)
    except Exception as exc:  # counted, reported, and the soak goes on without this editor
        with lock:
            stats["errors"].append(("editor login", username, str(exc)))
        return
    while time.monotonic() < deadline:
        n += 1
        started = time.perf_counter()
        try:
            problem = editor.save(admin, rng.choice(article_ids), n)
        except OSError as exc:
            problem = f"{type(exc).__name__}: {exc}"
        elapsed = time.perf_counter() - started
        with lock:
            stats["latencies"].setdefault("editor save (GET+POST)", []).append(elapsed)
            if problem:
                stats["errors"].append(("editor save", username, problem))
            else:
                stats["saves"] += 1
        time.sleep(rng.uniform(0.5, 1.5) * think)


# --- The server ---------------------------------------------------------------------


def prepare_editors(count):
    """Reviewer accounts (they may edit published articles), each with its own articles."""
    from axes.models import AccessAttempt
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from articles.models import Article

    # A brute-force test against this database may have locked 127.0.0.1 out.
    AccessAttempt.objects.all().delete()
    reviewers = Group.objects.get(name="审核")
    ids = list(Article.objects.published().order_by("-published_at").values_list("pk", flat=True))
    editors = {}
    for i in range(count):
        user, _ = get_user_model().objects.get_or_create(
            username=f"soak-editor-{i + 1}", defaults={"is_staff": True}
        )
        user.is_staff = True
        user.set_password(EDITOR_PASSWORD)
        user.save()
        user.groups.add(reviewers)
        editors[user.username] = ids[i : 40 * count : count]
    return editors


def children_of(pid):
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError):
                stat = (entry / "stat").read_text()
                if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry.name))
    return sorted(found)


def rss_kib(pid):
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return None


def start_readers(port, urls, readers, deadline, results, uncached):
    """``readers`` concurrent readers, as threads in a few processes (the client's own
    Python must not be what limits the load)."""
    processes, per_process, n = [], max(1, readers // 4), 0
    while readers > 0:
        threads = min(per_process, readers)
        process = multiprocessing.get_context("fork").Process(
            target=reader_process,
            args=(port, urls, threads, deadline, 1000 + n, results, uncached),
        )
        process.start()
        processes.append(process)
        readers -= threads
        n += 1
    return processes


def run_readers(port, urls, readers, deadline, results, uncached):
    """Readers until ``deadline``; their results are dropped (the warm-up)."""
    processes = start_readers(port, urls, readers, deadline, results, uncached)
    for _ in processes:
        results.get(timeout=TIMEOUT * 2)
    for process in processes:
        process.join()


def wait_for(port, deadline=60):
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        with contextlib.suppress(OSError):
            if request(port, "GET", "/hello/")[0] == 200:
                return
        time.sleep(0.3)
    raise SystemExit("gunicorn did not answer")


def percentile(values, pct):
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, int(round(pct / 100 * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=600, help="seconds of load")
    parser.add_argument(
        "--warmup", type=int, default=20, help="seconds of unmeasured load before the start"
    )
    parser.add_argument("--articles", type=int, default=10_000, help="articles to seed")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--readers", type=int, default=READERS)
    parser.add_argument("--editors", type=int, default=EDITORS)
    parser.add_argument("--think", type=float, default=5.0, help="editor pause (s) per save")
    parser.add_argument(
        "--uncached",
        type=float,
        default=0.25,
        help="share of reader requests made unique to get past the page cache",
    )
    parser.add_argument(
        "--max-requests", type=int, default=0, help="gunicorn worker recycling (0: never)"
    )
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connections

    from bench.load_bench import seed

    seed(args.articles)
    urls = reader_urls()
    editors = prepare_editors(args.editors)
    admin = "/" + settings.ADMIN_URL
    connections.close_all()

    env = dict(
        os.environ,
        GUNICORN_BIND=f"127.0.0.1:{args.port}",
        GUNICORN_WORKERS=str(args.workers),
        GUNICORN_ACCESS_LOG="",
        GUNICORN_MAX_REQUESTS=str(args.max_requests),
    )
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    log = open("/tmp/qinglian-soak-gunicorn.log", "w")  # noqa: SIM115 (kept open while serving)
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("gunicorn")), "-c", "deploy/gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_for(args.port)
        # Every worker loads its code, OpenCC and its first pages before memory is read.
        warmup = multiprocessing.get_context("fork").Queue()
        run_readers(
            args.port, urls, args.readers, time.monotonic() + args.warmup, warmup, args.uncached
        )
        workers = children_of(server.pid)
        rss_start = {pid: rss_kib(pid) for pid in workers}
        print(
            f"soak: {args.readers} readers, {args.editors} editors, {args.duration}s, "
            f"gunicorn {args.workers} workers (pids {workers}), "
            f"{settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}, "
            f"{settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}",
            flush=True,
        )

        started = time.monotonic()
        deadline = started + args.duration
        results = multiprocessing.get_context("fork").Queue()
        processes = start_readers(args.port, urls, args.readers, deadline, results, args.uncached)
        stats, lock = {"latencies": {}, "errors": [], "saves": 0}, threading.Lock()
        editor_threads = [
            threading.Thread(
                target=editor_thread,
                args=(args.port, admin, name, ids, deadline, args.think, stats, lock),
            )
            for name, ids in editors.items()
        ]
        for thread in editor_threads:
            thread.start()
        middle_rss = None
        while time.monotonic() < deadline:
            time.sleep(min(10, max(0.1, deadline - time.monotonic())))
            if middle_rss is None and time.monotonic() - started >= args.duration / 2:
                middle_rss = {pid: rss_kib(pid) for pid in workers}
        latencies, errors = stats["latencies"], stats["errors"]
        for _ in processes:
            got_latencies, got_errors = results.get(timeout=TIMEOUT * 2)
            for kind, values in got_latencies.items():
                latencies.setdefault(kind, []).extend(values)
            errors.extend(got_errors)
        for process in processes:
            process.join()
        for thread in editor_threads:
            thread.join(timeout=TIMEOUT * 2)
        elapsed = time.monotonic() - started
        workers_end = children_of(server.pid)
        rss_end = {pid: rss_kib(pid) for pid in workers_end}
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        log.close()

    total = sum(len(v) for v in latencies.values())
    every = [x for v in latencies.values() for x in v]
    print(f"\n{total} requests in {elapsed:.0f}s ({total / elapsed:.0f}/s), {stats['saves']} saves")
    print(f"errors: {len(errors)}")
    for error in errors[:20]:
        print("  ", *error)
    print(f"\n{'request':<28}{'count':>8}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}")
    for kind in sorted(latencies):
        values = latencies[kind]
        print(
            f"{kind:<28}{len(values):>8}{percentile(values, 50) * 1000:>9.1f}"
            f"{percentile(values, 99) * 1000:>9.1f}{max(values) * 1000:>9.1f}"
        )
    print(
        f"{'all':<28}{total:>8}{percentile(every, 50) * 1000:>9.1f}"
        f"{percentile(every, 99) * 1000:>9.1f}{max(every) * 1000:>9.1f}"
    )
    print(f"\n{'worker':<10}{'RSS start':>12}{'half-way':>12}{'end':>12}{'growth':>10}")
    for pid in workers:
        start, end = rss_start.get(pid), rss_end.get(pid)
        middle = (middle_rss or {}).get(pid)
        growth = f"{(end - start) / 1024:+.1f} MiB" if start and end else "restarted"
        print(f"{pid:<10}{_mib(start):>12}{_mib(middle):>12}{_mib(end):>12}{growth:>10}")
    if sorted(workers) != sorted(workers_end):
        print(f"workers changed during the soak: {workers} -> {workers_end}")
    sys.exit(1 if errors else 0)


def _mib(kib):
    return f"{kib / 1024:.1f} MiB" if kib else "—"


if __name__ == "__main__":
    main()
