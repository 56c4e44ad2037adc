"""Site furniture: meta tags, footer, feeds, sitemap, robots.txt, QR codes, image sizes."""

import html
import io
import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from articles import renditions
from articles.models import Article, Channel, ColumnType, FriendlyLink, SiteSettings
from articles.portal.qr import qr_png
from articles.renditions import BODY_SIZES
from tests.conftest import image_bytes, make_article, make_channel

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
RSS = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(autouse=True)
def fresh_renditions():
    """No test sees image sizes another test's files left in this process's memory."""
    renditions.clear_memory()
    yield
    renditions.clear_memory()


def get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def metas(page):
    """{name or property: content} of the page's <meta> tags (the last one wins)."""
    found = {}
    for tag in re.findall(r"<meta [^>]*>", page):
        attrs = dict(re.findall(r'([\w:-]+)="([^"]*)"', tag))
        key = attrs.get("name") or attrs.get("property")
        if key:
            found[key] = html.unescape(attrs.get("content", ""))
    return found


def stored_image(name, size, fmt="JPEG"):
    buffer = io.BytesIO()
    Image.new("RGB", size, (120, 40, 40)).save(buffer, format=fmt)
    return default_storage.save(name, ContentFile(buffer.getvalue()))


@pytest.fixture
def site_settings():
    site = SiteSettings.load()
    site.site_name = "清廉桂林"
    site.site_code = "4503000001"
    site.domain = "www.qinglian.gov.cn"
    site.save()
    return site


@pytest.fixture
def seed(channel, source, site_settings):
    channel.keywords = "基层监督,双减"
    channel.column_type = ColumnType.WORK_NEWS
    channel.save()
    return make_article(
        "七星区：跟进监督 推动“双减”政策落地见效",
        channel,
        source=source,
        author="通讯员 李明",
        summary="“双减”政策实施以来，七星区纪委监委以政治监督为统领。",
        published_at=datetime(2021, 12, 8, 2, 0, tzinfo=UTC),
    )


# --- meta tags ----------------------------------------------------------------------


def test_every_page_has_the_site_meta_tags(client, site_settings, channel):
    """SiteName, SiteDomain and SiteIDCode are on every public page, the 404 page too."""
    article = make_article(channel=channel)
    for url in ("/", channel.get_absolute_url(), article.get_absolute_url(), "/search/", "/x/"):
        page = get(client, url, status=404 if url == "/x/" else 200)
        found = metas(page)
        assert found["SiteName"] == "清廉桂林", url
        assert found["SiteDomain"] == "www.qinglian.gov.cn", url
        assert found["SiteIDCode"] == "4503000001", url


def test_site_domain_falls_back_to_the_visited_host(client, channel):
    """Without a domain in the settings, SiteDomain is the host the reader asked for."""
    assert metas(get(client, "/"))["SiteDomain"] == "testserver"


def test_channel_page_has_the_column_meta_tags(client, site_settings):
    """A channel page names the column, its description, keywords and type."""
    channel = make_channel(
        "通知公告",
        "tongzhi",
        description="发布通知和公告。",
        keywords="通知,公告",
        column_type=ColumnType.NOTICES,
    )
    found = metas(get(client, channel.get_absolute_url()))
    assert found["ColumnName"] == "通知公告"
    assert found["ColumnDescription"] == "发布通知和公告。"
    assert found["ColumnKeywords"] == "通知,公告"
    assert found["ColumnType"] == "通知公告"
    assert found["og:title"] == "通知公告"


def test_column_meta_tags_fall_back_to_the_channel_name(client, site_settings):
    """A channel without description or keywords still fills both tags, with its name."""
    channel = make_channel("新闻廉播", "xinwen")
    found = metas(get(client, channel.get_absolute_url()))
    assert found["ColumnDescription"] == found["ColumnKeywords"] == "新闻廉播"
    assert found["ColumnType"] == "工作动态"


