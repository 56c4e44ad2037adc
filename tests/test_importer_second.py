"""A second PHPCMS v9 database, written apart from city_and_county.sql from the PHPCMS
reference alone (tests/fixtures/phpcms/second_newsroom.sql: prefix jw_, a city site and
a county site on its own domain, ids far from 1), imported through ``import_phpcms``
against a real MariaDB (tests/phpcms_database.py: skipped without one, failed in CI).

Each test checks one promise of docs/importing.md on data the importer was not
written against: where each article lands, what it keeps, where its old addresses
lead, and that a second run and a dry run change nothing.
"""

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
from tests.imported import snapshot
from tests.phpcms_database import load

SHANGHAI = ZoneInfo("Asia/Shanghai")
UPLOADS = Path(__file__).parent / "fixtures" / "phpcms" / "second_uploadfile"
CITY, COUNTY = "www.qflj.gov.cn", "www.xkjw.gov.cn"
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="session")
def phpcms():
    """The second newsroom's database; no test changes it."""
    url, name, drop = load("second_newsroom.sql")
    yield SimpleNamespace(url=url, name=name)
    drop()


@pytest.fixture(autouse=True)
def both_hosts(settings):
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
    return datetime.strptime(text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=SHANGHAI)


def test_the_sites_and_the_channel_tree(phpcms, tmp_path):
    run(phpcms, tmp_path)
    main, county = Site.main(), Site.objects.get(name="清风溪口")
    assert CITY in main.host_list
    assert county.host_list == [COUNTY] and not county.is_main
    tree = {c.slug: c for c in Channel.objects.select_related("parent")}
    # Three levels of the city (a catdir starting with a digit kept as it is).
    assert tree["2jc"].parent.slug == "xqdt" and tree["xqdt"].parent.slug == "gzdt"
    assert tree["sjw2019"].parent.slug == "gzdt" and tree["gzdt"].parent is None
    assert tree["xczx"].parent.slug == "ztzl" and tree["ztzl"].parent.slug == "gzdt"
    assert {s for s, c in tree.items() if c.site_id is None} == {
        "gzdt", "sjw2019", "xqdt", "2jc", "ztzl", "xczx", "scdc", "djfg", "tzgg", "tslz",
        "gywm", "zhong-yang-ji-wei-guo-jia-jian-wei",
    }  # fmt: skip
    assert {s for s, c in tree.items() if c.site == county} == {"xkyw", "jdzj", "ljjf", "txytg"}
    assert tree["ljjf"].parent.slug == "jdzj"
    # listorder is the order, ismenu the navigation.
    assert (tree["sjw2019"].position, tree["xqdt"].position) == (1, 2)
    assert not tree["tslz"].show_in_nav and not tree["txytg"].show_in_nav
    # Settings in var_export, JSON with \u escapes and JSON escaped twice.
    assert tree["xqdt"].keywords == "县区,动态"
    assert tree["sjw2019"].keywords == "市纪委,监委"
    assert tree["djfg"].keywords == "党纪,法规"
    assert tree["scdc"].description == "执纪审查&监察调查信息"
    # The external-link category is a link channel; the single page one article.
    link = tree["zhong-yang-ji-wei-guo-jia-jian-wei"]
    assert link.name == "中央纪委国家监委" and link.external_url == "https://www.ccdi.gov.cn/"
    page = Article.objects.get(channel=tree["gywm"])
    assert page.title == "关于我们" and page.status == Article.Status.PUBLISHED
    assert page.body.startswith("<p>\u3000\u3000“清风临江”网站由中共临江市纪律检查委员会")


