import re
from datetime import datetime, timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.caching import memo
from articles.models import Article, SiteSettings
from articles.search.highlight import _pattern
from articles.search.index import GIN_INDEXES
from articles.search.models import SearchDocument
from articles.search.query import parse
from articles.search.results import Results
from articles.search.tokens import channel_token, tokens

from .conftest import make_article, make_channel, make_source

pytestmark = pytest.mark.django_db

SEARCH = reverse("articles:search")


def titles(response):
    """The result titles of a search page, in order, without highlighting."""
    html = response.content.decode()
    found = re.findall(r'class="search-result__title"><a href="[^"]*">(.*?)</a>', html, re.S)
    return [re.sub(r"</?mark>", "", title) for title in found]


def find(client, q, **params):
    response = client.get(SEARCH, {"q": q, **params})
    assert response.status_code == 200
    return titles(response)


def body(text):
    return f"<p>\u3000\u3000{text}</p>"


# --- matching -----------------------------------------------------------------------


def test_two_character_word_matches_body_text(client):
    """A two-character word finds the articles whose body contains it, and only those."""
    make_article("甲文", body=body("区纪委开展专项监督检查。"))
    make_article("乙文", body=body("今天天气晴朗。"))
    assert find(client, "监督") == ["甲文"]


def test_one_character_word_matches_inside_longer_words(client):
    """A single character finds every article containing it, wherever it stands."""
    make_article("甲文", body=body("加强监督。"))
    make_article("乙文", body=body("纪委书记。"))
    make_article("丙文", body=body("天气晴朗。"))
    assert sorted(find(client, "督")) == ["甲文"]
    assert sorted(find(client, "纪")) == ["乙文"]


def test_longer_word_made_of_present_bigrams_needs_them_in_order(client):
    """纪委监督 is not in "纪委监委加强监督", though each of its bigrams is."""
    make_article("甲文", body=body("纪委监委加强监督。"))
    make_article("乙文", body=body("派驻纪委监督检查。"))
    assert find(client, "纪委监督") == ["乙文"]
    assert find(client, "纪委监委") == ["甲文"]


def test_two_character_word_does_not_match_across_punctuation(client):
    """监督 is not found in "监，督": the two characters must stand together."""
    make_article("甲文", body=body("他们加强监，督促整改。"))
    assert find(client, "监督") == []


def test_longer_word_is_matched_as_a_phrase(client):
    """A longer word must appear as written, not as its pieces spread over the text."""
    make_article("相连", body=body("七星区纪委监委开展督查。"))
    make_article("分散", body=body("纪委书记讲话，监委委员参加。"))
    assert find(client, "纪委监委") == ["相连"]


def test_phrase_does_not_run_from_one_sentence_into_the_next(client):
    """双减负 is not found in "…双减。减负…", where one sentence ends and the next begins."""
    make_article("甲文", body=body("落实双减。减负提质。"))
    assert find(client, "双减负") == []
    assert find(client, "双减") == ["甲文"]


def test_all_words_of_a_query_must_match(client):
    """双减 监督 needs both words, in any field and in any order."""
    make_article("双减政策落地", body=body("强化监督检查。"))
    make_article("只有双减", body=body("学校课后服务。"))
    make_article("只有监督", body=body("日常监督。"))
    assert find(client, "双减 监督") == ["双减政策落地"]
    assert find(client, "监督　双减") == ["双减政策落地"]  # ideographic space between


@pytest.mark.parametrize("q", ["“双减”", "《双减》", "双减！！", "「双减」", "(双减)"])
def test_punctuation_around_a_word_is_ignored(client, q):
    """Quotation marks and other punctuation in a query do not change what it finds."""
    make_article("七星区：推动“双减”政策落地见效")
    assert find(client, q) == ["七星区：推动“双减”政策落地见效"]


def test_full_width_and_half_width_letters_and_digits_are_the_same(client):
    """１２３８８ finds 12388 and ＡＢＣ finds abc, and the other way round."""
    make_article("举报电话12388", body=body("欢迎拨打。"))
    make_article("ＡＢＣ行动", body=body("全角字母。"))
    assert find(client, "１２３８８") == ["举报电话12388"]
    assert find(client, "12388") == ["举报电话12388"]
    assert find(client, "abc") == ["ＡＢＣ行动"]


