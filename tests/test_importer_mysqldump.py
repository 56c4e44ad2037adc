"""A PHPCMS v9.6 database as a real install's mysqldump writes it
(tests/fixtures/phpcms/mysqldump_v96.sql: the header and conditional comments, DROP /
CREATE TABLE with the install SQL's full column lists, MyISAM, InnoDB, utf8 and gbk
tables, LOCK TABLES and long multi-row INSERTs with mysqldump's escaping), loaded with
the ``mysql`` command-line client exactly as a newsroom loads its dump, then imported
through ``import_phpcms``.

Skipped without MariaDB or the client, failed instead in CI (tests/phpcms_database.py).
"""

import shutil
import subprocess
import uuid
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command

from articles.importer.models import ImportedRecord, OldAddress
from articles.models import (
    Article,
    Attachment,
    Channel,
    Placement,
    RelatedArticle,
    Site,
    SlotPlacement,
    Source,
)
from articles.models.slots import CAROUSEL, HEADLINES
from articles.parts import parts
from tests import phpcms_database as db
from tests.imported import snapshot

SHANGHAI = ZoneInfo("Asia/Shanghai")
FIXTURES = Path(__file__).parent / "fixtures" / "phpcms"
UPLOADS = FIXTURES / "mysqldump_uploadfile"
CITY, COUNTY = "www.qllc.gov.cn", "nl.qllc.gov.cn"
pytestmark = pytest.mark.django_db


def _mysql_client():
    client = shutil.which("mysql") or shutil.which("mariadb")
    if client is None:
        reason = "the mysql command-line client is not installed"
        if db.must_run():
            pytest.fail(f"CI=true, and the mysqldump import tests cannot run: {reason}")
        pytest.skip(reason)
    return client


@pytest.fixture(scope="session")
def phpcms():
    """The dump loaded by the mysql client into a database of its own, dropped after."""
    admin = db.require_mariadb()
    client = _mysql_client()
    name = f"qinglian_mysqldump_test_{uuid.uuid4().hex[:10]}"
    with admin.cursor() as cursor:
        cursor.execute(f"CREATE DATABASE `{name}`")
    command = [client, "-h", db.HOST, "-P", str(db.PORT), "-u", db.USER]
    if db.PASSWORD:
        command.append(f"-p{db.PASSWORD}")
    try:
        with (FIXTURES / "mysqldump_v96.sql").open("rb") as dump:
            subprocess.run([*command, name], stdin=dump, check=True, capture_output=True)
        yield SimpleNamespace(url=f"mysql://{db.USER}:{db.PASSWORD}@{db.HOST}:{db.PORT}/{name}")
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS `{name}`")
        admin.close()


@pytest.fixture(autouse=True)
def both_hosts(settings, media_root):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, CITY, COUNTY]


def run(source, tmp_path, *extra):
    report = tmp_path / "report.txt"
    call_command(
        "import_phpcms", source.url, "--uploads", str(UPLOADS), "--report", str(report),
        "--verbosity", "0", *extra,
    )  # fmt: skip
    return report.read_text(encoding="utf-8")


def titled(title):
    return Article.objects.get(title=title)


def beijing(text):
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=SHANGHAI)


MEETING = "市纪委六届四次全会召开"
REVIEW = "全市纪检监察机关一季度审查调查工作综述"
CASE = "市交通运输局原副局长张某某接受审查调查"
PRAISED = "我市“室组地”联动监督经验获推介"
WARNING = "全市警示教育大会召开"
CHECK = "市纪委监委开展留置场所安全专项检查"
FAMILY = "清风传家：廉洁家风故事两则"
CCDI = "中央纪委国家监委公开通报五起违反中央八项规定精神问题"
PATROL = "南岭县委第二轮巡察工作动员部署"
TRAINING = "南岭县召开纪检监察干部教育整顿推进会"
EXPOSED = "南岭县通报3起违反中央八项规定精神问题"