# title: (site, channel, source, author, published, updated, summary, views, keywords)
EXPECTED = {
    "市纪委监委召开2023年第一季度党风廉政建设工作会议": (
        None, "sjw2019", "临江日报", "李晓明", "2023-04-03 10:00:00", "2023-04-03 10:05:12",
        "会议通报一季度全市共处置问题线索126件，同比增长12 6%。", 1532, "党风廉政,工作会议",
    ),
    "我市开展“以案促改”专项整治": (
        None, "sjw2019", "临江市纪委监委", "", "2023-04-18 16:45:00", "2023-04-18 16:45:00",
        "4月18日，市纪委监委召开以案促改专项整治推进会，通报近期查处的3起典型案例——"
        "涉及工程建设、医疗采购等领域。会议要求，各单位要对…", 310, "以案促改",
    ),
    "溪口县开展新提任科级干部廉政谈话": (
        None, "xqdt", "省纪委监委网站", "通讯员 陈静", "2023-05-12 15:30:00",
        "2023-05-12 16:26:40", "新提任干部廉政谈话暨警示教育", 20, "廉政谈话",
    ),
    "基层监督“探头”越擦越亮": (
        None, "2jc", "临江市纪委监委", "周建国", "2023-06-20 10:30:00", "2023-06-20 10:30:00",
        None, 77, "基层监督",
    ),
    "临江市党员干部操办婚丧喜庆事宜暂行办法": (
        None, "djfg", "临江日报", "", "2023-08-08 08:08:00", "2023-08-08 08:08:00",
        "为规范党员干部操办婚丧喜庆事宜，制定本办法", 64, "婚丧喜庆,报告备案",
    ),
    "关于2023年度谈心谈话情况的通报": (
        None, "tzgg", "临江电视台", "办公室", "2023-09-15 16:45:00", "2023-09-15 16:45:00",
        "现将2023年度各单位谈心谈话开展情况通报如下", 41, "谈心谈话",
    ),
    "市纪委监委召开监督贯通协同工作推进会": (
        None, "sjw2019", "临江市纪委监委", "张敏", "2024-03-01 00:20:00", "2024-05-06 11:11:11",
        "2月29日晚，市纪委监委召开纪检监察监督&审计监督贯通协同工作推进会。会议通报，"
        "2023年全市通过贯通协同挽回经济损失1 2亿元，发现问…", 8, "贯通协同,审计监督",
    ),
    "新年第一天：全市纪检监察干部坚守岗位": (
        None, "xqdt", "临江日报", "", "2024-01-01 00:20:00", "2024-01-01 00:20:00",
        "元旦假期首日", 0, "",
    ),
    "中国纪检监察报 | 临江：以“小切口”推动“大治理”": (
        None, "djfg", "中国纪检监察报", "记者 黄蓉", "2023-11-08 10:22:00",
        "2023-11-08 10:22:00", "临江市以小切口推动大治理", 1024, "监督,基层治理",
    ),
    "市委第一巡察组进驻市直单位开展常规巡察": (
        None, "ztzl", "临江市纪委监委", "", "2023-12-01 09:00:00", "2023-12-01 09:00:00",
        None, 33, "巡察",
    ),
    "图说廉政：清廉家风故事会": (
        None, "tslz", "临江市纪委监委", "", "2023-11-20 15:00:00", "2023-11-20 15:00:00",
        None, 45, "家风",
    ),
    "溪口县召开全县警示教育大会": (
        "清风溪口", "xkyw", "溪口县纪委监委", "王芳", "2024-03-05 18:00:00",
        "2024-03-05 18:00:00", "县委书记在会上强调： 以案为鉴", 88, "警示教育",
    ),
    "溪口县纪委监委开展农村集体“三资”专项监督": (
        "清风溪口", "jdzj", "溪口县纪委监委", "", "2024-03-05 09:15:30", "2024-03-05 09:15:30",
        None, 17, "三资",
    ),
    "溪口县深化整治群众身边不正之风和腐败问题": (
        "清风溪口", "xkyw", "溪口县纪委监委", "溪口县纪委监委宣传部", "2024-04-02 09:00:00",
        "2024-04-02 09:00:00", None, 230, "",
    ),
    "通讯员手记：走村入户听民声": (
        "清风溪口", "txytg", "溪口通讯员", "李明", "2024-04-03 23:59:59",
        "2024-04-03 23:59:59", None, 6, "",
    ),
}  # fmt: skip


@pytest.mark.parametrize("title", list(EXPECTED))
def test_a_published_article_keeps_its_site_channel_source_author_times_summary_and_views(
    phpcms, tmp_path, title
):
    run(phpcms, tmp_path)
    site, channel, source, author, published, updated, summary, views, keywords = EXPECTED[title]
    article = Article.objects.select_related("site", "channel", "source").get(title=title)
    assert article.status == Article.Status.PUBLISHED
    assert (article.site.name if article.site else None) == site
    assert article.channel.slug == channel
    assert article.source.name == source
    assert article.author == author
    assert article.published_at == beijing(published)
    assert article.updated_at == beijing(updated)
    if summary is not None:  # (else the first paragraph, as for any article without one)
        assert article.summary == summary
    assert article.view_count == views
    assert article.keywords == keywords


