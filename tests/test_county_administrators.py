"""A county site's 管理员 (a webmaster given the 管理员 role and a county site) runs
that site: its settings, footer links, its own channels and its own staff. What the
group shares (the sites and their host names, the shared channels, the slots, the
roles, the 繁體 corrections, the inspection rules, other sites' accounts) stays with
the group's administrators; forged requests for them are refused on the server."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from articles.editorial.models import AuditEntry
from articles.models import Channel, FriendlyLink, Site, SiteSettings, SiteStaff, Slot, slots
from tests import sites_fixtures
from tests.conftest import make_article
from tests.roles import ADMINISTRATOR, EDITOR, REVIEWER, form_data, make_user
from tests.sites_fixtures import staff_of

pytestmark = pytest.mark.django_db
group = sites_fixtures.group


@pytest.fixture
def webmaster(group):
    """七星区's 管理员, logged in."""
    client = Client()
    client.user = staff_of(group.qixing, ADMINISTRATOR, "qixing-admin")
    client.force_login(client.user)
    return client


def change_url(obj):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def test_a_county_administrator_runs_its_own_site(webmaster, group):
    """Its settings, footer links, channels and staff: listed, changed and added, each
    bound to its site whatever the form says."""
    settings = SiteSettings.load(group.qixing)
    page = webmaster.get(change_url(settings))
    assert page.status_code == 200
    data = form_data(page, "sitesettings_form", organizer="中共桂林市七星区纪律检查委员会")
    assert webmaster.post(change_url(settings), data).status_code == 302
    settings.refresh_from_db()
    assert settings.organizer == "中共桂林市七星区纪律检查委员会"

    add_link = reverse("admin:articles_friendlylink_add")
    page = webmaster.get(add_link)
    assert page.status_code == 200 and 'name="site"' not in page.text
    data = form_data(page, "friendlylink_form", name="七星区政府", url="https://example.cn/")
    data["site"] = str(group.main.pk)  # forged: the city's footer
    assert webmaster.post(add_link, data).status_code == 302
    assert FriendlyLink.objects.get(name="七星区政府").site == group.qixing

    add_channel = reverse("admin:articles_channel_add")
    page = webmaster.get(add_channel)
    assert page.status_code == 200
    parents = {str(c.pk) for c in (group.news, group.jiceng)}
    assert not any(f'value="{pk}"' in page.text for pk in parents)
    data = form_data(page, "channel_form", name="七星通讯员", slug="qixing-tongxun")
    data.update(site="", parent=str(group.qixing_news.pk))
    assert webmaster.post(add_channel, data).status_code == 302
    made = Channel.objects.get(slug="qixing-tongxun")
    assert (made.site, made.parent) == (group.qixing, group.qixing_news)

    add_user = reverse("admin:auth_user_add")
    page = webmaster.get(add_user)
    data = form_data(
        page,
        "user_form",
        username="qixing-editor",
        role=str(Group.objects.get(name=EDITOR).pk),
        usable_password="true",
        password1="Lian-Jie-Wen-Hua-88",
        password2="Lian-Jie-Wen-Hua-88",
    )
    assert webmaster.post(add_user, data).status_code == 302
    new = get_user_model().objects.get(username="qixing-editor")
    assert new.site_staff.site == group.qixing

    channels = webmaster.get(reverse("admin:articles_channel_changelist")).text
    assert "七星动态" in channels and "七星通讯员" in channels
    assert "恭城动态" not in channels and "基层风采" not in channels
    links = webmaster.get(reverse("admin:articles_friendlylink_changelist")).text
    assert "七星区政府" in links


def test_a_county_administrator_cannot_touch_the_citys_or_another_countys(webmaster, group):
    """Forged POSTs against the city's settings, links, shared channels, another
    county's channels and the city's accounts change nothing."""
    city_settings = SiteSettings.load(group.main)
    city_link = FriendlyLink.objects.create(name="中央纪委国家监委网站", url="https://example.org/")
    gongcheng_channel = Channel.objects.get(slug="gongcheng-dongtai")
    city_reviewer = make_user(REVIEWER, "city-reviewer")
    for obj, data in [
        (city_settings, {"site_name": "被改了"}),
        (city_link, {"name": "被改了", "url": "https://evil.example/", "position": 0}),
        (group.news, {"name": "被改了", "slug": "xinwen", "position": 0}),
        (gongcheng_channel, {"name": "被改了", "slug": "gongcheng-dongtai", "position": 0}),
        (city_reviewer, {"username": "city-reviewer"}),
    ]:
        assert webmaster.get(change_url(obj)).status_code in (302, 403, 404)
        webmaster.post(change_url(obj), data)
        obj.refresh_from_db()
        assert "被改了" not in str(getattr(obj, "name", getattr(obj, "site_name", "")))
    city_link.refresh_from_db()
    assert city_link.url == "https://example.org/"

    password_url = reverse("admin:auth_user_password_change", args=[city_reviewer.pk])
    webmaster.post(password_url, {"password1": "Taken-over-42", "password2": "Taken-over-42"})
    city_reviewer.refresh_from_db()
    assert city_reviewer.check_password("pw-Unused-9")

    users = webmaster.get(reverse("admin:auth_user_changelist")).text
    assert "city-reviewer" not in users and "qixing-admin" in users
    delete = reverse("admin:articles_channel_delete", args=[group.news.pk])
    webmaster.post(delete, {"post": "yes"})
    assert Channel.objects.filter(pk=group.news.pk).exists()