# title: (county?, channel slug, source, author, published, views, weight)
PUBLISHED = {
    MEETING: (False, "jjdt", "临川日报", "李明 王芳", "2024-03-15 16:20", 1536, 0),
    REVIEW: (False, "scdc", "本网", "市纪委监委宣传部", "2024-04-02 09:30", 877, 0),
    CASE: (False, "scdc", "中央纪委国家监委网站", "审查调查室", "2024-04-10 18:05", 412, 5),
    PRAISED: (False, "jjdt", "广西纪检监察网", "", "2024-04-25 11:00", 63, 0),
    WARNING: (False, "gzdt", None, "宣传部", "2024-05-20 15:00", 2048, 0),
    CHECK: (False, "scdc", None, "第二监督检查室", "2024-04-02 17:45", 0, 0),
    FAMILY: (False, "lzwh", None, "钟文", "2024-05-06 08:00", 0, 0),
    CCDI: (False, "tzgg", None, "", "2024-05-08 10:00", 95, 0),
    PATROL: (True, "nldt", "南岭县融媒体中心", "赵敏", "2024-04-18 16:30", 321, 0),
    TRAINING: (True, "nldt", "南岭县融媒体中心", "县纪委办", "2024-04-12 09:00", 58, 0),
    EXPOSED: (True, "jdbg", "南岭县纪委监委", "县纪委监委", "2024-05-10 10:10", 140, 2),
}


def test_sites_and_channels(phpcms, tmp_path):
    run(phpcms, tmp_path)
    main, county = Site.main(), Site.objects.get(name="清风南岭")
    assert CITY in main.host_list and county.host_list == [COUNTY]
    tree = {c.slug: c for c in Channel.objects.select_related("parent")}
    assert tree["jjdt"].parent.slug == "gzdt" and tree["scdc"].parent.slug == "gzdt"
    assert {s for s, c in tree.items() if c.site == county} == {"nldt", "jdbg"}
    # ismenu=0 leaves the navigation; listorder is the order.
    assert not tree["tzgg"].show_in_nav and tree["gzdt"].show_in_nav
    assert tree["gzdt"].keywords == "工作动态,纪检监察"
    assert tree["jjdt"].description == "市纪委监委机关及派驻机构动态"
    page = Article.objects.get(channel=tree["jgzn"])  # the gbk single page
    assert page.body.startswith('<p style="text-indent:2em">临川市纪律检查委员会')
    link = Channel.objects.get(name="中央纪委国家监委")
    assert link.external_url == "http://www.ccdi.gov.cn/"


@pytest.mark.parametrize("title", list(PUBLISHED))
def test_each_published_article_keeps_what_it_had(phpcms, tmp_path, client, title):
    run(phpcms, tmp_path)
    on_county, slug, source, author, published, views, weight = PUBLISHED[title]
    article = titled(title)
    county = Site.objects.get(name="清风南岭")
    assert article.status == Article.Status.PUBLISHED
    assert article.site == (county if on_county else None)
    assert article.channel.slug == slug
    assert (article.source.name if article.source else None) == source
    assert article.author == author
    assert article.published_at == beijing(published)
    assert article.view_count == views and article.weight == weight
    assert "\r" not in article.body and "mso" not in article.body.lower()
    assert "<font" not in article.body and "<o:p" not in article.body
    if not article.is_external:
        own, other = (COUNTY, CITY) if on_county else (CITY, COUNTY)
        assert client.get(article.get_absolute_url(), HTTP_HOST=own).status_code == 200
        if on_county:  # a county's local article is not the city's
            assert client.get(article.get_absolute_url(), HTTP_HOST=other).status_code == 404


