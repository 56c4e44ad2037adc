"""Dead links: the check_links command against a local HTTP server started by the test
and a closed local port (no internet here), and the dashboard's list."""

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from django.urls import reverse

from articles.inspections import links
from articles.inspections.models import CheckedLink
from articles.models import Article, FriendlyLink
from tests.conftest import make_article, make_channel
from tests.roles import ADMINISTRATOR, login

pytestmark = pytest.mark.django_db


class Handler(BaseHTTPRequestHandler):
    seen = []
    flaky_left = 0

    def _answer(self, body):
        Handler.seen.append((self.command, self.path, self.headers.get("User-Agent")))
        if self.path == "/flaky" and Handler.flaky_left > 0:
            Handler.flaky_left -= 1
            self.send_response(503)
        elif self.path == "/no-head" and self.command == "HEAD":
            self.send_response(405)
        elif self.path in ("/ok", "/flaky", "/no-head"):
            self.send_response(200)
        else:
            self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_HEAD(self):
        self._answer(False)

    def do_GET(self):
        self._answer(True)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    Handler.seen = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def closed_port():
    """A local port nothing listens on: taken from the system, then let go."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/page"


def run(**options):
    call_command("check_links", verbosity=0, pause=0, timeout=2, **options)


def test_a_link_to_a_closed_port_is_dead_with_the_page_that_carries_it(client, server, closed_port):
    article = make_article(
        title="七星区：链接",
        body=f'<p><a href="{closed_port}">失效</a> <a href="{server}/ok">有效</a></p>',
    )
    run()
    dead = CheckedLink.objects.get(url=closed_port)
    assert dead.is_dead and dead.good_at is None and "无法连接" in dead.error
    assert not CheckedLink.objects.get(url=f"{server}/ok").is_dead
    login(client, ADMINISTRATOR)
    html = client.get(reverse("admin:inspections_dashboard_changelist")).content.decode()
    part = html[html.index('id="rule-links"') :]
    assert closed_port in part and "《七星区：链接》" in part and "从未能访问" in part
    assert reverse("admin:articles_article_change", args=[article.pk]) in part
    assert f"{server}/ok" not in part


def test_a_missing_page_is_dead_and_keeps_when_it_was_last_good(server):
    FriendlyLink.objects.create(name="兄弟单位", url=f"{server}/ok")
    run()
    good_at = CheckedLink.objects.get().good_at
    FriendlyLink.objects.update(url=f"{server}/gone")
    make_article(body=f'<p><a href="{server}/ok">仍在</a></p>')
    run()
    gone = CheckedLink.objects.get(url=f"{server}/gone")
    assert gone.is_dead and gone.error == "HTTP 404"
    assert [p.place for p in gone.places.all()] == ["友情链接：兄弟单位"]
    kept = CheckedLink.objects.get(url=f"{server}/ok")
    assert kept.good_at > good_at and not kept.is_dead


def test_a_link_is_tried_again_before_it_is_called_dead(server):
    Handler.flaky_left = 2
    make_article(body=f'<p><a href="{server}/flaky">时好时坏</a></p>')
    run(tries=3)
    assert not CheckedLink.objects.get().is_dead
    assert [m for m, p, _ in Handler.seen if p == "/flaky"].count("HEAD") >= 3


def test_requests_are_polite_and_fall_back_to_get(server):
    make_article(body=f'<p><a href="{server}/no-head">只认 GET</a></p>')
    run()
    assert not CheckedLink.objects.get().is_dead
    assert {agent for _, _, agent in Handler.seen} == {links.USER_AGENT}
    assert ("GET", "/no-head", links.USER_AGENT) in Handler.seen


def test_internal_links_are_resolved_against_what_readers_can_see():
    channel = make_channel("工作动态", slug="news")
    live = make_article(channel=channel)
    draft = make_article(channel=channel, status=Article.Status.DRAFT)
    body = "".join(
        f'<a href="{url}">x</a>'
        for url in [
            f"/article/{live.pk}/",
            f"/zh-hant/article/{live.pk}/",
            f"/article/{draft.pk}/",
            "/channel/news/",
            "/channel/nowhere/",
            "/no/such/page/",
            "/media/uploads/missing.pdf",
            "mailto:jw@example.cn",
            "#top",
        ]
    )
    make_article(channel=channel, body=f"<p>{body}</p>")
    run()
    dead = set(CheckedLink.objects.filter(is_dead=True).values_list("url", flat=True))
    assert dead == {
        f"/article/{draft.pk}/",
        "/channel/nowhere/",
        "/no/such/page/",
        "/media/uploads/missing.pdf",
    }
    assert CheckedLink.objects.filter(is_dead=False).count() == 3
    assert all(link.is_internal for link in CheckedLink.objects.all())


def test_an_address_no_longer_on_any_page_is_forgotten(server):
    article = make_article(body=f'<p><a href="{server}/gone">旧</a></p>')
    run()
    Article.objects.filter(pk=article.pk).update(body="<p>无链接</p>")
    run()
    assert not CheckedLink.objects.exists()


def test_every_address_a_reader_can_follow_is_checked(server, closed_port, media_root):
    """Besides bodies: an external-link article's target, a link channel's target, the
    files attached to published articles, and each county's footer and friendly links;
    a link to a county's own host name is checked by resolving it, not over HTTP."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from articles.models import Attachment, Site, SiteSettings
    from tests import crafted_files as crafted

    county = Site.objects.create(name="七星区", hosts="qixing.localhost")
    settings_ = SiteSettings.load(county)
    settings_.weibo_url = f"{server}/gone"
    settings_.save()
    FriendlyLink.objects.create(site=county, name="区政府", url=f"{server}/ok")
    make_channel("廉政教育基地", slug="jidi", external_url=closed_port)
    channel = make_channel("通知公告", slug="tongzhi")
    make_article("转向的文章", channel, body="", external_url=f"{server}/ok")
    notice = make_article(
        "有附件的通知", channel, body='<p><a href="http://qixing.localhost/nowhere/">区里</a></p>'
    )
    kept, lost = (
        Attachment.objects.create(
            article=notice, file=SimpleUploadedFile(f"{n}.xlsx", crafted.xlsx())
        )
        for n in ("表一", "表二")
    )
    lost.file.storage.delete(lost.file.name)
    run()

    def places(url):
        return sorted(p.place for p in CheckedLink.objects.get(url=url).places.all())

    assert places(closed_port) == ["栏目“廉政教育基地”（转向链接）"]
    assert CheckedLink.objects.get(url=closed_port).is_dead
    assert places(f"{server}/ok") == ["《转向的文章》（转向链接）", "七星区友情链接：区政府"]
    assert places(f"{server}/gone") == ["七星区页脚：官方微博"]
    assert CheckedLink.objects.get(url=kept.file.url).is_dead is False
    missing = CheckedLink.objects.get(url=lost.file.url)
    assert missing.is_dead and missing.error == "站内文件不存在"
    assert places(lost.file.url) == ["《有附件的通知》附件：表二.xlsx"]
    county_link = CheckedLink.objects.get(url="http://qixing.localhost/nowhere/")
    assert county_link.is_internal and county_link.error == "站内页面不存在（404）"
    assert not any("qixing" in path for _, path, _ in Handler.seen)