def test_numbers_and_latin_words_match_whole(client):
    """12388 does not find 123880, and G20 finds g20 regardless of case."""
    make_article("电话123880", body=body("号码。"))
    make_article("G20峰会召开", body=body("峰会。"))
    assert find(client, "12388") == []
    assert find(client, "g20") == ["G20峰会召开"]
    assert find(client, "G20 峰会") == ["G20峰会召开"]


def test_traditional_query_finds_simplified_article(client):
    """A query in Traditional characters finds the Simplified article."""
    make_article("七星区：跟进监督 推动“双减”政策落地见效")
    assert find(client, "監督") == ["七星区：跟进监督 推动“双减”政策落地见效"]
    assert find(client, "雙減") == ["七星区：跟进监督 推动“双减”政策落地见效"]


def test_summary_source_and_author_are_searched(client):
    """The summary, the source's name and the author are searched as well as the text."""
    make_article("甲文", summary="聚焦营商环境。")
    make_article("乙文", source=make_source("阳朔县纪委监委"))
    make_article("丙文", author="通讯员 李明")
    assert find(client, "营商") == ["甲文"]
    assert find(client, "阳朔") == ["乙文"]
    assert find(client, "李明") == ["丙文"]


def test_html_of_the_body_is_not_searched(client):
    """Tag names, attributes and links in the body are not words of the article."""
    make_article(
        "甲文", body='<p><a href="https://example.com/strong">链接</a><strong>正文</strong></p>'
    )
    assert find(client, "strong") == []
    assert find(client, "example") == []
    assert find(client, "链接") == ["甲文"]


# --- what is found ------------------------------------------------------------------


def test_only_published_articles_are_found(client):
    """Drafts, articles awaiting review, offline, future and expired articles are not found."""
    now = timezone.now()
    make_article("已发布监督")
    make_article("草稿监督", status=Article.Status.DRAFT)
    make_article("待审监督", status=Article.Status.PENDING)
    make_article("下线监督", status=Article.Status.OFFLINE)
    make_article("定时监督", published_at=now + timedelta(days=1))
    make_article(
        "过期监督", published_at=now - timedelta(days=2), unpublish_at=now - timedelta(days=1)
    )
    make_article(
        "未过期监督", published_at=now - timedelta(days=2), unpublish_at=now + timedelta(days=1)
    )
    assert sorted(find(client, "监督")) == sorted(["已发布监督", "未过期监督"])


def test_title_matches_come_first_then_newest_first(client):
    """Articles with the word in the title come first; each group is newest first."""
    now = timezone.now()
    make_article("旧标题监督", body=body("正文。"), published_at=now - timedelta(days=30))
    make_article("新正文", body=body("开展监督。"), published_at=now - timedelta(hours=1))
    make_article("新标题监督", body=body("正文。"), published_at=now - timedelta(days=2))
    make_article("旧正文", body=body("开展监督。"), published_at=now - timedelta(days=60))
    assert find(client, "监督") == ["新标题监督", "旧标题监督", "新正文", "旧正文"]


def test_pages_continue_from_title_matches_into_the_rest(client, monkeypatch):
    """Paging walks through title matches and then the other matches, none twice."""
    monkeypatch.setattr("articles.portal.views.SEARCH_PER_PAGE", 2)
    now = timezone.now()
    for i in range(3):
        make_article(f"标题监督{i}", published_at=now - timedelta(hours=i + 1))
    for i in range(3):
        make_article(f"正文{i}", body=body("监督"), published_at=now - timedelta(hours=i + 1))
    pages = [find(client, "监督", page=n) for n in (1, 2, 3)]
    assert pages == [["标题监督0", "标题监督1"], ["标题监督2", "正文0"], ["正文1", "正文2"]]
    # A page past the end is the last one.
    assert find(client, "监督", page=9) == ["正文1", "正文2"]


def test_matches_are_highlighted_in_title_and_snippet(client):
    """Matched words are wrapped in <mark> in the title and in the snippet of the text."""
    make_article(
        "七星区：跟进监督", body=body("前文。" * 40 + "区纪委加强监督检查。" + "后文。" * 40)
    )
    html = client.get(SEARCH, {"q": "监督"}).content.decode()
    assert "七星区：跟进<mark>监督</mark>" in html
    snippet = re.search(r'class="search-result__snippet">(.*?)</p>', html, re.S).group(1)
    assert "区纪委加强<mark>监督</mark>检查" in snippet
    assert snippet.startswith("…") and snippet.endswith("…")


