"""The inspection dashboard per site of the site group (docs/inspections.md): group
staff choose the site, a county's reviewers always see their own."""

import io
import re
from datetime import datetime, timedelta
from urllib.parse import unquote

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from articles.inspections.export import REPORT_SHEET
from articles.inspections.models import (
    CheckedLink,
    CheckRun,
    LinkPlace,
    TimeFlag,
    WordingFinding,
    WordingRule,
)
from articles.models import Article, Channel, ColumnType
from tests import sites_fixtures
from tests.conftest import make_article
from tests.roles import ADMINISTRATOR, REVIEWER, make_user
from tests.sites_fixtures import staff_of
from tests.test_inspections_dashboard import section

pytestmark = pytest.mark.django_db
group = sites_fixtures.group

DASHBOARD = "admin:inspections_dashboard_changelist"
STATS = "admin:inspections_dashboard_stats"
WARNING = "网站检查有不合格项"


def ago(days):
    return timezone.now() - timedelta(days=days)


def with_dashboard(user):
    user.user_permissions.add(
        Permission.objects.get(codename="view_dashboard", content_type__app_label="inspections")
    )
    return user


def news_types(group):
    """新闻廉播 and 七星动态 as news channels (14 days)."""
    Channel.objects.filter(pk__in=[group.news.pk, group.qixing_news.pk]).update(
        column_type=ColumnType.WORK_NEWS
    )


def age(article, days):
    Article.objects.filter(pk=article.pk).update(published_at=ago(days))


def county_reviewer(client, group):
    user = with_dashboard(staff_of(group.qixing, REVIEWER))
    client.force_login(user)
    return user


def findings_on(city, county):
    """A wording finding, a time flag and a dead link on each of two articles."""
    rule = WordingRule.objects.create(wrong="党风廉正", right="党风廉政")
    CheckRun.objects.create(kind=CheckRun.Kind.LINKS, summary="")
    for article, where in [(city, "city"), (county, "county")]:
        WordingFinding.objects.create(
            article=article, rule=rule, field="body", found="党风廉正", checked_at=ago(0)
        )
        TimeFlag.objects.create(
            article=article,
            kind=TimeFlag.Kind.MOVED_BACK,
            new_time=ago(40),
            changed_at=ago(1),
            username=f"{where}-editor",
        )
        link = CheckedLink.objects.create(url=f"http://127.0.0.1:9/{where}", is_dead=True)
        LinkPlace.objects.create(link=link, article=article, place=f"{where}-place")


def test_a_county_reviewer_sees_only_the_county_whatever_the_address_says(client, group):
    news_types(group)
    age(group.city_article, 20)
    age(group.county_article, 20)
    findings_on(group.city_article, group.county_article)
    county_reviewer(client, group)
    for params in [{}, {"site": group.main.pk}, {"site": group.gongcheng.pk}, {"site": "x"}]:
        response = client.get(reverse(DASHBOARD), params)
        assert response.status_code == 200
        html = response.content.decode()
        channels = section(html, "channels")
        assert "七星动态" in channels and "新闻廉播" not in channels
        assert "恭城动态" not in section(html, "empty")
        assert "检查站点：七星区" in html and 'name="site"' not in html
        for key in ["wording", "times", "links"]:
            part = section(html, key)
            assert group.county_article.title in part or "county-place" in part
            assert group.city_article.title not in part and "city-place" not in part
        # Its home is its own articles: the newest is 20 days old.
        assert "light-red" in html.split('id="light-home"')[0].rsplit("<li", 1)[1]


def test_an_administrator_switches_between_the_sites(client, group):
    news_types(group)
    age(group.city_article, 20)
    age(group.county_article, 20)
    findings_on(group.city_article, group.county_article)
    client.force_login(make_user(ADMINISTRATOR))

    city = client.get(reverse(DASHBOARD)).content.decode()
    assert 'name="site"' in city
    assert all(name in city for name in ["主站", "七星区", "恭城"])
    assert "新闻廉播" in section(city, "channels") and "七星动态" not in city
    assert group.city_article.title in section(city, "wording")
    assert group.county_article.title not in section(city, "wording")
    assert "city-editor" in section(city, "times") and "county-editor" not in city

    county = client.get(reverse(DASHBOARD), {"site": group.qixing.pk}).content.decode()
    assert "七星动态" in section(county, "channels")
    assert "新闻廉播" not in section(county, "channels")
    assert "county-place" in section(county, "links") and "city-place" not in county
    assert f'<option value="{group.qixing.pk}" selected>' in county
    # 恭城's one local channel is empty, and nobody's else is listed there.
    gongcheng = client.get(reverse(DASHBOARD), {"site": group.gongcheng.pk}).content.decode()
    assert "恭城动态" in section(gongcheng, "empty")
    assert "七星动态" not in gongcheng and "基层风采" not in section(gongcheng, "empty")


def at(month):
    return timezone.make_aware(datetime(2025, month, 15, 10))