def test_article_page_has_the_article_meta_tags(client, seed):
    """An article page carries ArticleTitle, PubDate (Beijing time, to the minute),
    ContentSource, Keywords, Author, Description and Url, plus OpenGraph."""
    found = metas(get(client, seed.get_absolute_url()))
    assert found["ArticleTitle"] == seed.title
    assert found["PubDate"] == "2021-12-08 10:00"
    assert found["ContentSource"] == "七星区纪委监委"
    assert found["Keywords"] == "基层监督,双减"
    assert found["Author"] == "通讯员 李明"
    assert found["Description"] == seed.summary
    assert found["Url"] == f"http://testserver{seed.get_absolute_url()}"
    assert found["ColumnName"] == "基层风采"
    assert found["og:type"] == "article"
    assert found["og:url"] == found["Url"]
    assert "Image" not in found and "og:image" not in found


def test_article_meta_tags_leave_out_what_is_not_known(client, channel, site_settings):
    """No author, no keywords anywhere: no Author or Keywords tag; the source is the site."""
    article = make_article(channel=channel)
    found = metas(get(client, article.get_absolute_url()))
    assert "Author" not in found and "Keywords" not in found
    assert found["ContentSource"] == "清廉桂林"


def test_article_keywords_and_cover_image(client, seed):
    """The article's own keywords win over the channel's, and its cover is the Image."""
    seed.keywords = "课后服务"
    seed.cover.save("cover.png", ContentFile(image_bytes(size=(1200, 675))))
    seed.cover_alt = "会场"
    seed.save()
    found = metas(get(client, seed.get_absolute_url()))
    assert found["Keywords"] == "课后服务"
    assert found["Image"] == f"http://testserver{seed.cover.url}"
    # Shared links get a picture of a sensible size: the 960-pixel rendition.
    assert re.fullmatch(
        r"http://testserver/media/renditions/covers/.+-960w\.png", found["og:image"]
    )


def test_traditional_page_meta_tags_are_converted(client, seed):
    """On /zh-hant/ the tags written by editors are in Traditional Chinese."""
    path = seed.get_absolute_url()  # before Traditional is active in this thread
    found = metas(get(client, f"/zh-hant{path}"))
    assert found["ArticleTitle"] == "七星區：跟進監督 推動“雙減”政策落地見效"
    assert found["ContentSource"] == "七星區紀委監委"
    assert found["ColumnName"] == "基層風采"
    assert found["og:locale"] == "zh_TW"
    assert found["Url"] == f"http://testserver/zh-hant{path}"


# --- footer -------------------------------------------------------------------------


def footer(page):
    return re.search(r'<footer class="site-footer">.*?</footer>', page, re.S).group(0)


def test_footer_shows_every_site_setting(client, channel):
    """主办单位, 承办单位, contact, ICP and 公安 filing numbers (linked to their registries)
    and the 网站标识码 are in every page's footer."""
    site = SiteSettings.load()
    site.organizer = "桂林市纪委监委"
    site.undertaker = "桂林市纪委监委宣传部"
    site.contact = "联系电话：0773-1234567"
    site.icp_number = "桂ICP备12345678号"
    site.police_number = "桂公网安备 45030202000123号"
    site.site_code = "4503000001"
    site.save()
    text = footer(get(client, "/"))
    assert "主办单位：桂林市纪委监委" in text
    assert "承办单位：桂林市纪委监委宣传部" in text
    assert '联系电话：<a href="tel:07731234567">0773-1234567</a>' in text  # tap to call
    assert '<a href="https://beian.miit.gov.cn/" rel="noopener">桂ICP备12345678号</a>' in text
    assert 'href="https://beian.mps.gov.cn/#/query/webSearch?code=45030202000123"' in text
    assert "网站标识码：4503000001" in text


