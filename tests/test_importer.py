"""Importing a PHPCMS v9 database (tests/fixtures/phpcms/) through ``import_phpcms``,
against a real MariaDB (tests/phpcms_database.py: skipped without one, failed in CI)."""

import re
from datetime import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db.models import F
from PIL import Image

from articles.importer.models import ImportedRecord, OldAddress
from articles.models import (
    Article,
    Attachment,
    Channel,
    RelatedArticle,
    Site,
    SiteSettings,
    SlotPlacement,
    Source,
)
from articles.models.slots import CAROUSEL, HEADLINES
from articles.parts import parts
from tests.phpcms_database import execute, load

SHANGHAI = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="session")
def phpcms():
    """The city-and-county database, read by the tests that do not change it."""
    url, name, drop = load("city_and_county.sql")
    yield SimpleNamespace(url=url, name=name)
    drop()


@pytest.fixture
def own_phpcms():
    """A copy of its own for a test that changes the old site between two runs."""
    url, name, drop = load("city_and_county.sql")
    yield SimpleNamespace(url=url, name=name)
    drop()


@pytest.fixture
def uploads(tmp_path):
    """The old upload folder: one image, one PDF; the third image is missing."""
    folder = tmp_path / "uploadfile"
    (folder / "2023/0512").mkdir(parents=True)
    Image.new("RGB", (60, 40), "red").save(folder / "2023/0512/20230512033015123.jpg")
    (folder / "2023/0512/20230512033016456.pdf").write_bytes(b"%PDF-1.4\n")
    return folder


def run(source, uploads, tmp_path, *extra):
    report = tmp_path / "report.txt"
    call_command(
        "import_phpcms", source.url, "--uploads", str(uploads), "--report", str(report),
        "--verbosity", "0", *extra,
    )  # fmt: skip
    return report.read_text(encoding="utf-8")


def by_title(title):
    return Article.objects.get(title=title)


def test_channel_tree_keeps_levels_names_menus_and_unclashes_slugs(phpcms, uploads, tmp_path):
    report = run(phpcms, uploads, tmp_path)
    top = Channel.objects.get(slug="gzdt")
    middle = Channel.objects.get(slug="scdc")
    leaf = Channel.objects.get(slug="zjsc")
    assert (top.parent, middle.parent, leaf.parent) == (None, top, middle)
    assert (top.name, top.description, top.keywords) == (
        "工作动态",
        "全市纪检监察&工作",
        "纪检,监察",
    )
    # The same catdir under another parent: the parent's slug in front.
    assert Channel.objects.get(slug="scdc-gzdt").parent == middle
    assert Channel.objects.get(slug="lzwh").show_in_nav is False
    # An external-link category (type 2): a channel that is a link, in the navigation.
    link = Channel.objects.get(name="中央纪委网站")
    assert (link.external_url, link.parent, link.position, link.show_in_nav) == (
        "https://www.ccdi.gov.cn/",
        None,
        10,
        True,
    )
    assert "中央纪委网站" not in report
    # A single page: its channel with its one published article.
    page = Article.objects.get(channel__slug="gywm")
    assert (page.title, page.status, page.body) == ("关于我们", "published", "<p>本委简介。</p>")


def test_an_article_keeps_its_id_title_source_author_times_summary_and_views(
    phpcms, uploads, tmp_path
):
    run(phpcms, uploads, tmp_path)
    article = Article.objects.get(pk=101)
    assert article.title == "示例市：强化监督 推动整改"
    assert article.channel.slug == "gzdt"
    assert article.source.name == "中央纪委国家监委网站"
    assert article.author == "李明 王芳"
    assert article.summary == "全市纪检监察机关2023年查处问题，23 3%的干部受到处理…"
    assert article.keywords == "廉政,监督"
    assert article.published_at.astimezone(SHANGHAI) == datetime(
        2023, 5, 12, 9, 30, tzinfo=SHANGHAI
    )
    assert article.updated_at.astimezone(SHANGHAI) == datetime(2023, 7, 3, 10, 0, tzinfo=SHANGHAI)
    assert article.view_count == 1234
    assert article.status == Article.Status.PUBLISHED
    # New articles take ids after the imported ones.
    highest = Article.objects.order_by("-pk").first().pk
    assert Article.objects.create(title="新稿", channel=article.channel, body="x").pk == highest + 1


