"""What PHPCMS stored, read back: both array formats, and the text PHPCMS mangled."""

import pytest

from articles.importer.phpcms import addresses, text
from articles.importer.phpcms.phparray import PHPArrayError, parse_setting


def test_var_export_arrays_with_escapes_integer_keys_and_nesting():
    stored = (
        "array (\n  'ishtml' => '1',\n  'meta_description' => 'It\\'s a \\\\ path',\n"
        "  3 => array (\n    0 => 'a',\n    1 => -2,\n  ),\n  'flag' => true,\n)"
    )
    assert parse_setting(stored) == {
        "ishtml": "1",
        "meta_description": "It's a \\ path",
        3: {0: "a", 1: -2},
        "flag": True,
    }


def test_json_settings_plain_and_escaped_twice():
    assert parse_setting('{"meta_title":"\\u65b0\\u95fb","u":"a\\/b"}') == {
        "meta_title": "新闻",
        "u": "a/b",
    }
    assert parse_setting('{\\"ishtml\\":\\"1\\"}') == {"ishtml": "1"}
    assert parse_setting("") == {} and parse_setting(None) == {}


@pytest.mark.parametrize(
    "stored",
    [
        "array ( 'a' => system('id') )",
        "array ( 'a' => 'b' ) ; phpinfo()",
        "array ( 'a' => 'unterminated ",
        "<?php eval($_GET[x]);",
    ],
)
def test_anything_but_an_array_literal_is_refused_never_run(stored):
    with pytest.raises(PHPArrayError):
        parse_setting(stored)


def test_copyfrom_forms():
    assert text.copyfrom("桂林日报|0") == text.CopyFromValue("桂林日报", 0)
    assert text.copyfrom("|1") == text.CopyFromValue("", 1)
    assert text.copyfrom("http://a.example/x|y.html|2") == text.CopyFromValue(
        "http://a.example/x|y.html", 2
    )
    assert text.copyfrom("采集来的来源") == text.CopyFromValue("采集来的来源", 0)


def test_relation_keeps_order_drops_empties_and_repeats():
    assert text.relation("|52090|38278||52090|") == [52090, 38278]


def test_summary_undoes_entities_and_the_cut_but_not_a_typed_space():
    content = "<p>　　全市查处问题，23.3%的干部&ldquo;受到&rdquo;处理。后文</p>"
    assert text.summary("全市查处问题，23 3%的干部受到处理   ", content) == (
        "全市查处问题，23 3%的干部受到处理…"
    )
    assert text.summary("A &amp; B   ", "<p>另一段</p>") == "A & B"


def test_titles_are_unescaped_once():
    assert text.title("学校&quot;清廉&quot;建设") == '学校"清廉"建设'
    assert text.title("A &amp;amp; B") == "A &amp; B"


def test_pages_split_with_subtitles_and_no_dangling_paragraphs():
    content = "<p>一</p>\r\n<p>[page]</p>\r\n<p>二</p>\r\n<p>[page]小标题[/page]</p>\r\n<p>三</p>"
    assert text.parts(content, "标题") == [
        text.Part("标题", "<p>一</p>"),
        text.Part("", "<p>二</p>"),
        text.Part("小标题", "<p>三</p>"),
    ]


def test_old_addresses_are_parsed_for_catid_id_and_page():
    assert addresses.parse("/show-242-53063-2-8.html", {}) == addresses.OldRef(
        "article", 242, 53063, 2
    )
    assert addresses.parse("/article-306-65540-1.html", {}) == addresses.OldRef(
        "article", None, 65540, 1
    )
    query = {"m": "content", "c": "index", "a": "show", "catid": "3", "id": "7", "page": "x"}
    assert addresses.parse("/index.php", query) == addresses.OldRef("article", 3, 7, 1)
    assert addresses.parse("/list-12-3.html", {}) == addresses.OldRef("channel", 12, None, 3)
    assert addresses.parse("/html/gzdt/2023/0512/1.html", {}) is None


def test_without_mariadb_the_importer_tests_skip_except_in_ci(monkeypatch):
    from _pytest.outcomes import Failed, Skipped

    from tests import phpcms_database

    monkeypatch.setattr(phpcms_database, "PORT", 1)  # nothing listens there
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(Skipped, match="not reachable"):
        phpcms_database.require_mariadb()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(Failed, match="CI=true"):
        phpcms_database.require_mariadb()
