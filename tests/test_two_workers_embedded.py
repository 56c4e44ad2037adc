"""The embedded default — SQLite, no Redis, a local-memory cache in each process — with
two app server processes: a change made from a third process (a management command,
``manage.py shell``, the importer) reaches every reader of both within a second."""

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.test_two_processes import free_port

ROOT = Path(__file__).resolve().parent.parent

SEED = """
from articles.models import Article, Channel
channel = Channel.objects.create(name="基层风采", slug="jiceng")
Article.objects.create(title="七星区：旧标题", channel=channel, body="<p>正文。</p>",
                       status=Article.Status.PUBLISHED)
Article.objects.create(title="秀峰区：另一篇", channel=channel, body="<p>正文。</p>",
                       status=Article.Status.PUBLISHED)
"""

CHANGE = """
from articles.models import Article, Channel
article = Article.objects.get(title="七星区：旧标题")
article.title = "七星区：新标题"
article.save()
channel = Channel.objects.get(slug="jiceng")
channel.name = "基层新风"
channel.save()
"""


@pytest.fixture
def embedded(tmp_path):
    """The environment of a production host on the embedded default."""
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL")}
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        DEBUG="0",  # fragments kept, as in production
        SECRET_KEY="test-only-" + "k" * 40,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        MEDIA_ROOT=str(tmp_path / "media"),
        GUNICORN_WORKERS="1",
        GUNICORN_ACCESS_LOG="",
    )
    manage(env, "migrate", "--verbosity=0")
    manage(env, "shell", "-c", SEED)
    return env


def manage(env, *args):
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True
    )


class Worker:
    """One gunicorn process with deploy/gunicorn.conf.py, as a host runs its workers."""

    def __init__(self, env):
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        self.process = subprocess.Popen(
            [str(Path(sys.executable).with_name("gunicorn")), "-c", "deploy/gunicorn.conf.py"],
            cwd=ROOT,
            env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}"},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                self.get("/")
                return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("gunicorn did not start")

    def get(self, path):
        with urllib.request.urlopen(self.url + path, timeout=5) as response:
            return response.read().decode()

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=20)


@pytest.fixture
def workers(embedded):
    started = []
    try:
        started = [Worker(embedded), Worker(embedded)]
        yield started
    finally:
        for worker in started:
            worker.stop()


def test_a_change_from_a_third_process_reaches_both_workers_within_a_second(embedded, workers):
    """A title change and a channel rename made by ``manage.py shell`` show on every page
    of both workers within a second: pages they had cached and pages they had not."""
    cached = ["/", "/channel/jiceng/", "/article/1/", "/article/2/"]
    for worker in workers:
        for path in cached * 2:
            assert "基层风采" in worker.get(path)

    manage(embedded, "shell", "-c", CHANGE)
    changed_at = time.monotonic()

    wanted = {path: ["基层新风"] for path in [*cached, "/search/?q=%E6%AD%A3%E6%96%87"]}
    wanted["/article/1/"].append("七星区：新标题")
    wanted["/channel/jiceng/"].append("七星区：新标题")
    late = {}
    for number, worker in enumerate(workers):
        for path, texts in wanted.items():
            while True:
                page = worker.get(path)
                if all(text in page for text in texts) and "基层风采" not in page:
                    break
                if time.monotonic() - changed_at > 1.0:
                    late[number, path] = [text for text in texts if text not in page]
                    break
                time.sleep(0.02)
    assert late == {}, "still showing the old content after a second"