def test_bodies_pass_the_sanitizer_and_images_are_copied_through_the_upload_checks(
    phpcms, uploads, tmp_path
):
    run(phpcms, uploads, tmp_path)
    body = Article.objects.get(pk=101).body
    for gone in ("<script", "alert", "<font", "<o:p", "MsoNormal", "仿宋", "example-city"):
        assert gone not in body
    assert "<p>\u3000\u3000“一把手”带头…</p>" in body  # &nbsp; run → the site's indent
    image = "/media/uploads/phpcms/2023/0512/20230512033015123.jpg"
    assert f'src="{image}"' in body
    assert default_storage.exists(image.removeprefix("/media/"))
    # A PDF: an attachment of the article that links it, the link pointed at it.
    attachment = Attachment.objects.get()
    assert (attachment.article_id, attachment.name, attachment.kind) == (101, "整改清单.pdf", "pdf")
    assert f'href="{attachment.file.url}"' in body and "uploadfile" not in body
    assert default_storage.exists(attachment.file.name)


def test_states_map_onto_the_workflow(phpcms, uploads, tmp_path):
    run(phpcms, uploads, tmp_path)
    assert Article.objects.get(pk=103).status == Article.Status.PENDING  # 一审
    assert Article.objects.get(pk=107).status == Article.Status.PENDING  # 三审
    rejected = Article.objects.get(pk=104)
    assert rejected.status == Article.Status.DRAFT and "退稿" in rejected.review_note
    assert not Article.objects.published().filter(pk__in=[103, 104, 107]).exists()


def test_sources_from_the_list_the_free_text_and_dangling_ids(phpcms, uploads, tmp_path):
    report = run(phpcms, uploads, tmp_path)
    assert Article.objects.get(pk=102).source.name == "桂林日报"  # typed, none chosen
    assert Article.objects.get(pk=103).source.name == "广西纪检监察网"  # '|2'
    assert Article.objects.get(pk=106).source.name == "广西纪检监察网"  # the URL was its link
    assert Article.objects.get(pk=104).source.name == "某报"  # entry 7 deleted
    assert "来源编号 7 已不存在" in report
    assert Source.objects.get(name="中央纪委国家监委网站").url == "https://www.ccdi.gov.cn/"
    assert Source.objects.filter(name="没有文章用过的来源").exists()
    assert Article.objects.get(pk=103).title == '学校"清廉"建设的做法'


def test_related_articles_keep_their_order_and_drop_deleted_ids(phpcms, uploads, tmp_path):
    report = run(phpcms, uploads, tmp_path)
    links = RelatedArticle.objects.filter(article_id=101).order_by("position")
    assert [link.related_id for link in links] == [102, 103]
    assert "相关文章 999 已不存在" in report


def test_page_parts_are_kept_in_order_with_their_subtitles(phpcms, uploads, tmp_path, client):
    run(phpcms, uploads, tmp_path)
    body = Article.objects.get(pk=102).body
    # The article is in parts here too, each under its subtitle.
    assert [part.title for part in parts(body)] == ["", "", "回访之后"]
    page = client.get("/article/102/").content.decode()
    assert 'id="part-3"' in page and "回访之后" in page
    assert client.get("/html/gzdt/scdc/2023/0601/102_3.html")["Location"] == "/article/102/#part-3"
    assert (
        body.index("第一部分")
        < body.index("第二部分")
        < body.index("回访之后")
        < body.index("第三部分")
    )
    assert "[page]" not in body and "<p></p>" not in body
    # Not paginated by hand: a [page] in the text is the editor's text.
    assert "[page]" in Article.objects.get(pk=106).body


def test_a_county_model_in_gbk_gets_ids_of_its_own(phpcms, uploads, tmp_path):
    run(phpcms, uploads, tmp_path)
    county = by_title("县区：开展廉政教育")
    assert county.pk != 101 and county.channel.slug == "xqdt" and county.view_count == 50
    assert county.summary == "县区廉政教育的正文。"