def test_ids_are_kept_for_the_city_news_model_and_new_for_the_others(phpcms, tmp_path):
    run(phpcms, tmp_path)
    assert titled("市纪委监委召开2023年第一季度党风廉政建设工作会议").pk == 1201
    assert titled("溪口县开展新提任科级干部廉政谈话").pk == 1203
    # The picture model and the county's model reuse ids 1203 and 1205: new ids.
    picture = titled("图说廉政：清廉家风故事会")
    county = titled("溪口县召开全县警示教育大会")
    assert picture.pk > 1220 and county.pk > 1220
    assert titled("中央纪委国家监委公开通报5起违反中央八项规定精神问题").pk == 1205
    # A row whose category no longer exists is not imported, and said so.
    assert not Article.objects.filter(title="市监察局2017年工作总结").exists()


def test_titles_are_unescaped_once_and_styles_become_emphasis(phpcms, tmp_path):
    run(phpcms, tmp_path)
    contribution = Article.objects.get(title__startswith="基层干部谈")
    assert contribution.title == "基层干部谈'廉'：\"小微权力\"清单让村务更透明"
    red_bold = titled("我市开展“以案促改”专项整治")
    assert (red_bold.title_colour, red_bold.title_bold) == ("red", True)
    assert titled("临江市党员干部操办婚丧喜庆事宜暂行办法").title_colour == "blue"
    bold = titled("关于2023年度谈心谈话情况的通报")
    assert (bold.title_colour, bold.title_bold) == ("", True)
    assert titled("中国纪检监察报 | 临江：以“小切口”推动“大治理”").title_colour == "purple"
    assert titled("【廉洁家风】一封家书传廉风").title_colour == "red"


def test_unpublished_rows_are_pending_or_drafts(phpcms, tmp_path):
    run(phpcms, tmp_path)
    pending = Article.Status.PENDING
    assert Article.objects.get(title__startswith="基层干部谈").status == pending  # status 1
    assert titled("关于开展2023年度廉政风险排查的通知（送审稿）").status == pending  # step 2
    assert titled("村里的“明白账”").status == pending  # the county's contribution
    rejected = titled("某街道违规发放津贴补贴问题调查情况")
    assert rejected.status == Article.Status.DRAFT
    assert "退稿" in rejected.review_note
    unpublished = Article.objects.exclude(status=Article.Status.PUBLISHED)
    assert unpublished.count() == 4


def test_bodies_are_cleaned_and_keep_their_indentation(phpcms, tmp_path):
    run(phpcms, tmp_path)
    word = titled("溪口县开展新提任科级干部廉政谈话").body
    for gone in ("MsoNormal", "mso-", "<o:p>", "<font", "仿宋"):
        assert gone not in word
    assert "敲响廉洁“警钟”" in word  # &ldquo; &rdquo; decoded
    assert '<img alt="" src="/media/uploads/phpcms/2023/0512/20230512033015123.png"' in word
    assert "www.qflj.gov.cn" not in word
    # A run of &nbsp; indenting a paragraph becomes the two full-width spaces.
    rules = titled("临江市党员干部操办婚丧喜庆事宜暂行办法").body
    assert rules.count("<p>\u3000\u3000第") == 2 and "<span>\u3000\u3000第三条" in rules
    # Text typed with the editor's line breaks (no <p>) keeps its first line's indentation.
    typed = titled("我市开展“以案促改”专项整治").body
    assert typed.startswith("<p>\u3000\u30004月18日，市纪委监委召开“以案促改”专项整治推进会")
    assert "<br>\n\u3000\u3000会议指出" in typed and '坚持"当下改"与"长久立"' in typed
    assert "&hellip;" not in titled("市纪委监委召开2023年第一季度党风廉政建设工作会议").body