@pytest.mark.parametrize(
    "text",
    [
        "重点检查餐具消毒<br>等关键环节",
        "重点检查餐具消毒\n等关键环节",
        "重点检查餐具<strong>消毒</strong>等关键环节",
        "重点检查<span>餐具</span><em>消毒</em>\n<strong>等</strong>关键环节",
    ],
    ids=["line break tag", "newline", "inline tag", "tags and newline"],
)
def test_snippet_puts_no_space_between_chinese_characters(client, text):
    """A tag or a line break between two Chinese characters of the body leaves no space
    between them in the snippet: Chinese is written without spaces."""
    make_article("甲文", body=f"<p>{text}</p><p>第二段。</p>")
    html = client.get(SEARCH, {"q": "消毒"}).content.decode()
    snippet = re.search(r'class="search-result__snippet">(.*?)</p>', html, re.S).group(1)
    assert snippet == "重点检查餐具<mark>消毒</mark>等关键环节第二段。"


def test_snippet_keeps_the_space_between_latin_words(client):
    """Spaces and line breaks between Latin words or numbers stay one space."""
    make_article("甲文", body="<p>举报电话 12388<br>g20 峰会\n消毒</p>")
    html = client.get(SEARCH, {"q": "消毒"}).content.decode()
    snippet = re.search(r'class="search-result__snippet">(.*?)</p>', html, re.S).group(1)
    assert snippet == "举报电话 12388 g20 峰会<mark>消毒</mark>"


def test_highlighting_follows_the_query_written_differently(client):
    """A Traditional or full-width query highlights the Simplified, half-width words."""
    make_article("举报电话12388与监督")
    html = client.get(SEARCH, {"q": "監督 １２３８８"}).content.decode()
    assert "举报电话<mark>12388</mark>与<mark>监督</mark>" in html


def test_titles_and_snippets_are_escaped(client):
    """Markup in a title or in the text is shown as text, never run."""
    make_article(
        "<script>alert(1)</script>监督",
        body="<p>监督&lt;img src=x onerror=alert(2)&gt;</p>",
    )
    html = client.get(SEARCH, {"q": "监督"}).content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<mark>监督</mark>" in html
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(2)&gt;" in html


def test_query_is_escaped_on_the_page(client):
    """What the reader typed is shown escaped in the form and in the summary line."""
    make_article("监督")
    html = client.get(SEARCH, {"q": '监督 "><script>x()</script>'}).content.decode()
    assert "<script>x()" not in html
    assert "&lt;script&gt;x()&lt;/script&gt;" in html


# --- filters ------------------------------------------------------------------------


def test_channel_filter_includes_descendant_channels(client):
    """A channel filter finds articles of the channel and of every channel below it."""
    top = make_channel("清廉之窗", "qinglian")
    child = make_channel("基层风采", "jiceng", parent=top)
    other = make_channel("审查调查", "shencha")
    make_article("上级监督", channel=top)
    make_article("下级监督", channel=child)
    make_article("别处监督", channel=other)
    assert sorted(find(client, "监督", channel="qinglian")) == ["上级监督", "下级监督"]
    assert find(client, "监督", channel="jiceng") == ["下级监督"]
    assert len(find(client, "监督", channel="no-such-channel")) == 3


def test_channel_filter_follows_an_article_moved_to_another_channel(client):
    """The index files a document under its channel again when the article moves."""
    first = make_channel("清廉之窗", "qinglian")
    second = make_channel("审查调查", "shencha")
    article = make_article("搬家监督", channel=first)
    assert find(client, "监督", channel="qinglian") == ["搬家监督"]
    article.channel = second
    article.save()
    assert find(client, "监督", channel="qinglian") == []
    assert find(client, "监督", channel="shencha") == ["搬家监督"]


def test_small_channel_counts_exactly_among_many_matches(client):
    """A channel with few matches of a common word shows exactly those, counted right."""
    big = make_channel("清廉之窗", "qinglian")
    small = make_channel("通知公告", "tongzhi")
    for i in range(30):
        make_article(f"大栏目监督{i}", channel=big)
    make_article("小栏目监督甲", channel=small)
    make_article("小栏目监督乙", channel=small)
    response = client.get(SEARCH, {"q": "监督", "channel": "tongzhi"})
    assert sorted(titles(response)) == ["小栏目监督乙", "小栏目监督甲"]
    assert response.context["results"].count() == 2


