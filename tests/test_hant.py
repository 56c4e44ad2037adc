"""The 繁體 version: every public page again under /zh-hant/, converted by the CMS itself."""

import ast
import gettext
import html
import importlib
import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.template import Context, Template
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation.template import templatize

from articles.caching import freshness, memo
from articles.hant import conversion as hant
from articles.hant.languages import bcp47
from articles.hant.models import PhraseCorrection
from articles.models import Article, SiteSettings
from articles.portal.templatetags.reading import reader_body
from tests.conftest import make_article, make_channel, make_source, relate

pytestmark = pytest.mark.django_db

PAGE_CACHE = "articles.caching.page_cache.PageCacheMiddleware"
TAG = re.compile(r"<[^>]+>")
PINYIN = re.compile(r"\([a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)")
SHIPPED = importlib.import_module("articles.migrations.0002_phrase_correction").CORRECTIONS

# The seed article (articles/demo/content.json, key qixing-shuangjian) as the Traditional
# page must show it, checked by hand against the mirror's seed page: the mirror's
# errors (課后, 規范, 松了一口氣, 一齣臺, 什么, 采取, 并, 余 and a sentence of mojibake)
# corrected, the seed page's glyph forms (眾, 為, 啟, 峰, 群) kept.
SEED_TITLE = "七星區：跟進監督 推動“雙減”政策落地見效"
SEED_SOURCE = "七星區紀委監委"
SEED_BREADCRUMB = "所在位置：首頁 > 清廉之窗 > 基層風采 > 正文"
SEED_SUMMARY = (
    "“雙減”政策實施以來，七星區紀委監委以政治監督為統領，按照“黨中央決策部署到哪，"
    "監督檢查就跟進到哪”的要求，立足職責定位，加強監督的再監督，通過“壓實責任+跟蹤問效+"
    "回頭看”的閉環監督模式，跟進監督、精準監督、全程監督，推動“雙減”政策落地見效。"
)
SEED_PARAGRAPHS = [
    "\u3000\u3000“原來孩子放學回家有做不完的作業，週末補不完的課，‘雙減’政策一出臺，"
    "確實讓孩子鬆了一口氣，現在大部分的功課都能在校完成了。”在七星區龍隱小學門口等待孩子"
    "放學的家長由衷地說，“對‘雙減’政策我們是打心底擁護，大家都站在一條線上，再也不會為"
    "孩子到底補什麼課而糾結了。”這是七星區紀委監委工作人員以群眾身份在學校開展“雙減”"
    "政策落實情況暗訪時瞭解到的情況。",
    "\u3000\u3000" + SEED_SUMMARY,
    "\u3000\u3000“課後服務活動設計的怎麼樣？有線上學習計劃嗎？請提供一下你們學校課後服務的"
    "安排表……”該區紀委監委充分發揮派駐機構“貼身監督”的優勢，“室組”聯動成立專項督查組，"
    "針對校內學生減負和校外培訓監管存在的薄弱環節，深入到教育部門、中小學校、校外培訓"
    "機構，在聽取彙報、參加會議、查閱資料的基礎上，採取現場查看、一線暗訪、問卷調查等"
    "方式，對“雙減”工作開展情況進行專項監督檢查。並對督查發現的在職教師違規私自開課、"
    "無證培訓等涉及“雙減”工作相關的問題線索，依法依規嚴肅追究責任；對職能作用發揮不夠、"
    "措施不到位的相關部門、學校及責任人進行追責問責。",
    "\u3000\u3000截止目前，該區紀委監委已專項監督檢查2輪次，參加專班會等有關會議5次，"
    "查閱文件資料23份，發現個別小學音體美等專業教師緊缺，無法提供音體美等方面的課後服務"
    "等問題21個，提出整改建議5條，推動完善校外培訓規範制度3項，暫停校外學科類培訓10餘家。",
    "\u3000\u3000“學校從管理機制、優質服務、資源共享等方面制定了相應措施，切實保障課後服務"
    "時間，優化課後服務質量。”面對該區紀委監委督查“回頭看”整改問效組的詢問，七星區匯通"
    "小學負責人介紹說，“一校一策”靈活機動，學校課後服務變得豐富多元，孩子們可以做自己"
    "喜歡的事情。",
    "\u3000\u3000據瞭解，該區紀委監委針對督查發現問題要求其限時整改，並將落實“雙減”工作"
    "情況及整改成效，作為履行教育職責評價的重要內容，適時開展“回頭看”，對整改情況進行"
    "再監督，對措施不落實、整改不到位的相應職能部門及相關責任人，依據相關法律法規，啟動"
    "問責程序，通過閉環式監督，提升監督實效。截至目前，督促完成整改問題20個，約談提醒"
    "整改不到位2人。",
    "\u3000\u3000此外，該區紀委監委還加強對學校課後服務收費的監督檢查力度，堅決杜絕違規"
    "收費、違規發放補貼等問題的發生，切實從源頭上防止侵害群眾利益問題。",
    "\u3000\u3000“下一步，區紀委監委還將持續推進常態化‘雙減’政策落實情況督查，對學校是否"
    "存在執行政策走樣或變相執行等情況進行再監督再檢查，對有關問題發現一起、查處一起，為"
    "貫徹落實好中央“雙減”決策提供堅強紀律保障。”該區紀委監委分管負責人強調。",
]
SEED_RELATED = ["恭城：為民辦實事 助推鄉村振興", "秀峰區：開展政治監督 推動鄉村風貌提升"]