def test_external_links_point_out_and_a_shared_article_is_not_doubled(
    phpcms, uploads, tmp_path, client, settings
):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "xq.example-city.gov.cn"]
    report = run(phpcms, uploads, tmp_path)
    link = by_title("中央纪委：一则要闻")
    assert link.pk == 105
    assert link.external_url == "https://www.ccdi.gov.cn/yaowen/202305/t20230512_100.html"
    # Its page sends readers there.
    assert client.get(f"/article/{link.pk}/")["Location"] == link.external_url
    # The county's stub of article 101 is 101 also shown there, not a second article.
    assert Article.objects.filter(title="示例市：强化监督 推动整改").count() == 1
    assert list(Article.objects.get(pk=101).also_in.values_list("slug", flat=True)) == ["xqdt"]
    assert "同时发布：新增 1" in report
    # Readers of the county's channel find it there.
    page = client.get("/channel/xqdt/", HTTP_HOST="xq.example-city.gov.cn").content.decode()
    assert "示例市：强化监督 推动整改" in page


def test_the_county_site_gets_its_host_its_local_channels_and_its_articles(
    phpcms, uploads, tmp_path, client, settings
):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "xq.example-city.gov.cn"]
    run(phpcms, uploads, tmp_path)
    main, county = Site.main(), Site.objects.get(name="示例县纪委监委")
    assert "www.example-city.gov.cn" in main.host_list
    assert county.host_list == ["xq.example-city.gov.cn"] and not county.is_main
    assert Channel.objects.get(slug="xqdt").site == county
    assert Channel.objects.get(slug="gzdt").site is None  # the city's: shared
    assert by_title("县区：开展廉政教育").site == county
    assert Article.objects.get(pk=101).site is None  # the main site's
    # An old address of an unknown catid on the county's host: the county's model.
    county_article = by_title("县区：开展廉政教育")
    location = client.get("/show-999-101-1.html", HTTP_HOST="xq.example-city.gov.cn")
    assert location["Location"].endswith(f"/article/{county_article.pk}/")
    # Each site named as PHPCMS named it: the header of its pages, and the main site in
    # the admin (a fresh install calls it 主站).
    assert main.name == "示例市纪委监委"
    assert SiteSettings.load(main).site_name == "示例市纪委监委"
    assert SiteSettings.load(county).site_name == "示例县纪委监委"
    home = client.get("/", HTTP_HOST="xq.example-city.gov.cn").content.decode()
    assert "<title>示例县纪委监委</title>" in home
    # A second run finds the same sites again, and keeps what an administrator renamed.
    SiteSettings.objects.filter(site=county).update(site_name="清廉示例县")
    run(phpcms, uploads, tmp_path)
    assert Site.objects.count() == 2
    assert SiteSettings.load(county).site_name == "清廉示例县"


def test_missing_and_unsafe_files_are_reported_not_fatal(phpcms, uploads, tmp_path):
    report = run(phpcms, uploads, tmp_path)
    assert "20230601080000789.png） 文件不存在" in report
    assert "[设置] 推荐位 1：setting 无法解析" in report  # a PHP call in a stored array
    assert "../../etc/passwd） 路径不安全" in report
    assert (tmp_path / "report.txt").exists()


@pytest.mark.parametrize(
    "old, new",
    [
        ("/html/gzdt/2023/0512/101.html", "/article/101/"),
        ("/html/gzdt/scdc/2023/0601/102_3.html", "/article/102/#part-3"),
        ("/html/lzwh/2024/0102/106.html", "/article/106/"),  # Beijing's date, not UTC's
        ("/show-10-102-1.html", "/article/102/"),
        ("/show-3-102-1-5.html", "/article/102/"),  # any catid of the model, a site number
        ("/show-999-101-1.html", "/article/101/"),  # a deleted catid: the main model
        ("/index.php?m=content&c=index&a=show&catid=22&id=106", "/article/106/"),
        ("/article-306-101-1.html", "/article/101/"),
        ("/list-10-1.html", "/channel/scdc/"),
        ("/index.php?m=content&c=index&a=lists&catid=3&page=4", "/channel/gzdt/"),
        ("/html/gzdt/scdc/", "/channel/scdc/"),
        ("/html/gzdt/3.html", "/channel/gzdt/"),
    ],
)
def test_old_addresses_answer_301_to_the_new_ones(phpcms, uploads, tmp_path, client, old, new):
    run(phpcms, uploads, tmp_path)
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == new


def test_the_county_model_resolves_through_its_own_catid(phpcms, uploads, tmp_path, client):
    run(phpcms, uploads, tmp_path)
    county = by_title("县区：开展廉政教育")
    assert client.get("/show-30-101-1.html")["Location"] == f"/article/{county.pk}/"


