"""The demo content: load_demo builds a believable site, safely and repeatably."""

import html
import io
import re

import opencc
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from articles.models import (
    Article,
    Channel,
    FriendlyLink,
    RelatedArticle,
    SiteSettings,
    Source,
)
from articles.ops.models import DemoLoad
from tests.conftest import make_article

pytestmark = pytest.mark.django_db

SEED_TITLE = "七星区：跟进监督 推动“双减”政策落地见效"
SEED_SUMMARY_START = "“双减”政策实施以来，七星区纪委监委以政治监督为统领"
SEED_BODY_QUOTE = "请提供一下你们学校课后服务的安排表"
RELATED_TITLES = ["恭城：为民办实事 助推乡村振兴", "秀峰区：开展政治监督 推动乡村风貌提升"]
PINYIN = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)")
TRADITIONAL_ONLY = "區監雙課後規範鬆"
TAG = re.compile(r"<[^>]+>")


def load(**kwargs):
    out = io.StringIO()
    call_command("load_demo", stdout=out, **kwargs)
    return out.getvalue()


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (Channel, Source, Article, RelatedArticle, SiteSettings)
    }


def delete_everything():
    """What an administrator does to empty the site: articles, then channels leaf first."""
    Article.objects.all().delete()
    while Channel.objects.exists():
        Channel.objects.filter(children=None).delete()
    Source.objects.all().delete()
    FriendlyLink.objects.all().delete()


def files_under(root):
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def demo():
    load()


@pytest.fixture
def seed(demo):
    return Article.objects.get(title=SEED_TITLE)


def test_channel_tree(demo):
    """The demo builds the model site's channel tree."""
    tree = Channel.objects.tree()
    tops = [c.name for c in tree.roots]
    for name in ("新闻廉播", "清廉之窗", "通知公告", "党纪法规"):
        assert name in tops
    window = Channel.objects.get(name="清廉之窗")
    children = [c.name for c in tree.children(window)]
    assert children[:4] == ["基层风采", "巡视巡察", "党风政风", "组织人事"]
    assert all(Channel.objects.get(name=n).parent_id is None for n in ("通知公告", "党纪法规"))


def test_sources(demo):
    """The demo creates the sources its articles cite."""
    for name in ("七星区纪委监委", "恭城瑶族自治县纪委监委", "秀峰区纪委监委", "桂林市纪委监委"):
        assert Source.objects.filter(name=name).exists()


def test_seed_article(seed):
    """The seed article, written by 七星区 in its own channel, was adopted into 基层风采
    (docs/sites.md), cites 七星区纪委监委 and carries its summary and body."""
    assert seed.site.name == "七星区" and seed.channel.site == seed.site
    [city_channel] = seed.also_in.all()
    assert city_channel.name == "基层风采"
    assert city_channel.parent.name == "清廉之窗"
    assert seed.source.name == "七星区纪委监委"
    assert seed.summary.startswith(SEED_SUMMARY_START)
    assert SEED_BODY_QUOTE in seed.body
    assert seed.is_visible


def test_seed_related_articles_in_order(seed):
    """The seed's related articles are 恭城 then 秀峰区, in that order."""
    titles = [link.related.title for link in seed.related_links.order_by("position", "id")]
    assert titles == RELATED_TITLES


def test_no_pinyin_annotations(demo):
    """No demo article carries pinyin in brackets after characters."""
    for article in Article.objects.all():
        for value in (article.title, article.summary, article.body, article.author):
            assert not PINYIN.search(value), (article.title, PINYIN.findall(value))


def test_seed_has_no_traditional_characters(seed):
    """The seed article is written in Simplified Chinese only."""
    for value in (seed.title, seed.summary, seed.body):
        assert not set(TRADITIONAL_ONLY) & set(value)


def test_all_articles_are_simplified(demo):
    """Converting any demo article from Traditional to Simplified changes nothing."""
    to_simplified = opencc.OpenCC("t2s")
    for article in Article.objects.all():
        for value in (article.title, article.summary, html.unescape(TAG.sub("", article.body))):
            assert to_simplified.convert(value) == value, article.title


def test_every_channel_has_a_published_article(demo):
    """Every demo channel shows at least one published article of its own."""
    for channel in Channel.objects.all():
        assert Article.objects.published().filter(channel=channel).exists(), channel.name