# --- helpers and fixtures -----------------------------------------------------------


def text_of(fragment):
    return html.unescape(TAG.sub("", fragment)).strip()


def part(page, pattern):
    match = re.search(pattern, page, re.S)
    assert match, f"no match for {pattern!r}"
    return match.group(1) if match.groups() else match.group(0)


def get(client, url, status=200, **headers):
    response = client.get(url, **headers)
    assert response.status_code == status, url
    return response.content.decode()


def head_links(page):
    """{(rel, hreflang or None): href} of the page's <link> elements."""
    links = {}
    for tag in re.findall(r"<link [^>]*>", part(page, r"<head>(.*?)</head>")):
        attrs = dict(re.findall(r'(\w[\w-]*)="([^"]*)"', tag))
        links[(attrs.get("rel"), attrs.get("hreflang"))] = attrs.get("href")
    return links


def switch_link(page):
    tag = part(page, r'(<a class="script-switch"[^>]*>[^<]*</a>)')
    return html.unescape(part(tag, r'href="([^"]*)"')), text_of(tag)


@pytest.fixture(autouse=True)
def clean_slate():
    """No converted text or corrections version is remembered from another test."""
    cache.clear()
    memo.reset()
    yield
    cache.clear()
    memo.reset()


@pytest.fixture(autouse=True)
def steady_view_counts(monkeypatch):
    """View counts never flush to the database mid-test, so query counts compare exactly."""
    try:
        from articles.caching import view_counts
    except ImportError:
        return
    for name in ("FLUSH_EVERY_SECONDS", "FLUSH_EVERY_VIEWS"):
        monkeypatch.setattr(view_counts, name, 10**9, raising=False)


@pytest.fixture
def shipped_corrections():
    """The corrections the data migration ships (a flushed test database lost them)."""
    for simplified, traditional, note in SHIPPED:
        PhraseCorrection.objects.get_or_create(
            simplified=simplified, defaults={"traditional": traditional, "note": note}
        )


@pytest.fixture
def no_page_cache(settings):
    """Every request renders its page, so that what is measured is the conversion."""
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != PAGE_CACHE]


@pytest.fixture(params=["page cache", "no page cache"])
def stack(request, settings):
    """Run a test with the whole-page cache (when the project has it) and without."""
    if request.param == "no page cache":
        settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != PAGE_CACHE]
    return request.param


@pytest.fixture
def site(channel, source):
    """A small site: two channels, two related articles, one with links and an image."""
    site = SiteSettings.load()
    site.site_name = "清廉桂林"
    site.organizer = "清廉桂林网站"
    site.weibo_url = "https://weibo.com/"
    site.save()
    other = make_article("恭城：为民办实事 助推乡村振兴", channel, source=make_source("本站"))
    body = (
        "<p>\u3000\u3000“原来孩子放学回家有做不完的作业，周末补不完的课，‘双减’政策一出台，"
        "确实让孩子松了一口气。”这是工作人员以群众身份暗访时了解到的情况。</p>"
        f'<p>\u3000\u3000详见<a href="/article/{other.pk}/">恭城的经验</a>，另见'
        '<a href="https://www.ccdi.gov.cn/yaowen/">中央纪委国家监委网站</a>和'
        '<a href="http://testserver/channel/jiceng/?page=2#list">本栏目</a>。</p>'
        '<p><img src="/media/uploads/2021/12/qixing.png" alt="七星区纪委监委工作人员暗访"'
        ' width="600"></p>'
        '<p><a href="/media/uploads/2021/12/anpai.pdf" title="课后服务安排表">安排表</a>'
        ' <a href="#top">回到顶部</a></p>'
    )
    article = make_article(
        "七星区：跟进监督 推动“双减”政策落地见效",
        channel,
        source=source,
        author="通讯员 李明",
        summary="七星区纪委监委以政治监督为统领，推动“双减”政策落地见效。",
        body=body,
        is_featured=True,
    )
    relate(article, other)
    return {"article": article, "other": other, "channel": channel}