def report_of(html):
    start = html.index('id="report"')
    part = html[start : html.index("</table>", start)]
    rows = re.findall(r"<tr><td>(.*?)</td><td class=\"number\">(\d+)</td></tr>", part)
    return {label: int(n) for label, n in rows}


def test_statistics_and_excel_of_a_county_count_only_its_articles(client, group):
    for month in (1, 2, 3):
        make_article("七星区工作动态", group.qixing_news, site=group.qixing, published_at=at(month))
    for month in (1, 4):
        make_article("市里的要闻", group.news, published_at=at(month))
    county_reviewer(client, group)
    html = client.get(reverse(STATS), {"year": 2025, "site": group.main.pk}).content.decode()
    report = report_of(html)
    assert report["信息发布总数（条）"] == 3
    assert report["栏目维护数量（个）"] == 1  # 七星动态, its only channel
    assert "新闻廉播" not in html.split('id="table-channel"')[1].split("</table>")[0]

    response = client.get(reverse(STATS), {"year": 2025, "format": "xlsx"})
    assert "七星区" in unquote(response["Content-Disposition"])
    book = load_workbook(io.BytesIO(response.content))
    sheet = {row[0]: row[1] for row in book[REPORT_SHEET].iter_rows(min_row=3, values_only=True)}
    assert sheet["信息发布总数（条）"] == 3
    assert {label.strip("　"): n for label, n in report.items()} == sheet

    client.force_login(make_user(ADMINISTRATOR))
    city = report_of(client.get(reverse(STATS), {"year": 2025}).content.decode())
    assert city["信息发布总数（条）"] == 2
    county = client.get(reverse(STATS), {"year": 2025, "site": group.qixing.pk})
    assert report_of(county.content.decode()) == report
    excel = client.get(reverse(STATS), {"year": 2025, "site": group.main.pk, "format": "xlsx"})
    assert f"-{group.main.name}-2025.xlsx" in unquote(excel["Content-Disposition"])


def test_the_warning_on_the_admin_home_is_about_the_readers_own_site(client, group):
    news_types(group)
    age(group.city_article, 20)  # the city's 新闻廉播 is overdue, 七星动态 is not
    county_reviewer(client, group)
    assert WARNING not in client.get(reverse("admin:index")).content.decode()
    client.force_login(make_user(ADMINISTRATOR))
    assert WARNING in client.get(reverse("admin:index")).content.decode()

    age(group.city_article, 1)
    age(group.county_article, 20)
    county_reviewer(client, group)
    html = client.get(reverse("admin:index")).content.decode()
    assert WARNING in html and "栏目更新" in html
    client.force_login(make_user(ADMINISTRATOR))
    assert WARNING not in client.get(reverse("admin:index")).content.decode()


def test_the_year_shown_is_the_year_chosen_even_without_articles(client, group):
    make_article("七星区工作动态", group.qixing_news, site=group.qixing, published_at=at(3))
    county_reviewer(client, group)
    html = client.get(reverse(STATS)).content.decode()
    this_year = timezone.localtime().year
    assert f'<option value="{this_year}" selected>' in html
    assert '<option value="2025">' in html


def site_table_of(html):
    part = html.split('id="table-site"')[1].split("</table>")[0]
    rows = re.findall(r"<tr><td>(.*?)</td><td class=\"number\">(\d+)</td></tr>", part)
    return {label: int(n) for label, n in rows}


def test_group_staff_see_every_site_side_by_side_in_the_page_and_the_excel(client, group):
    for month in (1, 2, 3):
        make_article("七星区工作动态", group.qixing_news, site=group.qixing, published_at=at(month))
    adopted = make_article("七星区：被采用的稿件", group.qixing_news, site=group.qixing)
    Article.objects.filter(pk=adopted.pk).update(published_at=at(5))
    adopted.also_in.add(group.news)  # shown in the city's channel, still the county's
    gongcheng_news = Channel.objects.get(slug="gongcheng-dongtai")
    make_article("恭城动态一则", gongcheng_news, site=group.gongcheng, published_at=at(6))
    for month in (1, 4):
        make_article("市里的要闻", group.news, published_at=at(month))
    make_article("往年的要闻", group.news, published_at=at(1) - timedelta(days=400))

    client.force_login(make_user(ADMINISTRATOR))
    # Whichever site is chosen, the group's table is the same.
    for chosen in (group.main, group.qixing):
        html = client.get(reverse(STATS), {"year": 2025, "site": chosen.pk}).content.decode()
        per_site = site_table_of(html)
        assert per_site == {group.main.name: 2, group.qixing.name: 4, group.gongcheng.name: 1}
        assert "2025 年各站点（共 7 篇）" in html
    response = client.get(reverse(STATS), {"year": 2025, "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content))["2025 年各站点"]
    rows = {row[0]: row[1] for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert rows == {**per_site, "合计": 7}

    county_reviewer(client, group)
    html = client.get(reverse(STATS), {"year": 2025}).content.decode()
    assert 'id="table-site"' not in html
    assert "各站点" not in html