def test_what_the_group_shares_stays_with_the_groups_administrators(webmaster, group):
    """The sites (host names, 本站工作人员 — the way to make oneself the city's staff), the
    slots' definitions, the roles and the 繁體 corrections: not changed by a county."""
    site_url = change_url(group.qixing)
    page = webmaster.get(site_url)
    assert 'name="hosts"' not in page.text
    data = {
        "name": "七星区",
        "hosts": "qixing.localhost\nwww.example.cn",
        "is_main": "on",
        "home_layout": "standard",
        "position": "0",
        "staff-TOTAL_FORMS": "1",
        "staff-INITIAL_FORMS": "0",
        "staff-MIN_NUM_FORMS": "0",
        "staff-MAX_NUM_FORMS": "1000",
        "staff-0-user": str(webmaster.user.pk),
    }
    webmaster.post(site_url, data)
    webmaster.post(change_url(group.main), {**data, "name": "主站", "hosts": ""})
    group.qixing.refresh_from_db()
    assert group.qixing.host_list == ["qixing.localhost"] and not group.qixing.is_main
    assert SiteStaff.objects.get(user=webmaster.user).site == group.qixing
    assert webmaster.post(reverse("admin:articles_site_add"), data).status_code == 403
    assert Site.objects.count() == 3

    carousel = Slot.objects.get(key=slots.CAROUSEL)
    webmaster.post(change_url(carousel), {"name": "首页轮播", "key": carousel.key, "size": "1"})
    carousel.refresh_from_db()
    assert carousel.size != 1

    editors = Group.objects.get(name=EDITOR)
    webmaster.post(change_url(editors), {"name": "编辑", "permissions": []})
    assert editors.permissions.exists()
    for name in ["articles_phrasecorrection", "inspections_wordingrule", "auth_group"]:
        assert webmaster.post(reverse(f"admin:{name}_add"), {}).status_code == 403


def test_a_county_administrator_reads_only_its_sites_audit_trail(webmaster, group):
    city = make_article("市里的文章", group.news)
    county = make_article("七星区的文章", group.qixing_news, site=group.qixing)
    for article in (city, county):
        AuditEntry.objects.create(
            action=AuditEntry.Action.PUBLISH, article_id=article.pk, article_title=article.title
        )
    page = webmaster.get(reverse("admin:articles_auditentry_changelist")).text
    assert "七星区的文章" in page and "市里的文章" not in page


def test_the_groups_administrator_still_manages_everything(client, group):
    """An administrator with no site (or the main site's) sees every site's channels,
    links and accounts, and may change the sites."""
    admin = make_user(ADMINISTRATOR, "group-admin")
    client.force_login(admin)
    staff_of(group.qixing, EDITOR, "qixing-editor")
    channels = client.get(reverse("admin:articles_channel_changelist")).text
    assert "七星动态" in channels and "基层风采" in channels and "恭城动态" in channels
    assert "qixing-editor" in client.get(reverse("admin:auth_user_changelist")).text
    page = client.get(change_url(group.qixing))
    assert 'name="hosts"' in page.text


def test_a_county_administrator_sees_and_lifts_only_its_staffs_login_locks(webmaster, group):
    """Who tried to log in as whom, and from where, is the site's own business: a county
    sees its own staff's locks (and may lift them), not the city's or strangers'."""
    from axes.models import AccessAttempt

    staff_of(group.qixing, EDITOR, "qixing-editor")
    make_user(REVIEWER, "city-reviewer")
    locks = {
        name: AccessAttempt.objects.create(
            username=name, ip_address=ip, user_agent="test", failures_since_start=5
        )
        for name, ip in [
            ("qixing-editor", "10.0.0.7"),
            ("city-reviewer", "10.0.0.8"),
            ("nobody-at-all", "10.0.0.9"),
        ]
    }
    page = webmaster.get(reverse("admin:axes_accessattempt_changelist")).text
    assert "qixing-editor" in page
    assert "city-reviewer" not in page and "10.0.0.8" not in page
    assert "nobody-at-all" not in page

    city = reverse("admin:axes_accessattempt_change", args=[locks["city-reviewer"].pk])
    assert webmaster.get(city).status_code == 302  # not found: back to the admin's home
    delete = reverse("admin:axes_accessattempt_delete", args=[locks["city-reviewer"].pk])
    webmaster.post(delete, {"post": "yes"})
    assert AccessAttempt.objects.filter(username="city-reviewer").exists()

    own = reverse("admin:axes_accessattempt_delete", args=[locks["qixing-editor"].pk])
    assert webmaster.post(own, {"post": "yes"}).status_code == 302
    assert not AccessAttempt.objects.filter(username="qixing-editor").exists()