# --- every public page, both ways ----------------------------------------------------


def test_every_public_page_answers_in_traditional(client, site):
    """Home, channels, articles and the 404 page answer under /zh-hant/ in Traditional."""
    article, channel = site["article"], site["channel"]
    pages = {
        "/zh-hant/": ["頭條", "七星區：跟進監督", "清廉之窗", "更多"],
        f"/zh-hant/channel/{channel.parent.slug}/": ["下級欄目", "基層風采", "七星區：跟進監督"],
        f"/zh-hant/channel/{channel.slug}/": ["所在位置：", "首頁", "七星區：跟進監督"],
        f"/zh-hant/article/{article.pk}/": [
            "七星區：跟進監督 推動“雙減”政策落地見效",
            "來源：七星區紀委監委",
            "作者：通訊員 李明",
            "發布時間：",
            "瀏覽次數：",
            "摘要：",
            "相關文章",
            "恭城：為民辦實事 助推鄉村振興",
        ],
    }
    for url, expected in pages.items():
        page = get(client, url)
        assert '<html lang="zh-Hant">' in page
        for words in ["清廉桂林", "欄目導航", "返回頂部", "主辦單位：清廉桂林網站", *expected]:
            assert words in page, (url, words)
        visible = text_of(part(page, r"<body[^>]*>(.*)</body>"))
        for simplified in ["首页", "返回顶部", "栏目", "纪委监委", "双减"]:
            assert simplified not in visible, (url, simplified)

    missing = get(client, "/zh-hant/no-such-page/", status=404)
    assert '<html lang="zh-Hant">' in missing
    assert "頁面不存在" in missing and "返回首頁" in missing and 'href="/zh-hant/"' in missing


def test_channel_pagination_and_empty_lists_are_translated(client, channel):
    """Pagination, pinned tags and the empty list read in Traditional under /zh-hant/."""
    for i in range(21):
        make_article(f"文章{i}", channel, is_pinned=i == 0)
    first = get(client, f"/zh-hant/channel/{channel.slug}/")
    assert "第 1 頁 / 共 2 頁" in first and "下一頁" in first and "末頁" in first
    assert "置頂" in first
    second = get(client, f"/zh-hant/channel/{channel.slug}/?page=2")
    assert "（第 2 頁）" in part(second, r"<title>(.*?)</title>")
    assert "上一頁" in second
    empty = make_channel("空栏目", "empty")
    assert "暫無文章" in get(client, f"/zh-hant/channel/{empty.slug}/")


def test_simplified_pages_are_unchanged(client, site):
    """The root stays Simplified: interface, content and the stored body as written."""
    article = site["article"]
    page = get(client, f"/article/{article.pk}/")
    assert '<html lang="zh-Hans">' in page
    for words in ["七星区：跟进监督 推动“双减”政策落地见效", "来源：七星区纪委监委", "返回顶部"]:
        assert words in page
    # As stored, but for the typed indents the stylesheet replaces (portal's reader_body).
    assert part(page, r'<div class="article__body">(.*?)</div>') == reader_body(article.body)
    assert "頁" not in page and "監" not in page
    home = get(client, "/")
    assert "首页" in home and "首頁" not in home


def test_admin_stays_simplified_and_outside_the_prefix(admin_client):
    """The admin is served only at /admin/, always in Simplified."""
    page = get(admin_client, "/admin/")
    assert 'lang="zh-hans"' in page and "繁体校正" in page
    assert admin_client.get("/zh-hant/admin/").status_code == 404


# --- the seed article ----------------------------------------------------------------


