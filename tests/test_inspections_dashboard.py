"""The inspection dashboard: traffic lights per rule, stale and empty channels, the home
page's last update, and the warning on the admin's home while a rule is red."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from articles.inspections.models import FreshnessLimit
from articles.models import Article, ColumnType
from tests.conftest import make_article, make_channel
from tests.roles import ADMINISTRATOR, EDITOR, REVIEWER, login

pytestmark = pytest.mark.django_db

DASHBOARD = "admin:inspections_dashboard_changelist"


def ago(days):
    return timezone.now() - timedelta(days=days)


def section(html, key):
    """The part of the page about one rule."""
    start = html.index(f'id="rule-{key}"')
    end = html.find('<div class="module" id="rule-', start + 1)
    return html[start : end if end != -1 else len(html)]


def light(html, key):
    start = html.index(f'id="light-{key}"')
    return html[html.rindex("<li", 0, start) : html.index("</li>", start)]


def dashboard(client):
    response = client.get(reverse(DASHBOARD))
    assert response.status_code == 200
    return response.content.decode()


def test_a_news_channel_older_than_its_limit_is_red_with_its_limit(client):
    stale = make_channel("工作动态", column_type=ColumnType.WORK_NEWS)
    make_article(channel=stale, published_at=ago(20))
    fresh = make_channel("通知公告", column_type=ColumnType.NOTICES)
    make_article(channel=fresh, published_at=ago(20))
    login(client, ADMINISTRATOR)
    html = dashboard(client)
    part = section(html, "channels")
    assert "工作动态" in part and "14 天" in part and "超期 6 天" in part
    assert reverse("admin:articles_channel_change", args=[stale.pk]) in part
    assert "通知公告" not in part  # 20 days of 180
    assert "light-red" in light(html, "channels")


def test_a_channel_within_a_week_of_its_limit_is_amber(client):
    channel = make_channel("人事信息", column_type=ColumnType.PERSONNEL)
    make_article(channel=channel, published_at=ago(360))
    login(client, ADMINISTRATOR)
    html = dashboard(client)
    assert "还剩 5 天" in section(html, "channels")
    assert "light-amber" in light(html, "channels")


def test_administrators_change_a_limit_in_the_table(client):
    channel = make_channel("工作动态", column_type=ColumnType.WORK_NEWS)
    make_article(channel=channel, published_at=ago(20))
    login(client, ADMINISTRATOR)
    row = FreshnessLimit.objects.get(column_type=ColumnType.WORK_NEWS)
    response = client.post(
        reverse("admin:inspections_freshnesslimit_change", args=[row.pk]),
        {"column_type": row.column_type, "days": "30"},
    )
    assert response.status_code == 302
    assert "light-green" in light(dashboard(client), "channels")


def test_the_limits_of_the_checklist_are_there_from_the_start():
    limits = dict(FreshnessLimit.objects.values_list("column_type", "days"))
    assert limits[ColumnType.WORK_NEWS] == 14
    assert limits[ColumnType.NOTICES] == limits[ColumnType.POLICY_DOCUMENTS] == 180
    assert limits[ColumnType.PERSONNEL] == 365
    assert set(limits) == set(ColumnType.values)


def test_five_empty_channels_fail_the_site_and_fewer_are_a_warning(client):
    parent = make_channel("要闻")
    child = make_channel("本地要闻", parent=parent)
    make_article(channel=child)  # the parent shows its child's articles: not empty
    empties = [make_channel(f"空栏目{i}") for i in range(4)]
    login(client, ADMINISTRATOR)
    html = dashboard(client)
    assert "light-amber" in light(html, "empty")
    part = section(html, "empty")
    assert all(c.name in part for c in empties) and "要闻" not in part
    make_channel("空栏目4")
    html = dashboard(client)
    assert "light-red" in light(html, "empty")
    assert "5 个空栏目" in section(html, "empty")


def test_the_home_page_not_updated_for_two_weeks_is_red(client):
    make_article(published_at=ago(15))
    make_article(published_at=ago(1), status=Article.Status.DRAFT)  # readers never saw it
    login(client, ADMINISTRATOR)
    html = dashboard(client)
    assert "light-red" in light(html, "home")
    assert "15 天前" in section(html, "home")
    make_article(published_at=ago(1))
    assert "light-green" in light(dashboard(client), "home")


def test_the_admin_home_warns_while_a_rule_is_red(client):
    make_article(published_at=ago(30))
    login(client, ADMINISTRATOR)
    html = client.get(reverse("admin:index")).content.decode()
    assert "网站检查有不合格项" in html and "首页更新" in html
    assert reverse(DASHBOARD) in html


def test_no_warning_while_nothing_is_red(client):
    make_article(published_at=ago(1))
    login(client, ADMINISTRATOR)
    html = client.get(reverse("admin:index")).content.decode()
    assert "网站检查有不合格项" not in html


def test_editors_get_no_warning_and_no_dashboard(client):
    make_article(published_at=ago(30))
    login(client, EDITOR)
    assert "网站检查有不合格项" not in client.get(reverse("admin:index")).content.decode()
    assert client.get(reverse(DASHBOARD)).status_code == 403


def test_a_reviewer_sees_the_dashboard_once_given_its_permission(client):
    login(client, REVIEWER)
    assert client.get(reverse(DASHBOARD)).status_code == 403
    client.user.user_permissions.add(
        Permission.objects.get(codename="view_dashboard", content_type__app_label="inspections")
    )
    assert client.get(reverse(DASHBOARD)).status_code == 200
    app = client.get(reverse("admin:app_list", args=["inspections"])).content.decode()
    assert "检查总览" in app