def test_site_settings(demo):
    """The demo fills in the site settings with a WeChat QR image and a Weibo link."""
    site = SiteSettings.load()
    assert site.site_name == "清廉桂林"
    assert site.wechat_qr
    assert site.weibo_url


def test_second_run_creates_nothing(demo):
    """Running load_demo again creates nothing new and says why."""
    before = counts()
    output = load()
    assert counts() == before
    assert "Demo content: not loaded, it was loaded into this site once already" in output


def test_second_run_keeps_editors_changes(seed):
    """Running load_demo again does not overwrite an article an editor changed."""
    Article.objects.filter(pk=seed.pk).update(
        summary="编辑改过的摘要", body="<p>编辑改过的正文</p>", status=Article.Status.OFFLINE
    )
    site = SiteSettings.load()
    site.site_name = "编辑改过的站名"
    site.save()

    load()
    seed.refresh_from_db()
    assert seed.summary == "编辑改过的摘要"
    assert seed.body == "<p>编辑改过的正文</p>"
    assert seed.status == Article.Status.OFFLINE
    assert SiteSettings.load().site_name == "编辑改过的站名"


def test_second_run_keeps_site_settings_without_qr(demo):
    """An editor who removed the WeChat QR and renamed the site keeps both after a rerun."""
    site = SiteSettings.load()
    site.wechat_qr = ""
    site.site_name = "清廉秀峰"
    site.weibo_url = ""
    site.save()

    load()
    site = SiteSettings.load()
    assert site.site_name == "清廉秀峰"
    assert not site.weibo_url
    assert not site.wechat_qr


def test_load_demo_keeps_settings_made_before_it(db):
    """Site settings an administrator filled in before loading the demo are not replaced."""
    site = SiteSettings.load()
    site.site_name = "清廉秀峰"
    site.organizer = "秀峰区纪委监委"
    site.save()

    load()
    site = SiteSettings.load()
    assert site.site_name == "清廉秀峰"
    assert site.organizer == "秀峰区纪委监委"


def test_first_run_says_it_loads_only_once(db):
    """The first load creates the demo, records it once and says it will not come back."""
    output = load()
    assert re.search(r"Demo content: created \d+ object\(s\)\. It is loaded this once", output)
    assert DemoLoad.objects.count() == 1
    assert DemoLoad.objects.get().created == sum(counts().values()) + FriendlyLink.objects.count()


def test_demo_command_keeps_what_an_administrator_deleted_and_added(seed):
    """The README's start command, run again after an administrator deleted a demo article
    and a demo link and added a second link with an existing name, starts and leaves all
    of it as the administrator left it (issue 15 #2)."""
    link = FriendlyLink.objects.get(name="中国政府网")
    FriendlyLink.objects.create(name="中央纪委国家监委网站", url="https://www.ccdi.gov.cn/ywtt/")
    seed.delete()
    link.delete()
    before = counts()

    out = io.StringIO()
    call_command("demo", "--no-serve", stdout=out)
    call_command("demo", "--no-serve", stdout=out)

    assert not Article.objects.filter(title=SEED_TITLE).exists()
    assert not FriendlyLink.objects.filter(name="中国政府网").exists()
    assert FriendlyLink.objects.filter(name="中央纪委国家监委网站").count() == 2
    assert counts() == before
    assert "it was loaded into this site once already" in out.getvalue()


def test_deleting_everything_does_not_bring_the_demo_back(demo):
    """An administrator who cleared out every demo channel, article, source and link gets
    an empty site after the next start, not the demo again."""
    delete_everything()
    output = load()
    assert "not loaded" in output
    assert not Article.objects.exists()
    assert not Channel.objects.exists()
    assert not FriendlyLink.objects.exists()


def test_demo_is_not_mixed_into_a_site_with_content(channel):
    """A site that already has content of its own gets no demo, now or after it is
    deleted, and the command says why."""
    make_article("秀峰区：本站自己的稿件", channel=channel)
    output = load()
    assert "Demo content: not loaded, the site has content of its own (" in output
    assert list(Article.objects.values_list("title", flat=True)) == ["秀峰区：本站自己的稿件"]
    assert not FriendlyLink.objects.exists()

    delete_everything()
    assert "not loaded" in load()
    assert not Article.objects.exists()