def test_seed_article_reads_as_checked_by_hand(client, shipped_corrections):
    """The demo's seed article under /zh-hant/ matches the hand-checked text exactly."""
    call_command("load_demo", verbosity=0)
    article = Article.objects.get(title="七星区：跟进监督 推动“双减”政策落地见效")
    page = get(client, f"/zh-hant/article/{article.pk}/")

    assert text_of(part(page, r'(<nav class="breadcrumb".*?</nav>)')) == SEED_BREADCRUMB
    assert text_of(part(page, r'<h1 class="article__title">(.*?)</h1>')) == SEED_TITLE
    assert f"來源：{SEED_SOURCE}" in text_of(part(page, r'<p class="article__meta">(.*?)</p>'))
    assert text_of(part(page, r'<p class="article__summary">(.*?)</p>')) == f"摘要：{SEED_SUMMARY}"
    body = part(page, r'<div class="article__body">(.*?)</div>')
    paragraphs = [html.unescape(TAG.sub("", p)) for p in re.findall(r"<p>(.*?)</p>", body, re.S)]
    # The typed two U+3000 indents give way to the stylesheet's (portal's reader_body).
    assert paragraphs == [p.lstrip("\u3000") for p in SEED_PARAGRAPHS]
    related = part(page, r'<section class="related".*?</section>')
    assert [text_of(a) for a in re.findall(r"<a [^>]*>(.*?)</a>", related)] == SEED_RELATED
    footer = text_of(part(page, r"(<footer.*?</footer>)"))
    assert "清廉桂林 微信" in footer and "清廉桂林 官方微博" in footer and "返回頂部" in footer

    visible = text_of(part(page, r"<body[^>]*>(.*)</body>"))
    assert not PINYIN.search(visible), "pinyin annotations"
    assert "?" not in visible and "\ufffd" not in visible, "mojibake"
    for right in ["課後", "規範", "鬆了一口氣", "眾", "為", "啟動", "七星區", "紀委監委", "雙減"]:
        assert right in visible, right
    for wrong in ["課后", "規范", "松了一口氣", "一齣臺", "什么", "羣", "啓"]:
        assert wrong not in visible, wrong


def test_demo_content_has_none_of_the_errors_the_corrections_fix(client, shipped_corrections):
    """Every demo article under /zh-hant/ is free of the OpenCC errors found in the demo."""
    call_command("load_demo", verbosity=0)
    wrong = ["監察干部", "一齣臺", "金髮放", "編制權力清單"]
    # Each article on its own site's host (docs/sites.md); external-link articles
    # (转向链接) have no page of their own.
    pages = [
        (f"/zh-hant/article/{a.pk}/", a.site.host_list[0] if a.site else "testserver")
        for a in Article.objects.filter(external_url="").select_related("site")
    ]
    pages += [("/zh-hant/", "testserver"), ("/zh-hant/channel/zuzhi/", "testserver")]
    seen = ""
    for url, host in pages:
        page = text_of(part(get(client, url, HTTP_HOST=host), r"<body[^>]*>(.*)</body>"))
        assert not [w for w in wrong if w in page], url
        seen += page
    for right in ["紀檢監察幹部", "政策一出臺", "惠民資金發放", "編製權力清單"]:
        assert right in seen


def test_shipped_corrections_fix_what_opencc_gets_wrong(shipped_corrections):
    """Each shipped correction changes OpenCC's output, for the better, in context."""
    cases = {
        "发布纪检监察干部队伍建设信息": "發佈紀檢監察幹部隊伍建設信息",
        "‘双减’政策一出台，确实": "‘雙減’政策一出臺，確實",
        "涵盖集体资产管理、惠民资金发放": "涵蓋集體資產管理、惠民資金發放",
        "编制权力清单和运行流程图": "編製權力清單和運行流程圖",
        "检察干警": "檢察幹警",
    }
    for simplified, traditional in cases.items():
        assert hant.to_hant(simplified) == traditional
        assert hant.opencc_only(simplified) != traditional, f"{simplified}: no longer needed"


# --- the switch, lang, canonical and hreflang ---------------------------------------------