def test_unknown_old_addresses_stay_404(phpcms, uploads, tmp_path, client):
    run(phpcms, uploads, tmp_path)
    for path in ("/show-10-424242-1.html", "/html/nowhere/2023/0101/1.html", "/list-77-1.html"):
        assert client.get(path).status_code == 404


def test_a_second_run_changes_nothing(phpcms, uploads, tmp_path):
    first = run(phpcms, uploads, tmp_path)
    before = {
        "articles": list(Article.objects.order_by("pk").values()),
        "channels": list(Channel.objects.order_by("pk").values()),
        "sources": list(Source.objects.order_by("pk").values()),
        "related": list(RelatedArticle.objects.order_by("pk").values()),
        "addresses": list(OldAddress.objects.order_by("pk").values()),
    }
    report = run(phpcms, uploads, tmp_path)
    after = {
        "articles": list(Article.objects.order_by("pk").values()),
        "channels": list(Channel.objects.order_by("pk").values()),
        "sources": list(Source.objects.order_by("pk").values()),
        "related": list(RelatedArticle.objects.order_by("pk").values()),
        "addresses": list(OldAddress.objects.order_by("pk").values()),
    }
    assert after == before
    assert "文章：未变 8" in report and "新增" not in report.split("问题与跳过")[0]
    assert "栏目：未变 8" in report and "更新" not in report.split("问题与跳过")[0]
    # Every source the first run made (listed or typed) is counted again as found.
    made = int(re.search(r"来源：新增 (\d+)", first).group(1))
    assert f"来源：未变 {made}" in report and made == Source.objects.count()
    assert Channel.objects.get(name="中央纪委网站").external_url == "https://www.ccdi.gov.cn/"
    assert Article.objects.get(pk=101).title_colour == "red"


def test_a_later_run_adds_the_new_and_updates_the_changed(own_phpcms, uploads, tmp_path, client):
    run(own_phpcms, uploads, tmp_path)
    # Meanwhile an editor writes here, and the old site goes on publishing: its next id
    # is the one the editor's article took.
    mine = Article.objects.create(title="本站新稿", channel=Channel.objects.first(), body="x")
    execute(
        own_phpcms.name,
        "UPDATE v9_news SET title = '示例市：强化监督 推动整改落实', updatetime = 1700000000 "
        "WHERE id = 101",
        "INSERT INTO v9_news (id, catid, typeid, title, description, url, status, username, "
        f"inputtime, updatetime) VALUES ({mine.pk}, 11, 0, '后来发布的稿件', '', '', 99, "
        "'admin', 1700000000, 1700000000)",
        "INSERT INTO v9_news_data (id, content, groupids_view, paginationtype, maxcharperpage, "
        f"template, relation, copyfrom) VALUES ({mine.pk}, '<p>新正文</p>', '', 0, 0, '', "
        "'101', '')",
    )
    # Both sites counted readers meanwhile: the views counted here are kept.
    execute(own_phpcms.name, "UPDATE v9_hits SET views = 1300 WHERE hitsid = 'c-1-101'")
    Article.objects.filter(pk=101).update(view_count=F("view_count") + 10)
    count = Article.objects.count()
    report = run(own_phpcms, uploads, tmp_path)
    assert Article.objects.get(pk=101).view_count == 1234 + 66 + 10
    assert Article.objects.count() == count + 1
    assert Article.objects.get(pk=101).title == "示例市：强化监督 推动整改落实"
    assert Article.objects.get(pk=mine.pk).title == "本站新稿"
    later = by_title("后来发布的稿件")
    assert later.pk > mine.pk and later.channel.slug == "zjsc"
    assert list(later.related.values_list("pk", flat=True)) == [101]
    assert "文章：新增 1，更新 1，未变 7" in report
    assert "已被本站文章占用" in report
    # Its old address follows it to its new id.
    assert client.get(f"/show-11-{mine.pk}-1.html")["Location"] == f"/article/{later.pk}/"


def test_a_dry_run_writes_nothing_and_says_what_it_would_do(phpcms, uploads, tmp_path, media_root):
    report = run(phpcms, uploads, tmp_path, "--dry-run")
    assert "预演" in report and "文章：新增 8" in report and "文件不存在" in report
    for model in (Article, Channel, Source, RelatedArticle, ImportedRecord, OldAddress):
        assert not model.objects.exists(), model
    assert not media_root.exists() or not any(p.is_file() for p in media_root.rglob("*"))


