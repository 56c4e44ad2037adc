"""The public pages: home, channel page, article page, and the error pages."""

import html
import re
from datetime import UTC, datetime, timedelta

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.test.utils import override_script_prefix
from django.urls import reverse
from django.utils import timezone

import articles.portal.views
from articles.caching import view_counts
from articles.models import SiteSettings
from tests.conftest import image_bytes, make_article, make_channel, make_source, place, relate

pytestmark = pytest.mark.django_db

ITEM = re.compile(r'<li class="article-list__item">\s*<a href="([^"]+)"[^>]*>(.*?)</a>', re.S)
TAG = re.compile(r"<[^>]+>")
STYLESHEET = re.compile(r'<link rel="stylesheet" href="/static/css/site[^"]*\.css">')


def text_of(fragment):
    """The visible text of an HTML fragment."""
    return html.unescape(TAG.sub("", fragment)).strip()


def section(page, pattern):
    """The first piece of ``page`` matching ``pattern``; fails the test when absent."""
    match = re.search(pattern, page, re.S)
    assert match, f"no match for {pattern!r}"
    return match.group(0)


def list_titles(fragment):
    """Titles of the article-list items in ``fragment``, in page order."""
    return [text_of(title) for _, title in ITEM.findall(fragment)]


def breadcrumb(page):
    """The breadcrumb's text and the links it holds."""
    nav = section(page, r'<nav class="breadcrumb".*?</nav>')
    return text_of(nav), re.findall(r'href="([^"]+)"', nav)