def test_switch_leads_to_the_same_page_in_the_other_script(client, site):
    """简/繁 links lead to the same path in the other script, query string kept, both ways."""
    channel = site["channel"]
    url, label = switch_link(get(client, f"/channel/{channel.slug}/?page=1&q=wx"))
    assert (url, label) == (f"/zh-hant/channel/{channel.slug}/?page=1&q=wx", "繁體")
    back, label = switch_link(get(client, url))
    assert (back, label) == (f"/channel/{channel.slug}/?page=1&q=wx", "简体")

    assert switch_link(get(client, "/")) == ("/zh-hant/", "繁體")
    page = get(client, f"/zh-hant/channel/{channel.slug}/?page=1&q=雙減")
    assert switch_link(page)[0] == f"/channel/{channel.slug}/?page=1&q=%E9%9B%99%E6%B8%9B"
    assert switch_link(get(client, "/zh-hant/")) == ("/", "简体")
    pk = site["article"].pk
    assert switch_link(get(client, f"/article/{pk}/")) == (f"/zh-hant/article/{pk}/", "繁體")
    assert switch_link(get(client, "/zh-hant/no-such-page/", 404)) == ("/no-such-page/", "简体")


def urls_in(page):
    """Every href, src and content value of the page that is a URL, decoded."""
    values = re.findall(r'(?:href|src|content)="([^"]*)"', page)
    return [html.unescape(v) for v in values if v.startswith(("/", "\\", "http"))]


@pytest.mark.parametrize("prefix", ["", "/zh-hant"])
@pytest.mark.parametrize(
    "path", ["//evil.example/", "///evil.example/", "/\\evil.example/", "/%2F%2Fevil.example/"]
)
def test_paths_with_leading_slashes_never_lead_off_the_site(client, channel, prefix, path):
    """Issue 21 #6: /zh-hant//evil.example/ is a 404 whose 简/繁 switch, canonical and
    hreflang links (and every other URL) stay on this site, in both scripts."""
    # Given as PATH_INFO: the test client would read //evil.example/ as a host name.
    response = client.get("/", PATH_INFO=prefix + path.replace("%2F", "/"))
    page = response.content.decode()
    assert response.status_code == 404
    url, _ = switch_link(page)
    assert url in (
        "/zh-hant/evil.example/",
        "/evil.example/",
        "/zh-hant/%5Cevil.example/",
        "/%5Cevil.example/",
    ), url
    for value in urls_in(page):
        assert not value.startswith(("//", "\\", "/\\")) or value.startswith("//testserver/"), value
        if value.startswith("http"):
            assert value.startswith("http://testserver/"), value


@pytest.mark.parametrize("language", ["zh-hans", "zh-hant"])
def test_lang_canonical_and_hreflang_alternates(client, site, language):
    """Each version declares its language, itself as canonical, and both versions."""
    article, channel = site["article"], site["channel"]
    prefix = "" if language == "zh-hans" else "/zh-hant"
    lang = bcp47(language)
    for path in ["/", f"/channel/{channel.slug}/", f"/article/{article.pk}/"]:
        page = get(client, prefix + path)
        assert f'<html lang="{lang}">' in page
        links = head_links(page)
        assert links[("canonical", None)] == f"http://testserver{prefix}{path}"
        assert links[("alternate", "zh-Hans")] == f"http://testserver{path}"
        assert links[("alternate", "zh-Hant")] == f"http://testserver/zh-hant{path}"
        assert links[("alternate", "x-default")] == f"http://testserver{path}"


def test_second_channel_page_links_its_own_twin(client, channel):
    """Page 2 of a channel is canonical to itself and alternates with page 2 of its twin."""
    for i in range(21):
        make_article(f"文章{i}", channel)
    links = head_links(get(client, f"/zh-hant/channel/{channel.slug}/?page=2"))
    assert links[("canonical", None)] == f"http://testserver/zh-hant/channel/{channel.slug}/?page=2"
    assert links[("alternate", "zh-Hans")] == f"http://testserver/channel/{channel.slug}/?page=2"


# --- links and markup inside bodies -------------------------------------------------------