def test_the_channel_token_of_the_index_cannot_be_searched(client, channel):
    """What files a document under its channel is no word a reader can find."""
    make_article("普通文章", channel=channel)
    assert find(client, channel_token(channel.pk)) == []
    assert find(client, f"栏目号 {channel.pk}") == []


def test_date_range_filter_includes_both_days(client):
    """start and end dates are inclusive, in the site's time zone."""
    tz = timezone.get_current_timezone()
    make_article("年初监督", published_at=datetime(2024, 1, 1, 0, 5, tzinfo=tz))
    make_article("年中监督", published_at=datetime(2024, 6, 1, 12, 0, tzinfo=tz))
    make_article("年末监督", published_at=datetime(2024, 12, 31, 23, 55, tzinfo=tz))
    make_article("次年监督", published_at=datetime(2025, 1, 1, 0, 5, tzinfo=tz))
    assert find(client, "监督", start="2024-01-01", end="2024-12-31") == [
        "年末监督",
        "年中监督",
        "年初监督",
    ]
    assert find(client, "监督", start="2024-06-01") == ["次年监督", "年末监督", "年中监督"]
    assert find(client, "监督", end="2024-01-01") == ["年初监督"]
    # Swapped dates are read the right way round.
    assert find(client, "监督", start="2024-12-31", end="2024-06-01") == ["年末监督", "年中监督"]


def test_pagination_links_keep_the_query_and_filters(client, monkeypatch):
    """The links to other pages keep the words, channel and dates of the search."""
    monkeypatch.setattr("articles.portal.views.SEARCH_PER_PAGE", 1)
    channel = make_channel("清廉之窗", "qinglian")
    make_article("监督一", channel=channel)
    make_article("监督二", channel=channel)
    html = client.get(SEARCH, {"q": "监督", "channel": "qinglian"}).content.decode()
    assert 'href="?q=%E7%9B%91%E7%9D%A3&amp;channel=qinglian&amp;page=2"' in html


# --- the index follows the articles -------------------------------------------------


def test_edited_article_is_found_by_its_new_words_only(client):
    """After an edit the new words find the article and the old ones no longer do."""
    article = make_article("巡察反馈", body=body("整改落实。"))
    assert find(client, "巡察") == ["巡察反馈"]
    article.title = "审计报告"
    article.summary = ""
    article.body = body("问题清单。")
    article.save()
    assert find(client, "巡察") == []
    assert find(client, "整改") == []
    assert find(client, "清单") == ["审计报告"]


def test_unpublished_and_republished_article(client):
    """Taking an article offline hides it from search; publishing it again shows it."""
    article = make_article("巡察反馈")
    article.status = Article.Status.OFFLINE
    article.save()
    assert find(client, "巡察") == []
    article.status = Article.Status.PUBLISHED
    article.save()
    assert find(client, "巡察") == ["巡察反馈"]


def test_changed_publication_time_changes_the_order(client):
    """Moving an article's publication time moves it in the results."""
    now = timezone.now()
    older = make_article("监督甲", published_at=now - timedelta(days=2))
    make_article("监督乙", published_at=now - timedelta(days=1))
    assert find(client, "监督") == ["监督乙", "监督甲"]
    older.published_at = now - timedelta(hours=1)
    older.save()
    assert find(client, "监督") == ["监督甲", "监督乙"]


def test_renamed_source_is_searched_by_its_new_name(client):
    """Renaming a source re-indexes its articles under the new name."""
    source = make_source("阳朔县纪委监委")
    make_article("甲文", source=source)
    source.name = "荔浦市纪委监委"
    source.save()
    assert find(client, "阳朔") == []
    assert find(client, "荔浦") == ["甲文"]


def test_deleted_article_leaves_the_index(client):
    """Deleting an article removes it from the index and from the results."""
    article = make_article("巡察反馈")
    make_article("巡察整改")
    article.delete()
    assert find(client, "巡察") == ["巡察整改"]
    assert not SearchDocument.objects.filter(article_id=article.pk).exists()
    Article.objects.all().delete()
    assert find(client, "巡察") == []
    assert not SearchDocument.objects.exists()