def test_the_table_prefix_is_detected_or_given(phpcms, uploads, tmp_path):
    with pytest.raises(CommandError, match="不存在"):
        run(phpcms, uploads, tmp_path, "--prefix", "phpcms_")
    run(phpcms, uploads, tmp_path, "--prefix", "v9_")
    assert Article.objects.filter(pk=101).exists()


def test_a_big_import_builds_the_search_index_once_at_the_end(
    phpcms, uploads, tmp_path, client, monkeypatch, settings
):
    from articles.importer import run as importing

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "xq.example-city.gov.cn"]

    monkeypatch.setattr(importing, "BIG_IMPORT", 1)
    run(phpcms, uploads, tmp_path)
    county = by_title("县区：开展廉政教育")
    # (found on its own site's search)
    found = client.get("/search/", {"q": "廉政教育"}, HTTP_HOST="xq.example-city.gov.cn")
    assert f"/article/{county.pk}/" in found.content.decode()
    # The receiver that indexes each write is back.
    article = Article.objects.get(pk=101)
    article.title = "示例市：新的标题词语鑫淼"
    article.save()
    assert "/article/101/" in client.get("/search/", {"q": "鑫淼"}).content.decode()


def test_one_site_alone_and_an_article_whose_channel_is_gone(phpcms, uploads, tmp_path):
    report = run(phpcms, uploads, tmp_path)
    assert "文章 1-108 的栏目 99 不存在或未导入" in report
    assert not Article.objects.filter(title="栏目已删除的稿件").exists()


def test_only_the_sites_asked_for(phpcms, uploads, tmp_path):
    report = run(phpcms, uploads, tmp_path, "--site", "2")
    assert list(Channel.objects.values_list("slug", flat=True)) == ["xqdt"]
    assert Article.objects.get(title="县区：开展廉政教育").channel.slug == "xqdt"
    # The county's stub of a city article not imported: a link to the city's page.
    stub = Article.objects.get(title="示例市：强化监督 推动整改")
    assert stub.external_url == "http://www.example-city.gov.cn/html/gzdt/2023/0512/101.html"
    assert Article.objects.count() == 2
    assert "1-108" not in report


def test_an_old_address_costs_at_most_three_queries_and_other_404s_none(
    phpcms, uploads, tmp_path, client, django_assert_num_queries
):
    run(phpcms, uploads, tmp_path)
    client.get("/")  # (the site's furniture read and cached first)
    with django_assert_num_queries(3):  # the catid's model, the article's record, the article
        assert client.get("/show-10-102-1.html").status_code == 301
    with django_assert_num_queries(2):  # the path, the article
        assert client.get("/html/gzdt/2023/0512/101.html").status_code == 301
    with django_assert_num_queries(0):
        assert client.get("/no-such-page.txt").status_code == 404


def test_the_manual_order_becomes_the_weight(own_phpcms, uploads, tmp_path):
    execute(own_phpcms.name, "UPDATE v9_news SET listorder = 1 WHERE id = 102")
    run(own_phpcms, uploads, tmp_path)
    assert (Article.objects.get(pk=101).weight, Article.objects.get(pk=102).weight) == (5, 1)
    listed = Article.objects.published().for_list().filter(pk__in=[101, 102])
    assert [a.pk for a in listed] == [101, 102]  # the older first: weighed heavier


def test_recommendation_positions_fill_the_home_pages_slots(phpcms, uploads, tmp_path, client):
    report = run(phpcms, uploads, tmp_path)
    placed = {(p.slot.key, p.article_id) for p in SlotPlacement.objects.select_related("slot")}
    # 首页头条推荐 → the headlines, 首页焦点图推荐 → the carousel.
    assert placed == {(HEADLINES, 101), (CAROUSEL, 102)}
    assert not Article.objects.filter(is_featured=True).exists()
    assert "推荐位：新增 2，跳过 1" in report  # article 555 does not exist
    assert "示例市：强化监督 推动整改" in client.get("/").content.decode()
    # A second run finds them again.
    assert "推荐位：未变 2，跳过 1" in run(phpcms, uploads, tmp_path)