def test_links_in_bodies_lead_to_traditional_pages(client, site):
    """Internal links in a body gain /zh-hant/; outside links, media and image src do not."""
    article, other = site["article"], site["other"]
    body = part(get(client, f"/zh-hant/article/{article.pk}/"), r'article__body">(.*?)</div>')
    assert f'href="/zh-hant/article/{other.pk}/"' in body
    assert 'href="http://testserver/zh-hant/channel/jiceng/?page=2#list"' in body
    assert 'href="https://www.ccdi.gov.cn/yaowen/"' in body
    assert 'href="/media/uploads/2021/12/anpai.pdf"' in body
    assert 'href="#top"' in body
    assert 'src="/media/uploads/2021/12/qixing.png"' in body
    # Attribute values are left exactly as the editor wrote them; only text is converted.
    assert 'alt="七星区纪委监委工作人员暗访"' in body
    assert 'title="课后服务安排表"' in body
    for words in ["恭城的經驗", "中央紀委國家監委網站", "本欄目", "回到頂部", "鬆了一口氣"]:
        assert words in body
    # The Simplified page keeps the links as stored.
    hans = part(get(client, f"/article/{article.pk}/"), r'article__body">(.*?)</div>')
    assert f'href="/article/{other.pk}/"' in hans and "/zh-hant/" not in hans


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("<p>头<strong>发</strong>很长</p>", "<p>頭<strong>髮</strong>很長</p>"),
        ("<p>头</p><p>发展</p>", "<p>頭</p><p>發展</p>"),
        ("<!-- 头发 --><p>头发</p>", "<!-- 头发 --><p>頭髮</p>"),
        (
            "<script>var s = '头发';</script><p>头发</p>",
            "<script>var s = '头发';</script><p>頭髮</p>",
        ),
        ("<p>A&amp;B 头发&nbsp;后</p>", "<p>A&amp;B 頭髮&nbsp;後</p>"),
        (
            '<a title="a>头发" href="/article/1/" data-x=\'后\'>头发</a>',
            '<a title="a>头发" href="/zh-hant/article/1/" data-x=\'后\'>頭髮</a>',
        ),
        ('<a href="/article/1">发</a>', '<a href="/zh-hant/article/1">發</a>'),
        (
            '<a href="//testserver/article/1/">发</a>',
            '<a href="//testserver/zh-hant/article/1/">發</a>',
        ),
        ('<a href="//elsewhere.example/article/1/">发</a>', None),
        ('<a href="/zh-hant/article/1/">发</a>', '<a href="/zh-hant/article/1/">發</a>'),
        ('<a href="/admin/">发</a><a href="/static/css/site.css">发</a>', None),
        ('<a href="mailto:jw@example.org">发</a><a href="article/1/">发</a>', None),
        ('<img src="/article/1/" alt="头发">', '<img src="/article/1/" alt="头发">'),
    ],
)
def test_html_conversion_touches_only_text(source, expected):
    """Only text nodes change; tags, attributes, comments and scripts stay, links excepted."""
    if expected is None:
        expected = source.replace(">发<", ">發<")
    assert hant.to_hant_html(source) == expected


# --- caching and invalidation -------------------------------------------------------------


@pytest.fixture
def opencc_calls(monkeypatch):
    """Every text handed to OpenCC, in order."""
    calls = []
    real = hant._opencc

    def spy(config, text):
        calls.append(text)
        return real(config, text)

    monkeypatch.setattr(hant, "_opencc", spy)
    return calls


def test_second_render_does_not_call_opencc(client, site, no_page_cache, opencc_calls):
    """A page rendered again takes every converted text from the cache, none from OpenCC."""
    url = f"/zh-hant/article/{site['article'].pk}/"
    first = get(client, url)
    assert any("松了一口气" in text for text in opencc_calls)
    opencc_calls.clear()
    second = get(client, url)
    assert opencc_calls == []
    for piece in [r'(<header class="site-header">.*?</header>)', r'article__body">(.*?)</div>']:
        assert part(first, piece) == part(second, piece)


def test_bodies_are_shared_through_the_django_cache(client, site, no_page_cache, opencc_calls):
    """A process that starts afresh finds converted bodies in the shared cache."""
    url = f"/zh-hant/article/{site['article'].pk}/"
    get(client, url)
    memo.reset()  # all a new process has
    opencc_calls.clear()
    get(client, url)
    assert not any("松了一口气" in text for text in opencc_calls)


def test_editing_content_changes_the_traditional_page_at_once(client, site, stack):
    """An edited title, body or channel name shows on the Traditional pages on the next request."""
    article, channel = site["article"], site["channel"]
    url = f"/zh-hant/article/{article.pk}/"
    assert "跟進監督" in get(client, url)
    article.title = "七星区：课后服务监督见效"
    article.body = "<p>\u3000\u3000规范课后服务。</p>"
    article.save()
    channel.name = "基层动态"
    channel.save()
    page = get(client, url)
    title = text_of(part(page, r'<h1 class="article__title">(.*?)</h1>'))
    assert title == "七星區：課後服務監督見效"
    assert "規範課後服務。" in part(page, r'article__body">(.*?)</div>')
    assert "基層動態" in page and "基層風采" not in page
    assert "七星區：課後服務監督見效" in get(client, f"/zh-hant/channel/{channel.slug}/")