def test_summaries_bodies_and_indentation(phpcms, tmp_path):
    run(phpcms, tmp_path)
    assert titled(MEETING).summary == "会议深入学习贯彻二十届中央纪委三次全会精神，部署2024年任务。"
    # PHPCMS's automatic summary: &hellip; decoded, the trailing spaces gone.
    assert titled(CHECK).summary.endswith("逐项排查安全隐患…")
    assert titled(MEETING).body.startswith('<p style="text-indent:2em">3月15日，中共临川市')
    assert "“严”的基调" in titled(MEETING).body
    review = titled(REVIEW).body
    assert review.startswith("<p>\u3000\u3000今年以来") and review.count("<p>\u3000\u3000") == 4
    # The ENTER_BR body: its first line in a paragraph, keeping its indentation.
    assert titled(EXPOSED).body.startswith("<p>\u3000\u3000近日，南岭县纪委监委")
    warning = titled(WARNING).body
    assert "5月20日，全市警示教育大会召开" in warning and "仿宋" not in warning
    # Automatic pagination stores no marker: one part; manual pagination, two.
    assert len(parts(titled(REVIEW).body)) == 1
    assert [p.title for p in parts(titled(FAMILY).body)] == ["清风传家", "廉石为镜"]


def test_unpublished_rows_and_the_external_link(phpcms, tmp_path, client):
    run(phpcms, tmp_path)
    assert titled("一季度审查调查工作推进会召开").status == Article.Status.PENDING
    rejected = titled("关于某某问题的通报")
    assert rejected.status == Article.Status.DRAFT and rejected.review_note
    assert titled("南岭县通报（待审）").status == Article.Status.PENDING
    ccdi = titled(CCDI)
    assert ccdi.is_external
    assert ccdi.external_url == "http://www.ccdi.gov.cn/toutiaon/202405/t20240508_347621.html"
    assert client.get(ccdi.get_absolute_url(), HTTP_HOST=CITY)["Location"] == ccdi.external_url


def test_files_thumbs_and_attachments(phpcms, tmp_path):
    report = run(phpcms, tmp_path)
    pdf = Attachment.objects.get(name="2024年全会工作报告.pdf")
    meeting = titled(MEETING)
    assert pdf.article == meeting and f'href="{pdf.file.url}"' in meeting.body
    assert default_storage.open(pdf.file.name).read().startswith(b"%PDF-1.4")
    assert 'src="/media/uploads/phpcms/2024/0315/20240315103015123.jpg"' in meeting.body
    assert not meeting.cover  # its list picture is the body's first image
    assert titled(CHECK).cover.name == "uploads/phpcms/2024/0402/20240402091544871.png"
    patrol = titled(PATROL)
    assert 'src="/media/uploads/phpcms/2024/0418/20240418041208305.jpg"' in patrol.body
    assert not patrol.cover
    assert "附件 5（2024/0402/20240402092001777.jpg） 文件不存在" in report


def test_related_articles_and_slots(phpcms, tmp_path):
    report = run(phpcms, tmp_path)

    def related(title):
        rows = RelatedArticle.objects.filter(article=titled(title)).order_by("position")
        return [r.related.title for r in rows]

    assert related(MEETING) == [CASE, REVIEW]  # '3|2', in the editor's order
    assert related(PRAISED) == [MEETING]  # '|1|99': the leading pipe, a deleted id
    assert related(PATROL) == [TRAINING]  # county ids are the county model's
    assert "文章 1-8 的相关文章 99 已不存在" in report

    def slot(key):
        return [p.article.title for p in SlotPlacement.objects.filter(slot__key=key)]

    assert slot(HEADLINES) == [WARNING] and slot(CAROUSEL) == [MEETING]


def article_at(title, part=1):
    url = titled(title).get_absolute_url()
    return url + (f"#part-{part}" if part > 1 else "")