def test_manual_pages_become_parts_with_their_subtitles(phpcms, tmp_path):
    run(phpcms, tmp_path)
    found = parts(titled("基层监督“探头”越擦越亮").body)
    assert [p.title for p in found] == ["", "一、织密监督网络", ""]
    assert "立足“近距离”优势" in found[0].html and "[page]" not in found[1].html
    assert "廉情监督员" in found[1].html and "阳光村务" in found[2].html
    # Typed without <p>: each part keeps its full-width indentation.
    typed = parts(titled("市纪委监委通报3起群众身边不正之风和腐败问题典型案例").body)
    assert [p.title for p in typed] == ["", "一、挪用公款问题", ""]
    assert [p.html.startswith("<p>\u3000\u3000") for p in typed] == [True, True, True]
    assert "[/page]" not in "".join(p.html for p in typed)


def test_files_become_attachments_of_the_articles_that_link_them(phpcms, tmp_path):
    report = run(phpcms, tmp_path)
    pdf = Attachment.objects.get(name="廉政提醒函.pdf")
    assert pdf.article == titled("基层监督“探头”越擦越亮")
    assert default_storage.open(pdf.file.name).read().startswith(b"%PDF-1.4")
    assert f'href="{pdf.file.url}"' in pdf.article.body
    sheet = Attachment.objects.get(name="2023年度廉政谈话统计表.xlsx")
    notice = titled("关于2023年度谈心谈话情况的通报")
    assert sheet.article == notice and f'href="{sheet.file.url}"' in notice.body
    # The missing file: reported, its link left as it was.
    assert "附件 5015（2023/0915/20230915044502321.docx） 文件不存在" in report
    assert "http://www.qflj.gov.cn/uploadfile/2023/0915/20230915044502321.docx" in notice.body
    assert Attachment.objects.count() == 2
    # Images are copies in the media storage; a list picture not in the body, the cover.
    assert default_storage.exists("uploads/phpcms/2023/0512/20230512033015123.png")
    county = titled("溪口县纪委监委开展农村集体“三资”专项监督")
    assert 'src="/media/uploads/phpcms/2024/0305/20240305091530111.png"' in county.body
    assert not county.cover  # its list picture is its body's first image
    cover = titled("中国纪检监察报 | 临江：以“小切口”推动“大治理”").cover
    assert cover.name == "uploads/phpcms/2023/1108/20231108102233555.png"


def test_sources_from_the_list_the_typed_text_and_a_dangling_id(phpcms, tmp_path):
    report = run(phpcms, tmp_path)
    assert set(Source.objects.values_list("name", flat=True)) == {
        "省纪委监委网站", "临江市纪委监委", "临江日报", "溪口县纪委监委", "临江电视台",
        "中国纪检监察报", "中央纪委国家监委网站", "溪口通讯员",
    }  # fmt: skip
    assert Source.objects.get(name="省纪委监委网站").url == "http://www.example-jw.gov.cn/"
    assert "来源编号 9 已不存在" in report
    # Neither a list entry nor text: no source.
    assert Article.objects.get(title__startswith="基层干部谈").source is None


def test_related_articles_keep_the_editors_order_without_deleted_ids(phpcms, tmp_path):
    report = run(phpcms, tmp_path)

    def related(title):
        links = RelatedArticle.objects.filter(article=titled(title)).order_by("position")
        return [link.related.title for link in links]

    meeting = "市纪委监委召开2023年第一季度党风廉政建设工作会议"
    assert related(meeting) == ["溪口县开展新提任科级干部廉政谈话", "我市开展“以案促改”专项整治"]
    assert related("新年第一天：全市纪检监察干部坚守岗位") == [
        "市纪委监委召开监督贯通协同工作推进会",
        meeting,
    ]  # a leading '|'
    # The county's ids are its own model's (1205 there is not the city's 1205).
    assert related("溪口县深化整治群众身边不正之风和腐败问题") == [
        "溪口县召开全县警示教育大会",
        "溪口县纪委监委开展农村集体“三资”专项监督",
    ]
    assert related("通讯员手记：走村入户听民声") == ["溪口县深化整治群众身边不正之风和腐败问题"]
    assert "相关文章 1299 已不存在" in report and "相关文章 1288 已不存在" in report