def test_footer_lists_friendly_links_in_order(client, channel):
    """友情链接 are listed in the footer by their position numbers."""
    FriendlyLink.objects.create(name="中国政府网", url="https://www.gov.cn/", position=2)
    FriendlyLink.objects.create(name="中央纪委国家监委", url="https://www.ccdi.gov.cn/", position=1)
    text = footer(get(client, channel.get_absolute_url()))
    assert re.findall(r'<li><a href="([^"]+)" rel="noopener">([^<]+)</a></li>', text) == [
        ("https://www.ccdi.gov.cn/", "中央纪委国家监委"),
        ("https://www.gov.cn/", "中国政府网"),
    ]


def test_footer_has_no_friendly_links_box_without_links(client, channel):
    assert "友情链接" not in footer(get(client, "/"))


def test_footer_changes_when_a_friendly_link_is_added(client, channel):
    """A new friendly link shows at once, although pages and the list are cached."""
    assert "中国政府网" not in get(client, "/")
    FriendlyLink.objects.create(name="中国政府网", url="https://www.gov.cn/")
    assert "中国政府网" in footer(get(client, "/"))


def test_logo_is_shown_beside_the_site_name(client, channel):
    site = SiteSettings.load()
    site.logo.save("logo.png", ContentFile(image_bytes(size=(200, 96))))
    page = get(client, "/")
    header = re.search(r'<a class="site-brand".*?</a>', page, re.S).group(0)
    assert f'src="{site.logo.url}"' in header
    assert 'alt=""' in header  # the name beside it says it all


# --- feeds --------------------------------------------------------------------------


def rss_items(client, url):
    root = ET.fromstring(client.get(url).content)
    return [
        (item.findtext("title"), item.findtext("link")) for item in root.iter("item")
    ], root.find("channel")


def test_site_feed_lists_published_articles_newest_first(client, channel, site_settings):
    """The site's RSS feed holds published articles only, newest first, at most 20."""
    now = timezone.now()
    for i in range(22):
        make_article(f"文章{i:02d}", channel, published_at=now - timedelta(hours=i + 1))
    make_article("草稿", channel, status=Article.Status.DRAFT)
    make_article("定时", channel, published_at=now + timedelta(days=1))
    items, feed = rss_items(client, reverse("articles:feed"))
    assert [title for title, _ in items] == [f"文章{i:02d}" for i in range(20)]
    assert (
        items[0][1] == f"http://testserver{Article.objects.get(title='文章00').get_absolute_url()}"
    )
    assert feed.findtext("title") == "清廉桂林"


def test_channel_feed_includes_sub_channels(client, channel, site_settings):
    """A channel's feed holds its own and its sub-channels' articles, nothing else."""
    make_article("子栏目文章", channel)
    make_article("别的栏目", make_channel("新闻廉播", "xinwen"))
    items, feed = rss_items(client, reverse("articles:channel-feed", args=[channel.parent.slug]))
    assert [title for title, _ in items] == ["子栏目文章"]
    assert feed.findtext("title") == "清廉之窗 - 清廉桂林"


def test_unknown_channel_feed_is_404(client, channel):
    assert client.get(reverse("articles:channel-feed", args=["nope"])).status_code == 404


def test_traditional_feed_is_converted(client, channel, site_settings):
    """Under /zh-hant/ the feed's titles are Traditional and its links Traditional pages."""
    path = make_article("七星区：跟进监督", channel, summary="监督检查").get_absolute_url()
    response = client.get("/zh-hant/feed/")
    root = ET.fromstring(response.content)
    item = next(root.iter("item"))
    assert item.findtext("title") == "七星區：跟進監督"
    assert item.findtext("description") == "監督檢查"
    assert item.findtext("link") == f"http://testserver/zh-hant{path}"
    assert root.find("channel").findtext("language") == "zh-hant"


