"""Roles in the admin (issue 21 #13): administrators handle login locks, and only
superusers grant superuser status or raw permissions."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse

from tests.roles import ADMINISTRATOR, EDITOR, form_data, login, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator():
    return login(Client(), ADMINISTRATOR, "zhuren")


def user_url(user):
    return reverse("admin:auth_user_change", args=[user.pk])


def lock(username="xiaowang"):
    return AccessAttempt.objects.create(
        username=username,
        ip_address="203.0.113.7",
        user_agent="test",
        failures_since_start=5,
        get_data="",
        post_data="",
        http_accept="*/*",
        path_info="/admin/login/",
    )


def test_administrator_sees_and_lifts_login_locks(administrator):
    """The 管理员 group lists the locks and deletes one to let a locked-out editor in."""
    attempt = lock()
    page = administrator.get(reverse("admin:axes_accessattempt_changelist"))
    assert page.status_code == 200
    assert "xiaowang" in page.text
    url = reverse("admin:axes_accessattempt_delete", args=[attempt.pk])
    assert administrator.post(url, {"post": "yes"}).status_code == 302
    assert not AccessAttempt.objects.exists()


def test_the_login_protection_section_lists_only_what_is_kept(administrator):
    """Successful logins and a log of each failure are not recorded (settings:
    AXES_DISABLE_ACCESS_LOG, no AXES_ENABLE_ACCESS_FAILURE_LOG): the admin offers no
    lists that would stay empty for ever, only the locks."""
    home = administrator.get(reverse("admin:index")).text
    assert reverse("admin:axes_accessattempt_changelist") in home
    assert "/admin/axes/accesslog/" not in home
    assert "/admin/axes/accessfailurelog/" not in home
    assert administrator.get("/admin/axes/accesslog/").status_code == 404
    assert administrator.get("/admin/axes/accessfailurelog/").status_code == 404


def test_administrator_cannot_make_itself_superuser(administrator):
    """Ticking 超级用户状态 or raw permissions on one's own account, even in a forged
    POST, changes nothing: the fields are not on the form and not taken from the POST."""
    me = administrator.user
    page = administrator.get(user_url(me))
    assert page.status_code == 200
    assert 'name="is_superuser"' not in page.text
    assert 'name="user_permissions"' not in page.text
    every = [str(pk) for pk in Permission.objects.values_list("pk", flat=True)]
    data = form_data(page, "user_form", is_superuser="on", user_permissions=every)
    administrator.post(user_url(me), data)
    me.refresh_from_db()
    assert not me.is_superuser
    assert not me.user_permissions.exists()


def test_administrator_cannot_take_over_a_superuser(administrator):
    """A superuser's account (its password above all) is changed by superusers only."""
    boss = get_user_model().objects.create_superuser("boss", "boss@example.com", "pw-Unused-9")
    page = administrator.get(user_url(boss))
    assert 'name="username"' not in page.text
    assert administrator.post(user_url(boss), {"username": "boss2"}).status_code == 403
    password_url = reverse("admin:auth_user_password_change", args=[boss.pk])
    response = administrator.post(
        password_url, {"password1": "Taken-over-42", "password2": "Taken-over-42"}
    )
    assert response.status_code == 403
    boss.refresh_from_db()
    assert boss.check_password("pw-Unused-9")


def test_administrator_cannot_give_a_group_permissions_it_lacks(administrator):
    """A group is a bundle of permissions: an administrator may only put in it what the
    administrator has, so no group becomes a back door to raw permissions."""
    group = Group.objects.get(name=EDITOR)
    url = reverse("admin:auth_group_change", args=[group.pk])
    page = administrator.get(url)
    forbidden = Permission.objects.get(codename="delete_auditentry")
    assert f'value="{forbidden.pk}"' not in page.text
    ids = form_data(page, "group_form").get("permissions", [])
    ids = [ids] if isinstance(ids, str) else ids
    administrator.post(url, form_data(page, "group_form", permissions=[*ids, str(forbidden.pk)]))
    assert not group.permissions.filter(pk=forbidden.pk).exists()


def test_superuser_still_grants_superuser_status(admin_client):
    """Superusers keep every field and may make another superuser."""
    colleague = make_user(EDITOR, "xiaowang")
    page = admin_client.get(user_url(colleague))
    assert 'name="is_superuser"' in page.text
    admin_client.post(user_url(colleague), form_data(page, "user_form", is_superuser="on"))
    colleague.refresh_from_db()
    assert colleague.is_superuser