def test_recommendation_positions_fill_the_slots_in_order(phpcms, tmp_path):
    run(phpcms, tmp_path)

    def slot(key):
        placed = SlotPlacement.objects.filter(slot__key=key).order_by("position")
        return [p.article.title for p in placed]

    assert slot(HEADLINES) == [
        "市纪委监委召开监督贯通协同工作推进会",
        "市纪委监委召开2023年第一季度党风廉政建设工作会议",
        "中国纪检监察报 | 临江：以“小切口”推动“大治理”",
    ]
    assert slot(CAROUSEL) == ["图说廉政：清廉家风故事会", "市纪委监委举办新任纪检监察干部培训班"]
    assert slot("phpcms-32") == [
        "溪口县深化整治群众身边不正之风和腐败问题",
        "溪口县召开全县警示教育大会",
    ]


def test_external_links_point_out_and_the_county_article_pushed_to_the_city_is_one(
    phpcms, tmp_path, client
):
    run(phpcms, tmp_path)
    ccdi = titled("中央纪委国家监委公开通报5起违反中央八项规定精神问题")
    assert ccdi.external_url == "https://www.ccdi.gov.cn/yaowenn/202306/t20230615_270001.html"
    assert client.get(ccdi.get_absolute_url(), HTTP_HOST=CITY)["Location"] == ccdi.external_url
    county_link = titled("溪口县人民政府关于公布县级权责清单的通知")
    assert county_link.site.name == "清风溪口"
    assert county_link.external_url.startswith("http://www.xikou.gov.cn/zwgk/")
    # 同时发布 from the county to the city: one article, also in the city's channel.
    assert Article.objects.filter(title="溪口县召开全县警示教育大会").count() == 1
    pushed = titled("溪口县召开全县警示教育大会")
    assert list(Placement.objects.filter(article=pushed).values_list("channel__slug")) == [
        ("sjw2019",)
    ]
    city_list = client.get("/channel/sjw2019/", HTTP_HOST=CITY).content.decode()
    assert f'href="{pushed.get_absolute_url()}"' in city_list
    county_list = client.get("/channel/xkyw/", HTTP_HOST=COUNTY).content.decode()
    assert f'href="{pushed.get_absolute_url()}"' in county_list


def test_each_published_article_is_on_its_own_site(phpcms, tmp_path, client):
    run(phpcms, tmp_path)
    pushed = titled("溪口县召开全县警示教育大会")
    for article in Article.objects.published().filter(external_url=""):
        own, other = (COUNTY, CITY) if article.site_id else (CITY, COUNTY)
        url = article.get_absolute_url()
        assert client.get(url, HTTP_HOST=own).status_code == 200, article.title
        expected = 200 if article == pushed else 404  # shown on the city through its channel
        assert client.get(url, HTTP_HOST=other).status_code == expected, article.title
    for article in Article.objects.exclude(status=Article.Status.PUBLISHED):
        assert client.get(article.get_absolute_url(), HTTP_HOST=CITY).status_code == 404


def article_at(title, part=None):
    return titled(title).get_absolute_url() + (f"#part-{part}" if part else "")


def channel_at(slug):
    return Channel.objects.get(slug=slug).get_absolute_url()


MEETING = "市纪委监委召开2023年第一季度党风廉政建设工作会议"
TALK = "溪口县开展新提任科级干部廉政谈话"
PARTS = "基层监督“探头”越擦越亮"
CASES = "市纪委监委通报3起群众身边不正之风和腐败问题典型案例"
WARNING = "溪口县召开全县警示教育大会"
RECTIFY = "溪口县深化整治群众身边不正之风和腐败问题"


