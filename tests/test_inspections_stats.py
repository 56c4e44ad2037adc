"""Publication statistics and the annual report: the page, its SVG charts, and an Excel
file with the same numbers (read back with openpyxl)."""

import io
import re
from datetime import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from articles.inspections.export import REPORT_SHEET
from articles.models import Article, ColumnType
from tests.conftest import make_article, make_channel, make_source
from tests.roles import ADMINISTRATOR, EDITOR, login

pytestmark = pytest.mark.django_db

STATS = "admin:inspections_dashboard_stats"


def at(year, month, day=15):
    return timezone.make_aware(datetime(year, month, day, 10))


@pytest.fixture
def archive():
    news = make_channel("工作动态", column_type=ColumnType.WORK_NEWS)
    notices = make_channel("通知公告", column_type=ColumnType.NOTICES)
    special = make_channel("清廉专题", column_type=ColumnType.SPECIAL)
    make_channel("空栏目", column_type=ColumnType.PERSONNEL)
    county = make_source("七星区纪委监委")
    writer = get_user_model().objects.create_user("小张")
    for month in (1, 1, 2, 5):
        make_article(channel=news, published_at=at(2025, month), source=county, created_by=writer)
    make_article(channel=notices, published_at=at(2025, 11), status=Article.Status.OFFLINE)
    make_article(channel=special, published_at=at(2025, 12))
    make_article(channel=news, published_at=at(2024, 6))
    make_article(channel=news, published_at=at(2025, 3), status=Article.Status.DRAFT)


def cells(html, key):
    """(label, number) rows of one table on the page."""
    start = html.index(f'id="{key}"')
    part = html[start : html.index("</table>", start)]
    return re.findall(r"<tr><td>(.*?)</td><td class=\"number\">(\d+)</td></tr>", part)


def test_the_page_counts_by_month_quarter_year_channel_type_source_and_editor(client, archive):
    login(client, ADMINISTRATOR)
    html = client.get(reverse(STATS), {"year": 2025}).content.decode()
    assert dict(cells(html, "table-month"))["1 月"] == "2"
    assert dict(cells(html, "table-quarter")) == {
        "第1季度": "3",
        "第2季度": "1",
        "第3季度": "0",
        "第4季度": "2",
    }
    assert dict(cells(html, "table-year")) == {"2024 年": "1", "2025 年": "6"}
    assert dict(cells(html, "table-channel")) == {"工作动态": "4", "通知公告": "1", "清廉专题": "1"}
    assert dict(cells(html, "table-type"))["工作动态"] == "4"
    assert dict(cells(html, "table-source")) == {"七星区纪委监委": "4", "本站": "2"}
    assert dict(cells(html, "table-editor")) == {"小张": "4", "未记录": "2"}
    report = dict(cells(html, "report"))
    assert report["信息发布总数（条）"] == "6"
    assert report["　其中：政务动态信息（条）"] == "5"
    assert report["　其中：专栏专题信息（条）"] == "1"
    assert report["栏目维护数量（个）"] == "3" and report["　其中本年新开设（个）"] == "2"
    assert report["专栏专题新开设数量（个）"] == "1"
    assert report["年底仍无内容的栏目（个）"] == "1"
    assert html.count('<svg class="chart"') == 7
    assert "<script" not in html.split('id="content-main"')[1]


def test_the_excel_file_has_the_numbers_of_the_page(client, archive):
    login(client, ADMINISTRATOR)
    html = client.get(reverse(STATS), {"year": 2025}).content.decode()
    response = client.get(reverse(STATS), {"year": 2025, "format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    report = {row[0]: row[1] for row in book[REPORT_SHEET].iter_rows(min_row=3, values_only=True)}
    assert {label.strip("　"): int(n) for label, n in cells(html, "report")} == report
    for key, sheet in [("table-month", "2025 年各月"), ("table-channel", "2025 年各栏目")]:
        rows = {r[0]: r[1] for r in book[sheet].iter_rows(min_row=3, values_only=True)}
        page = {label: int(n) for label, n in cells(html, key)}
        assert rows.pop("合计") == sum(page.values())
        assert rows == page


def test_editors_cannot_open_the_statistics(client):
    login(client, EDITOR)
    assert client.get(reverse(STATS)).status_code == 403
    assert client.get(reverse(STATS), {"format": "xlsx"}).status_code == 403