@pytest.mark.parametrize(
    ("host", "old", "title", "part"),
    [
        (CITY, "/show-3-2-1.html", REVIEW, 1),
        # Page 2 of the automatically paginated article: the article itself.
        (CITY, "/show-3-2-2.html", REVIEW, 1),
        (CITY, "/index.php?m=content&c=index&a=show&catid=3&id=2&page=2", REVIEW, 1),
        (CITY, "/index.php?m=content&c=index&a=show&catid=3&id=3", CASE, 1),
        (CITY, "/html/gzdt/jjdt/2024/0315/1.html", MEETING, 1),
        # A static category's automatically paginated article printed {id}_2.html.
        (CITY, "/html/gzdt/jjdt/2024/0315/1_2.html", MEETING, 1),
        (CITY, "/html/gzdt/2024/0520/9.html", WARNING, 1),
        (CITY, "/show-7-7-2.html", FAMILY, 2),
        (COUNTY, "/show-8-1-1.html", PATROL, 1),
        (COUNTY, "/show-9-3-1.html", EXPOSED, 1),
    ],
)
def test_old_article_addresses(phpcms, tmp_path, client, host, old, title, part):
    run(phpcms, tmp_path)
    response = client.get(old, HTTP_HOST=host, follow=False)
    assert response.status_code == 301
    assert response["Location"] == article_at(title, part)
    assert client.get(response["Location"].partition("#")[0], HTTP_HOST=host).status_code == 200


@pytest.mark.parametrize(
    ("host", "old", "slug"),
    [
        (CITY, "/list-3-1.html", "scdc"),
        (CITY, "/list-3-2.html", "scdc"),
        (CITY, "/index.php?m=content&c=index&a=lists&catid=4", "tzgg"),
        (CITY, "/html/gzdt/jjdt/", "jjdt"),
        (CITY, "/html/gzdt/index.html", "gzdt"),
        (COUNTY, "/list-9-1.html", "jdbg"),
    ],
)
def test_old_list_addresses(phpcms, tmp_path, client, host, old, slug):
    run(phpcms, tmp_path)
    response = client.get(old, HTTP_HOST=host, follow=False)
    assert response.status_code == 301
    assert response["Location"] == Channel.objects.get(slug=slug).get_absolute_url()


def test_a_county_address_asked_on_the_city_leads_to_the_county(phpcms, tmp_path, client):
    run(phpcms, tmp_path)
    response = client.get("/show-8-1-1.html", HTTP_HOST=CITY, follow=False)
    assert response.status_code == 301
    assert response["Location"].endswith(article_at(PATROL))
    assert response["Location"].startswith(f"http://{COUNTY}")


def test_what_is_not_shown_has_no_old_address(phpcms, tmp_path, client):
    run(phpcms, tmp_path)
    for old in ("/show-3-4-1.html", "/show-3-5-1.html", "/show-3-99-1.html"):
        assert client.get(old, HTTP_HOST=CITY).status_code == 404, old
    assert client.get("/show-9-4-1.html", HTTP_HOST=COUNTY).status_code == 404


def test_a_second_run_changes_nothing(phpcms, tmp_path, media_root):
    first = run(phpcms, tmp_path)
    assert "文章：新增 14" in first and "单网页：新增 1" in first
    before, files = snapshot(), sorted(p for p in media_root.rglob("*") if p.is_file())
    report = run(phpcms, tmp_path)
    assert snapshot() == before
    assert sorted(p for p in media_root.rglob("*") if p.is_file()) == files
    assert "新增" not in report and "更新" not in report
    assert "文章：未变 14" in report


def test_a_dry_run_writes_nothing(phpcms, tmp_path, media_root):
    hosts = Site.main().hosts
    report = run(phpcms, tmp_path, "--dry-run")
    assert report.startswith("PHPCMS 导入预演（未写入任何数据）")
    assert "文章：新增 14" in report
    for model in (Article, Channel, Source, Attachment, RelatedArticle, Placement):
        assert not model.objects.exists(), model
    assert not ImportedRecord.objects.exists() and not OldAddress.objects.exists()
    assert not SlotPlacement.objects.exists()
    assert list(Site.objects.values_list("hosts", flat=True)) == [hosts]
    assert not [p for p in media_root.rglob("*") if p.is_file()]