@pytest.mark.parametrize(
    ["host", "old", "new"],
    [
        (CITY, "/show-32-1201-1.html", (MEETING,)),
        (CITY, "/index.php?m=content&c=index&a=show&catid=32&id=1201", (MEETING,)),
        (CITY, "/index.php?m=wap&c=index&a=show&catid=32&typeid=0&id=1201", (MEETING,)),
        (
            CITY,
            "/index.php?m=content&c=index&a=show&catid=31&id=1218",
            ("市纪委监委举办新任纪检监察干部培训班",),
        ),  # noqa: E501
        (CITY, "/index.php?m=content&c=index&a=show&catid=34&id=1204&page=2", (PARTS, 2)),
        (CITY, "/show-34-1204-3.html", (PARTS, 3)),
        (CITY, "/show-40-1213-2.html", (CASES, 2)),
        (CITY, "/content-45-1210-1.html", ("关于2023年度谈心谈话情况的通报",)),
        (CITY, "/show-50-1203-1.html", ("图说廉政：清廉家风故事会",)),  # the picture model's 1203
        (CITY, "/show-33-1203-1.html", (TALK,)),
        (CITY, "/show-39-1213-1.html", (CASES,)),  # its stored url: a deleted catid
        (CITY, "/show-32-1212-1-1.html", ("七一前夕市纪委监委开展主题党日活动",)),
        (CITY, "/html/gzdt/xqdt/2023/0512/1203.html", (TALK,)),
        (CITY, "/html/2023/2jc_0620/1204.html", (PARTS,)),  # rule 11
        (CITY, "/html/2023/2jc_0620/1204_3.html", (PARTS, 3)),
        (CITY, "/html/gzdt/xqdt/2024/0101/1216.html", ("新年第一天：全市纪检监察干部坚守岗位",)),
        # Moved by 批量移动 from a static channel: its stored url still answers.
        (CITY, "/html/gzdt/xqdt/2023/0701/1212.html", ("七一前夕市纪委监委开展主题党日活动",)),
        # Generated to the site's root (生成到根目录), and a channel below such a one.
        (CITY, "/ztzl/2023/1201/1219.html", ("市委第一巡察组进驻市直单位开展常规巡察",)),
        (CITY, "/ztzl/xczx/2023/1202/1220.html", ("巡察整改“回头看”发现问题12个",)),
        (CITY, "/ztzl/2023/1201/1219_2.html", ("市委第一巡察组进驻市直单位开展常规巡察", 2)),
        (CITY, "/ztzl/xczx/", ("channel", "xczx")),
        (CITY, "/ztzl/xczx/2.html", ("channel", "xczx")),
        (CITY, "/list-32-1.html", ("channel", "sjw2019")),
        (CITY, "/list-32-3.html", ("channel", "sjw2019")),
        (CITY, "/index.php?m=content&c=index&a=lists&catid=31&page=2", ("channel", "gzdt")),
        (CITY, "/index.php?m=content&c=index&a=lists&catid=52", ("channel", "gywm")),
        (CITY, "/html/gzdt/xqdt/", ("channel", "xqdt")),
        (CITY, "/html/gzdt/xqdt/index.html", ("channel", "xqdt")),
        (CITY, "/html/gzdt/xqdt/2.html", ("channel", "xqdt")),
        # The county's own host: its site number after the page, its own model.
        (COUNTY, "/show-61-1205-1.html", (WARNING,)),
        (COUNTY, "/show-61-1205-2.html", (WARNING,)),
        (COUNTY, "/show-61-1205-1-2.html", (WARNING,)),
        (COUNTY, "/show-64-1211-1-2.html", ("通讯员手记：走村入户听民声",)),  # rule 35
        (COUNTY, "/show-999-1210-2.html", (RECTIFY,)),  # unknown catid: the county's model
        (COUNTY, "/article-306-1210-1.html", (RECTIFY,)),
        (COUNTY, "/index.php?m=content&c=index&a=show&catid=61&id=1210", (RECTIFY,)),
        (COUNTY, "/html/jdzj/2024/0305/1206.html", ("溪口县纪委监委开展农村集体“三资”专项监督",)),
        (COUNTY, "/html/jdzj/ljjf/2024/0312/1207.html", ("【廉洁家风】一封家书传廉风",)),
        (COUNTY, "/html/jdzj/ljjf/index.html", ("channel", "ljjf")),
        (COUNTY, "/list-61-1.html", ("channel", "xkyw")),
        # The city's host, an unknown catid: the city's news model.
        (CITY, "/show-999-1205-1.html", ("中央纪委国家监委公开通报5起违反中央八项规定精神问题",)),
    ],
)
def test_old_addresses_answer_301_to_the_new_pages(phpcms, tmp_path, client, host, old, new):
    run(phpcms, tmp_path)
    response = client.get(old, HTTP_HOST=host, follow=False)
    assert response.status_code == 301
    expected = channel_at(new[1]) if new[0] == "channel" else article_at(*new)
    assert response["Location"] == expected
    page = client.get(expected.partition("#")[0], HTTP_HOST=host)
    assert page.status_code in (200, 302)  # (302: an external-link article's page)