def test_pages_link_their_feeds(client, channel):
    page = get(client, channel.get_absolute_url())
    assert (
        '<link rel="alternate" type="application/rss+xml" title="清廉桂林" href="/feed/">' in page
    )
    assert f'href="{reverse("articles:channel-feed", args=[channel.slug])}"' in page


# --- sitemap and robots.txt ----------------------------------------------------------


def test_sitemap_index_and_sections(client, channel):
    """sitemap.xml indexes three sections; the article section lists each published article
    in both scripts with hreflang alternates, and leaves out drafts."""
    article = make_article("已发布", channel)
    draft = make_article("草稿", channel, status=Article.Status.DRAFT)
    index = ET.fromstring(client.get("/sitemap.xml").content)
    sections = [loc.text for loc in index.iter(f"{SITEMAP}loc")]
    assert sections == [
        "http://testserver/sitemap-home.xml",
        "http://testserver/sitemap-channels.xml",
        "http://testserver/sitemap-articles.xml",
    ]
    body = client.get("/sitemap-articles.xml").content.decode()
    locations = re.findall(r"<loc>([^<]+)</loc>", body)
    assert locations == [
        f"http://testserver{article.get_absolute_url()}",
        f"http://testserver/zh-hant{article.get_absolute_url()}",
    ]
    assert draft.get_absolute_url() not in body
    assert 'hreflang="zh-hant"' in body and 'hreflang="x-default"' in body
    channels = client.get("/sitemap-channels.xml").content.decode()
    assert f"http://testserver{channel.get_absolute_url()}" in channels


def test_robots_txt_points_at_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Disallow: /search/" in text
    assert "admin" not in text  # its address may be secret (ADMIN_URL)


# --- QR code and sharing ------------------------------------------------------------


def test_article_qr_code_is_the_page_address(client, seed, django_assert_num_queries):
    """/article/<id>/qr.png is a PNG of the article's address, cached by browsers and drawn
    once: asked again, it costs no query."""
    url = reverse("articles:qr", args=[seed.pk])
    response = client.get(url)
    assert response["Content-Type"] == "image/png"
    assert "max-age=86400" in response["Cache-Control"]
    assert response.content == qr_png(f"http://testserver{seed.get_absolute_url()}")
    with django_assert_num_queries(0):
        assert client.get(url, HTTP_COOKIE="sessionid=x").content == response.content


def test_traditional_qr_code_is_the_traditional_address(client, seed):
    path = seed.get_absolute_url()
    response = client.get(f"/zh-hant/article/{seed.pk}/qr.png")
    assert response.content == qr_png(f"http://testserver/zh-hant{path}")


@pytest.mark.parametrize("status", [Article.Status.DRAFT, Article.Status.OFFLINE])
def test_no_qr_code_for_articles_readers_cannot_see(client, channel, status):
    article = make_article(channel=channel, status=status)
    assert client.get(reverse("articles:qr", args=[article.pk])).status_code == 404
    assert client.get(f"/article/{10**30}/qr.png").status_code == 404


def test_article_page_shares_to_wechat_and_weibo(client, seed):
    """The share block shows the page's QR code and a Weibo link with address and title."""
    page = get(client, seed.get_absolute_url())
    share = re.search(r'<section class="share".*?</section>', page, re.S).group(0)
    assert f'src="{reverse("articles:qr", args=[seed.pk])}"' in share
    assert "微信扫一扫" in share
    link = html.unescape(re.search(r'class="share__weibo" href="([^"]+)"', share).group(1))
    assert link.startswith("https://service.weibo.com/share/share.php?url=http%3A%2F%2Ftestserver")
    assert "title=%E4%B8%83%E6%98%9F" in link  # 七星…


def test_article_page_has_font_size_and_print_tools_hidden_until_script_runs(client, seed):
    """The 大/中/小 and print buttons come hidden: only the site's script shows them."""
    page = get(client, seed.get_absolute_url())
    tools = re.search(r'<div class="article-tools"[^>]*>', page).group(0)
    assert "hidden" in tools
    for size in ("large", "medium", "small"):
        assert f'data-font-size="{size}"' in page
    assert "data-print" in page
    assert '<script src="/static/js/site.js"></script>' in page