def test_dry_run_does_not_count_as_loading(db):
    """load_demo --dry-run records nothing: the real load afterwards creates the demo."""
    load(dry_run=True)
    assert not DemoLoad.objects.exists()
    load()
    assert Article.objects.filter(title=SEED_TITLE).exists()


def test_dry_run_writes_nothing_to_the_database(db):
    """load_demo --dry-run reports what it would create and leaves the database as it was."""
    before = counts()
    output = load(dry_run=True)
    assert "would create" in output
    assert counts() == before
    assert SiteSettings.load().wechat_qr.name == ""


def test_dry_run_writes_no_files(db, media_root):
    """load_demo --dry-run writes no cover or QR image files either."""
    load(dry_run=True)
    assert files_under(media_root) == []


def test_seed_article_page(client, seed):
    """After load_demo the seed's page shows breadcrumb, title, source, summary, body and
    related links."""
    response = client.get(seed.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    nav = re.search(r'<nav class="breadcrumb".*?</nav>', page, re.S).group(0)
    assert html.unescape(TAG.sub("", nav)) == "所在位置：首页 > 清廉之窗 > 基层风采 > 正文"
    assert f'<h1 class="article__title">{SEED_TITLE}</h1>' in page
    assert "来源：七星区纪委监委" in page
    assert f"<strong>摘要：</strong>{SEED_SUMMARY_START}" in page
    assert SEED_BODY_QUOTE in page
    related = re.search(r'<section class="related".*?</section>', page, re.S).group(0)
    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', related)
    expected = [Article.objects.get(title=title) for title in RELATED_TITLES]
    assert links == [(a.get_absolute_url(), a.title) for a in expected]


def test_demo_home_and_channel_pages_answer(client, demo):
    """After load_demo the home page and every channel page answer with articles."""
    response = client.get("/")
    assert response.status_code == 200
    assert SEED_TITLE in response.content.decode()
    for channel in Channel.objects.select_related("site"):
        # A county's own channels answer on its host (docs/sites.md).
        host = channel.site.host_list[0] if channel.site else "testserver"
        page = client.get(channel.get_absolute_url(), HTTP_HOST=host)
        assert page.status_code == 200
        assert "暂无文章" not in page.content.decode(), channel.name


def test_every_demo_site_shows_the_report_entrance(client, demo):
    """Each commission's site of the group has 监督举报 on its pages, its 举报须知 page and
    the numbers to call (issue 19 #3), the counties too."""
    for host in ("testserver", "qixing.localhost", "gongcheng.localhost"):
        home = client.get("/", HTTP_HOST=host).content.decode()
        assert 'class="report-link" href="' in home, host
        assert 'href="tel:077312388"' in home, host
        assert 'href="https://www.12388.gov.cn/"' in home, host
        page = client.get("/jubao/", HTTP_HOST=host).content.decode()
        assert "举报须知" in page and 'href="tel:12388"' in page, host


def test_demo_command_creates_one_administrator(db):
    """demo --no-serve migrates, loads, creates one superuser and prints its password once."""
    User = get_user_model()
    out = io.StringIO()
    call_command("demo", "--no-serve", stdout=out)
    output = out.getvalue()

    assert Article.objects.filter(title=SEED_TITLE).exists()
    admins = User.objects.filter(is_superuser=True)
    assert admins.count() == 1
    password = re.search(r"password: (\S+)", output).group(1)
    assert output.count(password) == 1
    assert admins.get().check_password(password)

    again = io.StringIO()
    call_command("demo", "--no-serve", stdout=again)
    assert "password:" not in again.getvalue()
    assert password not in again.getvalue()
    assert User.objects.filter(is_superuser=True).count() == 1
    assert Article.objects.filter(title=SEED_TITLE).count() == 1


def test_demo_command_keeps_an_existing_administrator(db, django_user_model):
    """demo --no-serve creates no superuser when one already exists."""
    django_user_model.objects.create_superuser("boss", "boss@example.com", "pw-Unused-9")
    out = io.StringIO()
    call_command("demo", "--no-serve", stdout=out)
    assert "password:" not in out.getvalue()
    assert django_user_model.objects.filter(is_superuser=True).count() == 1