@pytest.mark.parametrize(
    ["host", "old", "origin", "new"],
    [
        # PHPCMS printed the county's dynamic addresses under the main host (APP_PATH).
        (CITY, "/show-61-1210-1.html", f"http://{COUNTY}", (RECTIFY,)),
        (
            CITY,
            "/index.php?m=content&c=index&a=show&catid=61&id=1210",
            f"http://{COUNTY}",
            (RECTIFY,),
        ),  # noqa: E501
        (CITY, "/show-64-1211-1-2.html", f"http://{COUNTY}", ("通讯员手记：走村入户听民声",)),
        (CITY, "/list-61-1.html", f"http://{COUNTY}", ("channel", "xkyw")),
        # Its static pages were under the main site's /html/{dirname}/ too.
        (
            CITY,
            "/html/xikou/html/jdzj/2024/0305/1206.html",
            f"http://{COUNTY}",
            ("溪口县纪委监委开展农村集体“三资”专项监督",),
        ),  # noqa: E501
        (CITY, "/html/xikou/html/jdzj/", f"http://{COUNTY}", ("channel", "jdzj")),
        # Pushed to a city channel: the city shows it itself.
        (CITY, "/show-61-1205-1.html", "", (WARNING,)),
        # The city's articles asked on the county's host (it carries no city channel).
        (COUNTY, "/show-32-1201-1-2.html", "http://testserver", (MEETING,)),
        (COUNTY, "/html/gzdt/xqdt/2023/0512/1203.html", "http://testserver", (TALK,)),
        (COUNTY, "/list-32-1.html", "http://testserver", ("channel", "sjw2019")),
    ],
)
def test_an_address_of_another_sites_content_leads_to_that_site(
    phpcms, tmp_path, client, host, old, origin, new
):
    run(phpcms, tmp_path)
    response = client.get(old, HTTP_HOST=host, follow=False)
    assert response.status_code == 301
    path = channel_at(new[1]) if new[0] == "channel" else article_at(*new)
    assert response["Location"] == origin + path
    there = origin.removeprefix("http://") or host
    assert client.get(path, HTTP_HOST=there).status_code == 200


def test_on_a_host_no_site_claims_the_path_stays_as_it_is(phpcms, tmp_path, client):
    run(phpcms, tmp_path)
    response = client.get("/show-61-1210-1.html", HTTP_HOST="testserver")
    assert response["Location"] == article_at(RECTIFY)


def test_what_is_not_shown_has_no_old_address(phpcms, tmp_path, client):
    run(phpcms, tmp_path)
    for old in (
        "/show-40-1206-1.html",  # pending
        "/show-40-1207-1.html",  # rejected
        "/show-32-1211-1.html",  # its category was deleted
        "/show-32-1299-1.html",  # deleted
        "/list-39-1.html",
        "/html/gzdt/xqdt/2023/0512/9999.html",
    ):
        assert client.get(old, HTTP_HOST=CITY).status_code == 404, old
    assert client.get("/show-64-1208-1-2.html", HTTP_HOST=COUNTY).status_code == 404


def test_a_second_run_changes_nothing(phpcms, tmp_path, media_root):
    run(phpcms, tmp_path)
    before, files = snapshot(), sorted(p for p in media_root.rglob("*") if p.is_file())
    report = run(phpcms, tmp_path)
    assert snapshot() == before
    assert sorted(p for p in media_root.rglob("*") if p.is_file()) == files
    assert "新增" not in report and "更新" not in report
    assert "文章：未变 26，跳过 2" in report


def test_a_dry_run_writes_nothing(phpcms, tmp_path, media_root):
    hosts = Site.main().hosts
    report = run(phpcms, tmp_path, "--dry-run")
    assert report.startswith("PHPCMS 导入预演（未写入任何数据）")
    assert "文章：新增 26，跳过 2" in report and "附件 5015" in report
    for model in (Article, Channel, Source, Attachment, RelatedArticle, Placement):
        assert not model.objects.exists(), model
    assert not ImportedRecord.objects.exists() and not OldAddress.objects.exists()
    assert not SlotPlacement.objects.exists()
    assert list(Site.objects.values_list("hosts", flat=True)) == [hosts]
    assert not [p for p in media_root.rglob("*") if p.is_file()]