def test_the_list_picture_is_the_body_image_or_else_the_cover(own_phpcms, uploads, tmp_path):
    picture = "http://www.example-city.gov.cn/uploadfile/2023/0512/20230512033015123.jpg"
    execute(own_phpcms.name, f"UPDATE v9_news SET thumb = '{picture}' WHERE id = 106")
    run(own_phpcms, uploads, tmp_path)
    name = "uploads/phpcms/2023/0512/20230512033015123.jpg"
    # 101's thumb is its body's first image: lists show that, no cover is made.
    first = Article.objects.get(pk=101)
    assert (first.cover.name, first.body_image, first.thumbnail.name) == ("", name, name)
    # 106's is a picture not in its body: its cover.
    other = Article.objects.get(pk=106)
    assert (other.cover.name, other.cover_alt) == (name, "廉政文化进校园")
    assert other.thumbnail.url == f"/media/{name}"


def test_a_file_whose_content_is_not_its_type_is_refused(phpcms, uploads, tmp_path):
    (uploads / "2023/0512/20230512033016456.pdf").write_bytes(b"MZ\x90\x00 not a pdf")
    report = run(phpcms, uploads, tmp_path)
    assert not Attachment.objects.exists()
    assert "附件 2（2023/0512/20230512033016456.pdf） 未导入" in report
    assert 'href="/uploadfile/2023/0512/20230512033016456.pdf"' in Article.objects.get(pk=101).body


def test_a_subsite_in_a_folder_of_the_main_domain_is_a_site_of_its_own(
    own_phpcms, uploads, tmp_path
):
    execute(
        own_phpcms.name,
        "UPDATE v9_site SET domain = 'http://www.example-city.gov.cn/xq/' WHERE siteid = 2",
    )
    run(own_phpcms, uploads, tmp_path)
    county = Site.objects.get(name="示例县纪委监委")
    assert not county.is_main and county.host_list == []
    assert Site.main().host_list == ["www.example-city.gov.cn"]
    assert Channel.objects.get(slug="xqdt").site == county


def test_title_styles_become_emphasis_and_approximated_colours_are_reported(
    phpcms, uploads, tmp_path, client
):
    report = run(phpcms, uploads, tmp_path)
    emphasis = {
        pk: (colour, bold)
        for pk, colour, bold in Article.objects.values_list("pk", "title_colour", "title_bold")
    }
    assert emphasis[101] == ("red", True)  # '#FF0000;bold': the palette's red, bold
    assert emphasis[102] == ("blue", False)  # '#3366CC': the nearest, blue
    assert emphasis[103] == ("", False)  # no style
    assert by_title("同名目录下的稿件").title_bold  # '#999999;bold': grey is no colour
    assert by_title("同名目录下的稿件").title_colour == ""
    assert "的标题颜色 #3366CC 不在本站的标题颜色中，按最接近的“蓝色”导入" in report
    assert "的标题颜色 #999999 不在本站的标题颜色中，按最接近的普通颜色导入" in report
    assert "#FF0000" not in report
    page = client.get("/channel/gzdt/").content.decode()
    assert '<span class="title--red title--bold">示例市：强化监督 推动整改</span>' in page


def test_a_later_run_follows_changed_styles_and_links(own_phpcms, uploads, tmp_path):
    run(own_phpcms, uploads, tmp_path)
    execute(
        own_phpcms.name,
        "UPDATE v9_news SET style = '', updatetime = 1700000000 WHERE id = 102",
        "UPDATE v9_category SET url = 'https://www.ccdi.gov.cn/yaowen/' WHERE catid = 21",
        "INSERT INTO v9_category (catid, siteid, module, type, modelid, parentid, arrparentid, "
        "arrchildid, catname, description, parentdir, catdir, url, setting, listorder) VALUES "
        "(23, 1, 'content', 2, 0, 0, '0', '23', '专题', '', '', '', '/html/zt/', '', 11)",
    )
    report = run(own_phpcms, uploads, tmp_path)
    assert Article.objects.filter(pk=102, title_colour="", title_bold=False).exists()
    link = Channel.objects.get(name="中央纪委网站")
    assert link.external_url == "https://www.ccdi.gov.cn/yaowen/"
    assert "栏目：更新 1，未变 7，跳过 1" in report
    assert "栏目 23「专题」是外部链接，但网址不是 http(s) 网址，未导入：/html/zt/" in report
    assert not Channel.objects.filter(name="专题").exists()