# --- images in sizes that fit -------------------------------------------------------


def test_renditions_are_made_once_in_three_widths(media_root):
    """A wide photo gets 480, 960 and 1440-pixel copies under renditions/, made only once."""
    name = stored_image("covers/2026/01/wide-photo.jpg", (2000, 1000))
    info = renditions.image_info(name)
    assert (info.width, info.height) == (2000, 1000)
    assert [(s.width, s.height) for s in info.renditions] == [(480, 240), (960, 480), (1440, 720)]
    made = media_root / "renditions/covers/2026/01/wide-photo-960w.jpg"
    with Image.open(made) as image:
        assert image.size == (960, 480)
    assert info.srcset.endswith("/media/covers/2026/01/wide-photo.jpg 2000w")
    stamp = made.stat().st_mtime_ns
    renditions.clear_memory()
    assert renditions.image_info(name) == info
    assert made.stat().st_mtime_ns == stamp


def test_small_images_and_gifs_get_no_renditions(media_root):
    assert (
        renditions.image_info(stored_image("uploads/a/small.png", (400, 300), "PNG")).srcset == ""
    )
    gif = renditions.image_info(stored_image("uploads/a/anim.gif", (2000, 1000), "GIF"))
    assert gif.renditions == () and gif.width == 2000


def test_missing_image_has_no_info(media_root):
    assert renditions.image_info("uploads/none/such.jpg") is None


def test_upright_renditions_of_a_rotated_photo(media_root):
    """A phone photo stored sideways with an EXIF orientation is sized as it is shown."""
    image = Image.new("RGB", (2000, 1000), (10, 10, 10))
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    name = default_storage.save("uploads/a/sideways.jpg", ContentFile(buffer.getvalue()))
    info = renditions.image_info(name)
    assert (info.width, info.height) == (1000, 2000)
    assert [s.width for s in info.renditions] == [480, 960]


def test_picture_tag_gives_srcset_size_and_lazy_loading(media_root):
    name = stored_image("covers/2026/01/lead.jpg", (1600, 900))
    article = Article(cover=name)
    out = Template('{% load furniture %}{% picture article.cover "说明" sizes="50vw" %}').render(
        Context({"article": article})
    )
    assert out.startswith('<img src="/media/covers/2026/01/lead.jpg" alt="说明" width="1600"')
    assert 'height="900"' in out and 'sizes="50vw"' in out and 'loading="lazy"' in out
    assert "/media/renditions/covers/2026/01/lead-480w.jpg 480w" in out


def test_body_images_from_uploads_get_srcset(client, channel, media_root):
    """Uploaded images in a body get srcset, sizes and lazy loading on the article page;
    an image from elsewhere is left as the editor put it."""
    name = stored_image("uploads/2026/01/01/body.jpg", (1600, 900))
    article = make_article(
        channel=channel,
        body=(
            f'<p>正文</p><p><img src="/media/{name}" alt="现场" width="1600" height="900"></p>'
            '<p><img src="https://example.org/x.jpg" alt="外部"></p>'
        ),
    )
    page = get(client, article.get_absolute_url())
    body = re.search(r'<div class="article__body">(.*?)</div>', page, re.S).group(1)
    ours, theirs = re.findall(r"<img [^>]*>", body)
    assert 'srcset="/media/renditions/uploads/2026/01/01/body-480w.jpg 480w' in ours
    assert 'loading="lazy"' in ours and 'sizes="' in ours
    assert theirs == '<img src="https://example.org/x.jpg" alt="外部">'
    assert article.body in Article.objects.get(pk=article.pk).body  # stored as written