def test_phrase_correction_from_the_admin_applies_at_once_everywhere(admin_client, site, stack):
    """Adding, editing and deleting a correction in the admin changes every page at once."""
    reader = Client()  # anonymous, so that the page cache (when present) serves it
    pages = ["/zh-hant/", f"/zh-hant/channel/{site['channel'].slug}/"]
    pages.append(f"/zh-hant/article/{site['article'].pk}/")
    for url in pages:
        assert "跟進監督" in get(reader, url)

    response = admin_client.post(
        "/admin/articles/phrasecorrection/add/",
        {"simplified": "跟进监督", "traditional": "跟進督導", "note": "测试"},
    )
    assert response.status_code == 302
    for url in pages:
        page = get(reader, url)
        assert "跟進督導" in page and "跟進監督" not in page, url
    assert "跟进监督" in get(reader, "/")  # the Simplified site is not touched

    correction = PhraseCorrection.objects.get(simplified="跟进监督")
    admin_client.post(
        f"/admin/articles/phrasecorrection/{correction.pk}/change/",
        {"simplified": "跟进监督", "traditional": "跟進查核", "note": ""},
    )
    assert all("跟進查核" in get(reader, url) for url in pages)

    admin_client.post(f"/admin/articles/phrasecorrection/{correction.pk}/delete/", {"post": "yes"})
    for url in pages:
        page = get(reader, url)
        assert "跟進監督" in page and "跟進查核" not in page, url


def test_corrections_refuse_markup(admin_client):
    """A correction holding HTML special characters is refused by the admin form."""
    response = admin_client.post(
        "/admin/articles/phrasecorrection/add/",
        {"simplified": "头发", "traditional": "<b>頭髮</b>"},
    )
    assert response.status_code == 200
    assert not PhraseCorrection.objects.filter(simplified="头发").exists()


def test_admin_shows_what_opencc_would_have_done(admin_client, shipped_corrections):
    """The corrections list shows OpenCC's own result next to each correction."""
    page = get(admin_client, "/admin/articles/phrasecorrection/")
    assert "一齣臺" in page and "一出臺" in page


def test_longest_correction_wins(shipped_corrections):
    """Corrections apply longest first, and the text around them is still phrase-aware."""
    PhraseCorrection.objects.create(simplified="干部", traditional="干部")
    memo.reset()
    assert hant.to_hant("监察干部和党员干部头发") == "監察幹部和黨員干部頭髮"


def test_corrections_follow_the_content_generation(shipped_corrections):
    """Corrections written without signals (a restore) take effect once the generation
    moves, as restore_site moves it; and the emptied cache is read from the database."""
    assert hant.to_hant("政策一出台") == "政策一出臺"
    PhraseCorrection.objects.filter(simplified="一出台").update(traditional="一出台")
    cache.clear()
    freshness.bump()
    memo.reset()  # (what a request starting, or RECHECK_SECONDS, does)
    assert hant.to_hant("政策一出台") == "政策一出台"


@pytest.mark.parametrize("path", ["/", "/channel/jiceng/", "article"])
def test_traditional_pages_cost_no_more_queries(client, site, no_page_cache, path):
    """Warm, a Traditional page runs exactly the Simplified page's queries; cold, one more."""
    if path == "article":
        path = f"/article/{site['article'].pk}/"

    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            get(client, url)
        return len(captured)

    # Cold: nothing cached anywhere. The one extra query reads the corrections table.
    # (freshness.forget(): a reader's process reuses the generation it read for a tenth
    # of a second, and would otherwise notice the emptied cache mid-test, or not.)
    cache.clear()
    freshness.forget()
    cold_hans = queries(path)
    cache.clear()
    freshness.forget()
    memo.reset()
    cold_hant = queries(f"/zh-hant{path}")
    assert cold_hant <= cold_hans + 1
    # Warm: the corrections version comes from the cache, never from the database.
    warm_hans = queries(path)
    warm_hant = queries(f"/zh-hant{path}")
    assert warm_hant == warm_hans


# --- the mechanism for other pages ----------------------------------------------------------