def test_rebuild_command_indexes_articles_written_around_the_write_path(client, channel):
    """Articles changed around the write path (QuerySet.update(), raw SQL) are found by
    their new words once the index is rebuilt."""
    articles = Article.objects.bulk_create(
        [
            Article(
                title=f"批量导入{i}",
                channel=channel,
                body=body("正文"),
                status=Article.Status.PUBLISHED,
                published_at=timezone.now() - timedelta(hours=i + 1),
            )
            for i in range(3)
        ]
    )
    for i, article in enumerate(articles):
        Article.objects.filter(pk=article.pk).update(title=f"批量导入巡察{i}")
    assert find(client, "巡察") == []
    call_command("rebuild_search_index", "--batch-size", "2", "--jobs", "1", verbosity=0)
    assert find(client, "巡察") == ["批量导入巡察0", "批量导入巡察1", "批量导入巡察2"]
    call_command("rebuild_search_index", "--full", "--jobs", "1", verbosity=0)
    assert find(client, "巡察") == ["批量导入巡察0", "批量导入巡察1", "批量导入巡察2"]
    if connection.vendor == "postgresql":
        # --full built the GIN indexes afresh: they are there again.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexname FROM pg_indexes WHERE tablename = 'articles_searchdocument'"
            )
            names = {name for (name,) in cursor.fetchall()}
        assert set(GIN_INDEXES) <= names


def test_bulk_created_articles_are_indexed_in_one_batch(client, channel):
    """bulk_create of 2,000 articles makes every one searchable, at the cost of one read
    of the articles and one batch write of the index, whatever their number."""
    now = timezone.now()
    articles = [
        Article(
            title=f"批量导入{i}",
            channel=channel,
            body=body(f"巡察整改 item{i}x"),
            status=Article.Status.PUBLISHED,
            published_at=now - timedelta(minutes=i + 1),
        )
        for i in range(2000)
    ]
    with CaptureQueriesContext(connection) as queries:
        Article.objects.bulk_create(articles)
    statements = [query["sql"] for query in queries.captured_queries]
    inserts = [sql for sql in statements if sql.startswith('INSERT INTO "articles_article"')]
    index_writes = [sql for sql in statements if "articles_searchdocument" in sql]
    article_reads = [sql for sql in statements if sql.startswith("SELECT")]
    assert len(index_writes) == 1
    assert index_writes[0].startswith("2000 times:")  # one executemany of every row
    assert len(article_reads) == 1
    # Besides the inserts themselves: the read, the write and its savepoint.
    assert len(statements) <= len(inserts) + 4
    assert SearchDocument.objects.count() == 2000
    assert find(client, "item1999x") == ["批量导入1999"]
    assert find(client, "item0x") == ["批量导入0"]
    assert "超过 1000 篇" in client.get(SEARCH, {"q": "巡察整改"}).content.decode()


# --- bad input ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": ""},
        {"q": "   "},
        {"q": "监" * 10_000},
        {"q": "双减 " * 3_000},
        {"q": "，。！？…——“”"},
        {"q": '" * ( ) NEAR OR -'},
        {"q": 'NEAR("监督" "双减", 5) AND title:x OR -y*'},
        {"q": "'; DROP TABLE articles_article; --"},
        {"q": "监督\x00\x01"},
        {"q": "监督", "page": "abc"},
        {"q": "监督", "page": "-1"},
        {"q": "监督", "page": "0"},
        {"q": "监督", "page": "99999999999999999999"},
        {"q": "监督", "channel": "../../etc"},
        {"q": "监督", "start": "2024-13-45", "end": "tomorrow"},
        {"q": "监督", "start": "0001-01-01", "end": "9999-12-31"},
        {"q": ["监督", "双减"]},
    ],
)
def test_bad_input_gives_a_normal_page(client, params):
    """Whatever is typed or put in the address, the search page answers normally."""
    make_article("七星区：跟进监督 推动“双减”政策落地见效")
    response = client.get(SEARCH, params)
    assert response.status_code == 200
    assert "站内搜索" in response.content.decode()


def test_sql_and_fts_syntax_is_searched_as_words(client):
    """Operators typed into the box are words to look for, not query syntax."""
    make_article("监督 OR 检查")
    make_article("监督")
    assert find(client, "监督 OR") == ["监督 OR 检查"]
    assert sorted(find(client, '"监督"*')) == ["监督", "监督 OR 检查"]


def test_empty_query_shows_the_form_only(client, django_assert_num_queries):
    """Without words there is no search: the form and a hint, and no search query."""
    make_article("监督")
    SiteSettings.load()
    client.get(reverse("articles:home"))  # settings and channel tree into the cache
    with django_assert_num_queries(0):
        response = client.get(SEARCH, {"q": "  ，。 "})
    html = response.content.decode()
    assert 'name="q"' in html
    assert "search-result" not in html