def get_html(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status
    return response.content.decode()


# --- home ---------------------------------------------------------------------


def home_blocks(page):
    """{block heading: [titles]} for every channel block, in page order."""
    blocks = {}
    for block in re.findall(r'<section class="channel-block".*?</section>', page, re.S):
        heading = text_of(section(block, r'<h2 .*?<a href="[^"]+">.*?</a>'))
        blocks[heading] = list_titles(block)
    return blocks


def test_home_headlines_are_the_headline_slot_in_the_editors_order(client, channel):
    """Headlines are the 首页头条 slot's articles in the order editors set (not by
    time), as many as the slot's size; plain articles stay out."""
    now = timezone.now()
    for i in range(6):
        article = make_article(f"头条{i}", channel, published_at=now - timedelta(days=i))
        place(article, position=10 - i)  # the oldest first
    make_article("普通文章", channel)

    page = get_html(client, reverse("articles:home"))
    headlines = section(page, r'<section class="headlines".*?</section>')
    assert text_of(section(headlines, r'<h3 class="lead__title">.*?</h3>')) == "头条5"
    assert list_titles(headlines) == ["头条4", "头条3", "头条2", "头条1"]
    assert "头条0" not in headlines
    assert "普通文章" not in headlines


def test_home_has_no_headline_section_without_featured_articles(client, channel):
    """Without featured articles the home page shows no empty headline box."""
    make_article("普通文章", channel)
    page = get_html(client, reverse("articles:home"))
    assert 'class="headlines"' not in page
    assert "普通文章" in page


def test_home_has_one_block_per_nav_top_channel(client):
    """Each top channel shown in the navigation gets a block, in position order."""
    news = make_channel("新闻廉播", "xinwen", position=1)
    window = make_channel("清廉之窗", "qinglian", position=2)
    make_channel("基层风采", "jiceng", parent=window)
    make_channel("内部栏目", "neibu", position=3, show_in_nav=False)
    make_article("新闻稿", news)

    page = get_html(client, reverse("articles:home"))
    assert list(home_blocks(page)) == ["新闻廉播", "清廉之窗"]
    assert home_blocks(page)["清廉之窗"] == []
    assert "暂无文章" in page


def test_home_block_includes_descendant_channels_pinned_first(client):
    """A top channel's block lists its own and all descendants' articles, pinned first."""
    now = timezone.now()
    news = make_channel("新闻廉播", "xinwen", position=1)
    window = make_channel("清廉之窗", "qinglian", position=2)
    jiceng = make_channel("基层风采", "jiceng", parent=window)
    qixing = make_channel("七星区", "qixing", parent=jiceng)
    make_article("新闻稿", news, published_at=now - timedelta(hours=1))
    make_article("旧置顶", qixing, is_pinned=True, published_at=now - timedelta(days=30))
    make_article("孙栏目文章", qixing, published_at=now - timedelta(days=1))
    make_article("子栏目文章", jiceng, published_at=now - timedelta(days=2))
    make_article("本栏目文章", window, published_at=now - timedelta(days=3))

    blocks = home_blocks(get_html(client, reverse("articles:home")))
    assert blocks["清廉之窗"] == ["旧置顶", "孙栏目文章", "子栏目文章", "本栏目文章"]
    assert blocks["新闻廉播"] == ["新闻稿"]


def test_home_block_shows_the_eight_latest(client, channel):
    """A block lists the eight newest articles of its branch."""
    now = timezone.now()
    for i in range(10):
        make_article(f"文章{i}", channel, published_at=now - timedelta(days=i))
    blocks = home_blocks(get_html(client, reverse("articles:home")))
    assert blocks["清廉之窗"] == [f"文章{i}" for i in range(8)]


def test_home_block_has_more_link_to_channel(client, channel):
    """Each block has a “更多” link to its top channel's page."""
    make_article("文章", channel)
    page = get_html(client, reverse("articles:home"))
    url = channel.parent.get_absolute_url()
    assert re.search(rf'<a class="more" href="{re.escape(url)}">更多', page)


def test_home_nav_lists_nav_top_channels(client, channel):
    """The navigation bar links home and every top channel shown in the navigation."""
    make_channel("内部栏目", "neibu", show_in_nav=False)
    page = get_html(client, reverse("articles:home"))
    nav = section(page, r'<nav class="site-nav".*?</nav>')
    assert re.findall(r'href="([^"]+)"', nav) == ["/", channel.parent.get_absolute_url()]


# --- channel page ---------------------------------------------------------------


@pytest.fixture
def branch(channel):
    """清廉之窗 > 基层风采 > 七星区, plus 巡视巡察 beside 基层风采 and an unrelated 新闻廉播."""
    window = channel.parent
    return {
        "window": window,
        "jiceng": channel,
        "qixing": make_channel("七星区", "qixing", parent=channel),
        "xunshi": make_channel("巡视巡察", "xunshi", parent=window, position=5),
        "news": make_channel("新闻廉播", "xinwen"),
    }


def test_channel_breadcrumb_links_to_ancestors(client, branch):
    """The breadcrumb reads 所在位置：首页 > ancestors > channel, linking home and ancestors."""
    page = get_html(client, branch["qixing"].get_absolute_url())
    text, links = breadcrumb(page)
    assert text == "所在位置：首页 > 清廉之窗 > 基层风采 > 七星区"
    assert links == [
        reverse("articles:home"),
        branch["window"].get_absolute_url(),
        branch["jiceng"].get_absolute_url(),
    ]
    assert '<h1 id="channel-title" class="page-title">七星区</h1>' in page


def test_channel_page_lists_subchannels_in_order(client, branch):
    """A channel page links its direct sub-channels in position order."""
    page = get_html(client, branch["window"].get_absolute_url())
    aside = section(page, r'<ul class="subchannels">.*?</ul>')
    assert re.findall(r'<a href="([^"]+)">([^<]+)</a>', aside) == [
        (branch["jiceng"].get_absolute_url(), "基层风采"),
        (branch["xunshi"].get_absolute_url(), "巡视巡察"),
    ]


def test_channel_page_without_subchannels_has_no_subchannel_box(client, branch):
    """A leaf channel shows no sub-channel box."""
    page = get_html(client, branch["qixing"].get_absolute_url())
    assert "下级栏目" not in page


def test_channel_page_includes_descendants_pinned_first_then_newest(client, branch):
    """A channel lists its own and all descendants' articles, pinned first, then newest."""
    now = timezone.now()
    make_article("本栏目文章", branch["window"], published_at=now - timedelta(days=3))
    make_article("孙栏目文章", branch["qixing"], published_at=now - timedelta(days=1))
    make_article("旧置顶", branch["xunshi"], is_pinned=True, published_at=now - timedelta(days=9))
    make_article("新置顶", branch["jiceng"], is_pinned=True, published_at=now - timedelta(days=8))
    make_article("子栏目文章", branch["xunshi"], published_at=now - timedelta(days=2))
    make_article("别的栏目文章", branch["news"])

    page = get_html(client, branch["window"].get_absolute_url())
    assert list_titles(page) == [
        "置顶新置顶",
        "置顶旧置顶",
        "孙栏目文章",
        "子栏目文章",
        "本栏目文章",
    ]
    assert "别的栏目文章" not in page

    leaf = get_html(client, branch["qixing"].get_absolute_url())
    assert list_titles(leaf) == ["孙栏目文章"]


def test_empty_channel_says_no_articles(client, branch):
    """A channel without articles says so instead of showing an empty list."""
    page = get_html(client, branch["qixing"].get_absolute_url())
    assert "暂无文章" in page
    assert 'class="pagination"' not in page


@pytest.fixture
def long_channel(channel):
    """A channel with 41 articles: three pages of 20, 20 and 1, numbered newest first."""
    now = timezone.now()
    for i in range(41):
        make_article(f"文章{i:02d}", channel, published_at=now - timedelta(hours=i + 1))
    return channel


def test_channel_pages_hold_twenty_articles(client, long_channel):
    """Channel lists are split twenty to a page with page links."""
    url = long_channel.get_absolute_url()
    first = get_html(client, url)
    assert list_titles(first) == [f"文章{i:02d}" for i in range(20)]
    assert "第 1 页 / 共 3 页" in first
    assert 'href="?page=2" rel="next"' in first

    second = get_html(client, f"{url}?page=2")
    assert list_titles(second) == [f"文章{i:02d}" for i in range(20, 40)]
    assert 'href="?page=1" rel="prev"' in second

    last = get_html(client, f"{url}?page=3")
    assert list_titles(last) == ["文章40"]
    assert "下一页" not in last


@pytest.mark.parametrize(
    ("raw", "number"),
    [
        ("0", 1),
        ("-1", 1),
        ("abc", 1),
        ("", 1),
        ("1.5", 1),
        ("%00", 1),
        ("99999", 3),
        ("99999999999999999999999999", 3),
    ],
)
def test_bad_page_numbers_answer_a_real_page(client, long_channel, raw, number):
    """Any ?page= value a reader can type answers 200: below 1 or junk is page 1, past the end
    is the last page."""
    page = get_html(client, f"{long_channel.get_absolute_url()}?page={raw}")
    assert f"第 {number} 页 / 共 3 页" in page
    assert len(list_titles(page)) == (20 if number == 1 else 1)


def test_unknown_channel_is_404_in_site_look(client, channel):
    """An unknown slug answers 404 with the site's own error page."""
    page = get_html(client, reverse("articles:channel", args=["no-such-channel"]), status=404)
    assert "页面不存在" in page
    assert "清廉桂林" in page
    assert STYLESHEET.search(page)


def test_unknown_article_is_404_in_site_look(client, channel):
    """An unknown article id answers 404 with the site's own error page."""
    page = get_html(client, reverse("articles:detail", args=[999999]), status=404)
    assert "页面不存在" in page
    assert "清廉桂林" in page


def test_huge_article_id_is_404(client, channel):
    """An article id too big for the database answers 404, not a server error."""
    client.raise_request_exception = False
    page = get_html(client, f"/article/{10**30}/", status=404)
    assert "页面不存在" in page


def test_channel_hidden_from_nav_still_answers(client, channel):
    """A channel left out of the navigation keeps its page, with its articles."""
    hidden = make_channel("内部栏目", "neibu", show_in_nav=False)
    make_article("内部文章", hidden)
    page = get_html(client, hidden.get_absolute_url())
    assert list_titles(page) == ["内部文章"]
    assert "内部文章" not in get_html(client, reverse("articles:home"))


# --- article page ---------------------------------------------------------------


@pytest.fixture
def seed(channel, source):
    """The model site's article, published 2021-12-08 10:00 Beijing time."""
    return make_article(
        "七星区：跟进监督 推动“双减”政策落地见效",
        channel,
        source=source,
        summary="“双减”政策实施以来，七星区纪委监委以政治监督为统领。",
        body="<p>　　请提供一下你们学校课后服务的安排表……</p><p><strong>加粗段落</strong></p>",
        published_at=datetime(2021, 12, 8, 2, 0, tzinfo=UTC),
    )


def test_article_breadcrumb_matches_model_site(client, seed):
    """The breadcrumb reads 所在位置：首页 > 清廉之窗 > 基层风采 > 正文 with links to home and
    both channels."""
    text, links = breadcrumb(get_html(client, seed.get_absolute_url()))
    assert text == "所在位置：首页 > 清廉之窗 > 基层风采 > 正文"
    assert links == [
        reverse("articles:home"),
        reverse("articles:channel", args=["qinglian"]),
        reverse("articles:channel", args=["jiceng"]),
    ]


def test_article_title_in_h1_and_page_title(client, seed):
    """The title is the page's h1 and leads the browser title."""
    page = get_html(client, seed.get_absolute_url())
    h1 = section(page, r"<h1[^>]*>.*?</h1>")
    assert text_of(h1) == "七星区：跟进监督 推动“双减”政策落地见效"
    assert "<title>七星区：跟进监督 推动“双减”政策落地见效 - 清廉桂林</title>" in page


def test_article_source_without_url_is_plain_text(client, seed):
    """来源： shows the source name, not linked when the source has no url."""
    page = get_html(client, seed.get_absolute_url())
    assert "<span>来源：七星区纪委监委</span>" in page


def test_article_source_with_url_is_a_link(client, channel):
    """来源： links the source name to the source's url when it has one."""
    source = make_source("桂林日报", url="https://www.gl.gov.cn/")
    article = make_article(channel=channel, source=source)
    page = get_html(client, article.get_absolute_url())
    meta = section(page, r'<p class="article__meta">.*?</p>')
    assert re.search(r'来源：<a href="https://www.gl.gov.cn/"[^>]*>桂林日报</a>', meta)


def test_article_without_source_has_no_source_line(client, channel):
    """An article without a source shows no 来源： label."""
    article = make_article(channel=channel)
    assert "来源：" not in get_html(client, article.get_absolute_url())


def test_article_author_only_when_set(client, seed, channel):
    """作者： appears with the author's name only when an author is set."""
    assert "作者：" not in get_html(client, seed.get_absolute_url())
    authored = make_article("有作者的文章", channel, author="通讯员 李明 王芳")
    assert "<span>作者：通讯员 李明 王芳</span>" in get_html(client, authored.get_absolute_url())


def test_article_time_is_beijing_time(client, seed):
    """The publication time shows as Y-m-d H:i in Asia/Shanghai."""
    page = get_html(client, seed.get_absolute_url())
    meta = section(page, r'<p class="article__meta">.*?</p>')
    assert "发布时间：" in meta
    assert ">2021-12-08 10:00</time>" in meta
    assert "02:00" not in meta


def test_article_view_count_increments_on_each_view(client, seed):
    """Each view adds one to the view count, shown when the page is rendered and stored."""
    assert "浏览次数：1" in get_html(client, seed.get_absolute_url())
    # Another page number is another cached page (whatever the view makes of it).
    assert "浏览次数：2" in get_html(client, seed.get_absolute_url() + "?page=2")
    view_counts.flush()
    seed.refresh_from_db()
    assert seed.view_count == 2


def test_each_test_starts_a_new_view_count_period(client, seed, django_assert_num_queries):
    """A run that has lasted longer than FLUSH_EVERY_SECONDS does not make the next
    test's first page view write the counts (an extra query the budgets do not count)."""
    from articles.caching import memo
    from tests.test_queries import ARTICLE_QUERIES

    view_counts._last_flush -= view_counts.FLUSH_EVERY_SECONDS + 1
    memo.reset()
    with django_assert_num_queries(ARTICLE_QUERIES):
        client.get(seed.get_absolute_url())


def test_shown_view_count_never_goes_back_while_views_move_to_the_database(
    client, seed, monkeypatch
):
    """Views travel from the process to the shared counter to the database while the
    page shows the counter as read a moment ago: the count shown still rises by one
    with every view, and views another process counted show within a second."""
    clock = [1000.0]
    monkeypatch.setattr(view_counts.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(view_counts, "SEND_EVERY_VIEWS", 3)
    monkeypatch.setattr(view_counts, "FLUSH_EVERY_VIEWS", 7)
    shown = []
    for n in range(1, 21):
        clock[0] += 0.3
        page = get_html(client, f"{seed.get_absolute_url()}?page={n}")
        shown.append(int(re.search(r"浏览次数：(\d+)", page).group(1)))
    assert shown == list(range(1, 21))

    cache.incr(view_counts._key(seed.pk), 5)  # what another process sent meanwhile
    clock[0] += view_counts.SEND_EVERY_SECONDS
    page = get_html(client, f"{seed.get_absolute_url()}?page=21")
    assert "浏览次数：26" in page


def test_article_summary_and_body(client, seed):
    """摘要： precedes the summary, and the body's HTML is rendered, not escaped."""
    page = get_html(client, seed.get_absolute_url())
    assert "<strong>摘要：</strong>“双减”政策实施以来，七星区纪委监委以政治监督为统领。" in page
    body = section(page, r'<div class="article__body">.*?</div>')
    assert "请提供一下你们学校课后服务的安排表" in body
    assert "<p><strong>加粗段落</strong></p>" in body
    assert "&lt;strong&gt;" not in page


def test_article_related_in_editor_order(client, seed, channel):
    """Related articles are listed in the order the editor set, linking to each article."""
    now = timezone.now()
    newest = make_article("恭城：为民办实事 助推乡村振兴", channel, published_at=now)
    oldest = make_article(
        "秀峰区：开展政治监督 推动乡村风貌提升", channel, published_at=now - timedelta(days=9)
    )
    other = make_article("灵川县：晒出清单", make_channel("新闻廉播", "xinwen"))
    relate(seed, oldest, other, newest)

    page = get_html(client, seed.get_absolute_url())
    related = section(page, r'<section class="related".*?</section>')
    assert "相关文章" in related
    assert ITEM.findall(related) == [
        (oldest.get_absolute_url(), oldest.title),
        (other.get_absolute_url(), other.title),
        (newest.get_absolute_url(), newest.title),
    ]


def test_article_links_follow_the_language_and_the_script_prefix(client, seed, channel):
    """Links are remembered per process (articles/paths.py), but never across the two
    language versions or a site mounted under a path."""
    other = make_article("恭城：为民办实事 助推乡村振兴", channel, published_at=timezone.now())
    relate(seed, other)
    url = f"/article/{seed.pk}/"
    related = r'<section class="related".*?</section>'

    assert f'href="/article/{other.pk}/"' in section(get_html(client, url), related)
    hant = section(get_html(client, "/zh-hant" + url), related)
    assert f'href="/zh-hant/article/{other.pk}/"' in hant
    with override_script_prefix("/qinglian/"):
        mounted = client.get(url, SCRIPT_NAME="/qinglian").content.decode()
    assert f'href="/qinglian/article/{other.pk}/"' in section(mounted, related)
    assert 'href="/qinglian/channel/jiceng/"' in mounted
    assert f'href="/article/{other.pk}/"' in section(get_html(client, url), related)


def test_article_without_related_has_no_related_section(client, seed):
    """No related-article box when the editor chose none."""
    assert 'class="related"' not in get_html(client, seed.get_absolute_url())


def test_previous_next_stay_in_the_same_channel(client, channel):
    """Previous/next are the neighbours by publication time within the article's own channel."""
    now = timezone.now()
    child = make_channel("七星区", "qixing", parent=channel)
    parent = channel.parent
    before = make_article("上一篇文章", channel, published_at=now - timedelta(days=5))
    make_article("父栏目文章", parent, published_at=now - timedelta(days=4))
    make_article("子栏目文章", child, published_at=now - timedelta(days=4))
    article = make_article("当前文章", channel, published_at=now - timedelta(days=3))
    make_article("父栏目新文章", parent, published_at=now - timedelta(days=2))
    after = make_article("下一篇文章", channel, published_at=now - timedelta(days=1))

    page = get_html(client, article.get_absolute_url())
    nav = section(page, r'<nav class="prev-next".*?</nav>')
    assert f'上一篇：<a href="{before.get_absolute_url()}" rel="prev">上一篇文章</a>' in nav
    assert f'下一篇：<a href="{after.get_absolute_url()}" rel="next">下一篇文章</a>' in nav
    assert "父栏目" not in nav and "子栏目" not in nav


def test_previous_next_at_the_same_time_follow_id(client, channel):
    """Articles published at the same instant are ordered by id for previous/next."""
    moment = timezone.now() - timedelta(days=1)
    first = make_article("同时一", channel, published_at=moment)
    second = make_article("同时二", channel, published_at=moment)
    third = make_article("同时三", channel, published_at=moment)

    response = client.get(second.get_absolute_url())
    assert response.context["previous"] == first
    assert response.context["next"] == third


def test_related_articles_of_the_same_channel_do_not_stand_in_for_previous_next(client, channel):
    """Related links to older and newer articles of the channel leave previous/next as they are."""
    now = timezone.now()
    oldest, older, article, newer, newest = (
        make_article(f"第{i}篇", channel, published_at=now - timedelta(days=5 - i))
        for i in range(5)
    )
    relate(article, newest, oldest)
    response = client.get(article.get_absolute_url())
    assert response.context["previous"] == older
    assert response.context["next"] == newer
    assert response.context["related_articles"] == [newest, oldest]


def test_article_footer_site_name_wechat_weibo_and_top_link(client, seed):
    """The footer shows the site name, the WeChat QR, the Weibo link and a back-to-top link."""
    site = SiteSettings.load()
    site.site_name = "清廉测试"
    site.weibo_url = "https://weibo.com/qinglian"
    site.wechat_qr.save("wechat.png", ContentFile(image_bytes()))

    page = get_html(client, seed.get_absolute_url())
    footer = section(page, r'<footer class="site-footer">.*?</footer>')
    assert '<p class="site-footer__name">清廉测试</p>' in footer
    qr = section(footer, r'<li class="site-footer__qr">.*?</li>')
    assert f'src="{site.wechat_qr.url}"' in qr
    assert "<span>清廉测试 微信</span>" in qr
    assert re.search(r'<a href="https://weibo.com/qinglian"[^>]*>清廉测试 官方微博</a>', footer)
    assert 'href="#top"' in footer
    assert re.search(r'<[a-z]+ [^>]*id="top"', page)


def test_footer_leaves_out_wechat_and_weibo_when_unset(client, seed):
    """Without a QR image or Weibo url the footer shows neither."""
    footer = section(get_html(client, seed.get_absolute_url()), r"<footer.*?</footer>")
    assert "微信" not in footer
    assert "官方微博" not in footer
    assert "清廉桂林" in footer


def test_article_values_are_escaped(client, channel):
    """Title, summary, author and source name are shown as text, never as markup."""
    source = make_source("<b>来源</b>")
    article = make_article(
        "<b>标题</b>", channel, summary="<b>摘要</b>", author="<b>作者</b>", source=source
    )
    page = get_html(client, article.get_absolute_url())
    for value in ("标题", "摘要", "作者", "来源"):
        assert f"&lt;b&gt;{value}&lt;/b&gt;" in page
        assert f"<b>{value}</b>" not in page

    for url in (reverse("articles:home"), channel.get_absolute_url()):
        listing = get_html(client, url)
        assert "&lt;b&gt;标题&lt;/b&gt;" in listing
        assert "<b>标题</b>" not in listing


# --- server error -----------------------------------------------------------------


def test_server_error_page_in_site_look(client, settings, monkeypatch, channel):
    """An unexpected error answers 500 with the site's own error page and stylesheet."""
    settings.DEBUG = False
    client.raise_request_exception = False

    def broken_render(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(articles.portal.views, "render", broken_render)
    response = client.get(reverse("articles:home"))
    assert response.status_code == 500
    page = response.content.decode()
    assert "服务器暂时出错" in page
    assert STYLESHEET.search(page)
    assert "boom" not in page