def test_filters_do_nothing_on_simplified_pages(shipped_corrections):
    """The hant filters convert only while the Traditional version is being rendered."""
    template = Template("{% load hant %}{{ title|hant }}|{{ body|hant_html|safe }}")
    context = Context({"title": "头发<", "body": '<a href="/">头发</a>'})
    with translation.override("zh-hans"):
        assert template.render(context) == '头发&lt;|<a href="/">头发</a>'
    with translation.override("zh-hant"):
        assert template.render(context) == '頭髮&lt;|<a href="/zh-hant/">頭髮</a>'


def test_opencc_configuration_is_a_setting(settings):
    """QINGLIAN_OPENCC_CONFIG picks the OpenCC configuration; the default is s2tw."""
    assert django_settings.QINGLIAN_OPENCC_CONFIG == "s2tw"
    assert hant.to_hant("群众为秀峰区启动") == "群眾為秀峰區啟動"
    settings.QINGLIAN_OPENCC_CONFIG = "s2hk"
    assert hant.to_hant("群众为秀峰区启动") == "羣眾為秀峯區啓動"


def test_a_mistyped_opencc_configuration_fails_the_system_check(settings):
    """Found by ``manage.py check`` at start-up, under an id of its own."""
    from articles.hant.conversion import check_opencc_config

    assert check_opencc_config() == []
    settings.QINGLIAN_OPENCC_CONFIG = "s2xx"
    errors = check_opencc_config()
    assert [e.id for e in errors] == ["qinglian.E003"] and "s2xx" in errors[0].msg


def test_traditional_queries_become_simplified():
    """to_hans turns what a reader typed on the Traditional site into Simplified."""
    assert hant.to_hans("雙減 課後服務") == "双减 课后服务"
    assert hant.to_hans("site") == "site"


# --- interface translations -----------------------------------------------------------------


def parse_po(path):
    """{msgid: msgstr} of a .po file, and the msgids marked fuzzy."""
    catalog, fuzzy = {}, set()
    entry, field, flags = {}, None, ""

    def finish():
        if "msgid" in entry and entry["msgid"]:
            catalog[entry["msgid"]] = entry.get("msgstr", "")
            if "fuzzy" in flags:
                fuzzy.add(entry["msgid"])

    for line in Path(path).read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            finish()
            entry, field, flags = {}, None, ""
        elif line.startswith("#,"):
            flags += line
        elif line.startswith("#"):
            continue
        elif line.startswith(("msgid ", "msgstr ")):
            field, _, value = line.partition(" ")
            entry[field] = _unquote(value)
        elif line.startswith('"') and field:
            entry[field] += _unquote(line)
    return catalog, fuzzy


def _unquote(value):
    escapes = {"n": "\n", "t": "\t"}
    return re.sub(r"\\(.)", lambda m: escapes.get(m.group(1), m.group(1)), value.strip()[1:-1])


def test_every_interface_string_is_translated_and_compiled():
    """Every msgid has a Traditional translation, and the committed .mo holds exactly the .po."""
    folder = Path(django_settings.BASE_DIR) / "locale" / "zh_Hant" / "LC_MESSAGES"
    catalog, fuzzy = parse_po(folder / "django.po")
    assert catalog, "no messages"
    assert not fuzzy
    assert not [msgid for msgid, msgstr in catalog.items() if not msgstr]
    with open(folder / "django.mo", "rb") as compiled:
        mo = gettext.GNUTranslations(compiled)._catalog
    mo = {k: v for k, v in mo.items() if k}
    assert mo == catalog, "django.mo is out of date: run manage.py compilemessages"


def test_every_template_string_is_in_the_catalogue():
    """No public template shows an interface string the 繁體 catalogue does not translate."""
    root = Path(django_settings.BASE_DIR) / "templates"
    catalog, _ = parse_po(root.parent / "locale" / "zh_Hant" / "LC_MESSAGES" / "django.po")
    call = re.compile(r"\bgettext\((u?'(?:[^'\\]|\\.)*')\)")
    used = set()
    for path in root.rglob("*.html"):
        if "admin" in path.relative_to(root).parts:
            continue  # the admin stays Simplified
        source = templatize(path.read_text(encoding="utf-8"), origin=str(path))
        used |= {ast.literal_eval(literal) for literal in call.findall(source)}
    assert used, "no translatable strings found"
    missing = sorted(used - set(catalog))
    assert not missing, f"run makemessages and translate: {missing}"