def test_count_is_capped(client, monkeypatch):
    """Past MAX_RESULTS the page says there are more and pages through that many."""
    monkeypatch.setattr("articles.search.results.MAX_RESULTS", 3)
    monkeypatch.setattr("articles.search.postgres.MAX_RESULTS", 3)
    for i in range(5):
        make_article(f"监督{i}")
    html = client.get(SEARCH, {"q": "监督"}).content.decode()
    assert "超过 3 篇" in html


# --- the page -----------------------------------------------------------------------


def test_every_page_has_the_search_box(client):
    """The header of every page holds a search form leading to /search/ with a q box."""
    article = make_article("监督")
    for url in ("/", article.get_absolute_url()):
        html = client.get(url).content.decode()
        assert f'action="{SEARCH}"' in html
        assert 'name="q"' in html
        assert "站内搜索" in html


def test_traditional_search_page(client):
    """/zh-hant/search/ shows the results in Traditional characters, highlighted."""
    make_article("七星区：跟进监督", body=body("推动双减政策落地。"))
    response = client.get("/zh-hant/search/", {"q": "监督"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "七星區：跟進<mark>監督</mark>" in html
    assert 'href="/zh-hant/article/' in html


def test_search_page_query_count(client, django_assert_max_num_queries):
    """The search page costs a fixed number of queries however many results it shows."""
    source = make_source("七星区纪委监委")
    for i in range(25):
        make_article(
            f"标题监督{i}" if i % 2 else f"文章{i}", body=body("开展监督。"), source=source
        )
    SiteSettings.load()
    client.get(SEARCH, {"q": "监督"})  # settings and channel tree into the cache
    # SQLite: one statement counts and finds the page's title and other matches, then the
    # articles. PostgreSQL: title and other matches through GIN, their visibility, the
    # articles (its token statistics, read at most every ten minutes, were read by the
    # first request).
    with django_assert_max_num_queries(2 if connection.vendor == "sqlite" else 4):
        response = client.get(SEARCH, {"q": "监督", "page": "2"})
    html = response.content.decode()
    assert len(titles(response)) == 10
    assert "七星区纪委监委" in html


# --- tokens -------------------------------------------------------------------------


def test_tokens_of_chinese_latin_and_digits():
    """Han runs give bigrams then their characters once; other runs are whole words."""
    assert tokens("监督检查，ＡＢＣ 12388") == "监督 督检 检查 abc 12388 监 督 检 查 监督检 督检查"
    assert tokens("監督") == "监督 监 督"


def test_query_parsing():
    """Words are normalized; one character, two characters and longer words differ."""
    query = parse("  “監” 双减 纪委监委 12388 双减 ")
    assert query.terms == (("监",), ("双减",), ("纪委", "委监", "监委"), ("12388",))
    assert not parse(" ，。！ ")
    assert len(parse("监督 " * 100).terms) == 1


def test_memo_reset_forgets_what_search_keeps(client):
    """One ``memo.reset()`` empties what search keeps in the process: the highlighting
    patterns, and on PostgreSQL the statistics, which the next search reads again."""
    make_article("监督")
    find(client, "监督")
    assert _pattern.cache_info().currsize

    def reads_statistics():
        # (Through Results: the page itself may come from the page cache.)
        with CaptureQueriesContext(connection) as queries:
            Results(parse("监督"))[0:10]
        return any("pg_stats" in query["sql"] for query in queries.captured_queries)

    if connection.vendor == "postgresql":
        assert not reads_statistics()
    memo.reset()
    assert not _pattern.cache_info().currsize
    if connection.vendor == "postgresql":
        assert reads_statistics()


def test_snippet_follows_a_body_changed_around_the_write_path():
    """The snippet's text kept for an article is never shown for another version of its
    body, even one written by QuerySet.update() (which announces nothing)."""
    article = make_article("甲文", body=body("区纪委加强监督检查。"))
    [found] = Results(parse("监督"))[0:10]
    assert "区纪委加强<mark>监督</mark>检查。" in found.snippet_html
    Article.objects.filter(pk=article.pk).update(body=body("县纪委开展监督回访。"))
    [found] = Results(parse("监督"))[0:10]
    assert "县纪委开展<mark>监督</mark>回访。" in found.snippet_html