def test_body_image_made_smaller_by_the_editor_asks_for_that_width(media_root):
    name = stored_image("uploads/2026/01/01/narrow.jpg", (1600, 900))
    out = renditions.responsive_body(f'<img src="/media/{name}" alt="" width="400" height="225">')
    assert 'sizes="(max-width: 400px) 100vw, 400px"' in out
    assert out.count('width="') == 1


# --- admin and templates ------------------------------------------------------------


def test_admin_edits_channel_column_fields_and_site_settings(admin_client):
    """Column keywords and type are on the channel form; the new footer fields and the
    friendly links have their admin pages."""
    page = admin_client.get(reverse("admin:articles_channel_add")).content.decode()
    assert 'name="keywords"' in page and 'name="column_type"' in page
    for choice in ("信息公开", "工作动态", "通知公告", "政策文件", "政策解读", "互动交流"):
        assert f'<option value="{choice}"' in page
    SiteSettings.load()
    page = admin_client.get(reverse("admin:articles_sitesettings_change", args=[1])).content
    for field in ("logo", "undertaker", "police_number", "contact", "domain", "description"):
        assert f'name="{field}"'.encode() in page
    assert admin_client.get(reverse("admin:articles_friendlylink_changelist")).status_code == 200


def test_channels_default_to_the_news_column_type(db):
    assert Channel.objects.create(name="栏目", slug="lanmu").column_type == "工作动态"


def test_public_templates_have_no_inline_script_or_style():
    """The public pages run under a Content-Security-Policy without 'unsafe-inline': no
    inline script, no event handler attribute, no style attribute in their templates."""
    for path in TEMPLATES.rglob("*.html"):
        if "admin" in path.relative_to(TEMPLATES).parts:
            continue
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), path
        assert not re.search(r"\son[a-z]+\s*=", text), path
        assert not re.search(r"\sstyle\s*=", text), path
        assert "<style" not in text, path


def test_date_filters_write_beijing_time_like_django_date():
    """|iso, |day and |day_time write what |date:'c', 'Y-m-d' and 'Y-m-d H:i' would, in
    the site's time zone, and nothing for a missing time."""
    moment = datetime(2021, 12, 7, 18, 5, 9, tzinfo=UTC)  # 2021-12-08 02:05:09 in Beijing
    mine = Template("{% load furniture %}{{ t|iso }}|{{ t|day }}|{{ t|day_time }}")
    django = Template("{{ t|date:'c' }}|{{ t|date:'Y-m-d' }}|{{ t|date:'Y-m-d H:i' }}")
    written = mine.render(Context({"t": moment}))
    assert written == "2021-12-08T02:05:09+08:00|2021-12-08|2021-12-08 02:05"
    assert written == django.render(Context({"t": moment}))
    assert mine.render(Context({"t": None})) == "||"


# --- Unicode digits in image sizes (issue 21 #7) ------------------------------------


@pytest.mark.parametrize("width", ["²", "①", "６００", "٣٠٠"])
def test_unicode_digits_in_an_image_width_break_no_page(client, admin_client, channel, width):
    """An old body whose image width is a Unicode digit (saved before the sanitizer
    refused them) still gives its page, its preview and its 繁體 twin."""
    name = stored_image("uploads/2026/01/01/wide.jpg", (1600, 900))
    article = make_article(channel=channel, body="<p>正文</p>")
    image = f'<img src="/media/{name}" alt="现场" width="{width}" height="{width}">'
    body = f"<p>正文</p><p>{image}</p>"
    Article.objects.filter(pk=article.pk).update(body=body)  # as stored by an older release
    preview = reverse("admin:articles_article_preview", args=[article.pk])
    for url, reader in [
        (article.get_absolute_url(), client),
        (f"/zh-hant{article.get_absolute_url()}", client),
        (preview, admin_client),
    ]:
        page = get(reader, url)
        assert "/media/renditions/uploads/2026/01/01/wide-480w.jpg 480w" in page, url
        assert BODY_SIZES in html.unescape(page), url
