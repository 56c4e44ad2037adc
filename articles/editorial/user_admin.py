"""Users and groups in the admin, with one rule on top of Django's: only superusers
grant superuser status or permissions of their own choosing.

An administrator (the 管理员 group) manages accounts and roles, but sees neither
超级用户状态 nor 用户权限 — fields not on the form are not taken from a POST either, so
a forged request changes nothing — and may not change a superuser's account (its
password would be the way in). A group may hold only permissions its editor has.
"""

from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Permission
from django.db.models import Q
from django.urls import reverse
from django.utils.html import format_html

from articles.editorial.county_limits import GroupWideMixin, OwnStaffMixin
from articles.editorial.staff_form import StaffCreationForm, StaffPasswordChangeForm

# Fields only superusers see and change.
SUPERUSER_FIELDS = {"is_superuser", "user_permissions"}
# Django names the permissions it makes "Can add 文章" when the tables are created.
ACTIONS = {"add": "添加", "change": "修改", "delete": "删除", "view": "查看"}


def permission_label(permission):
    """A permission as an action on a thing: 添加文章, 查看登录失败记录, 提交审核或撤回文章."""
    action, _, model_name = permission.codename.partition("_")
    model = permission.content_type.model_class()
    if action in ACTIONS and model is not None and model_name == model._meta.model_name:
        return ACTIONS[action] + str(model._meta.verbose_name)
    return permission.name.removeprefix("可以")


def with_permission_labels(formfield):
    if formfield is not None and formfield.queryset.model is Permission:
        formfield.label_from_instance = permission_label
    return formfield


class UserAdmin(OwnStaffMixin, DjangoUserAdmin):
    list_display = ["username", "last_name", "first_name", "role_names", "staff_mark"]
    add_form = StaffCreationForm
    change_password_form = StaffPasswordChangeForm
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": [
                    "username",
                    "last_name",
                    "first_name",
                    "role",
                    "usable_password",
                    "password1",
                    "password2",
                ],
            },
        )
    ]

    def response_add(self, request, obj, post_url_continue=None):
        if not obj.has_usable_password():
            url = reverse("admin:auth_user_password_change", args=[obj.pk])
            self.message_user(
                request,
                format_html(
                    '账号 {} 还没有密码，不能登录：<a href="{}">现在设置密码</a>。', obj, url
                ),
                messages.WARNING,
            )
        return super().response_add(request, obj, post_url_continue)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        return with_permission_labels(super().formfield_for_manytomany(db_field, request, **kwargs))

    @admin.display(description="角色")
    def role_names(self, obj):
        return "、".join(group.name for group in obj.groups.all()) or "—"

    # Words, not Django's boolean icons: their alternative text is English.
    @admin.display(description="能登录后台", ordering="is_staff")
    def staff_mark(self, obj):
        return "能" if obj.is_staff else "不能"

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        return [
            (name, {**opts, "fields": [f for f in opts["fields"] if f not in SUPERUSER_FIELDS]})
            for name, opts in fieldsets
        ]

    def _guards_superuser(self, request, obj):
        return obj is not None and obj.is_superuser and not request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        if self._guards_superuser(request, obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if self._guards_superuser(request, obj):
            return False
        return super().has_delete_permission(request, obj)


class GroupAdmin(GroupWideMixin, DjangoGroupAdmin):
    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        if db_field.name == "permissions" and not request.user.is_superuser:
            own = Q(pk__in=[])
            for name in request.user.get_all_permissions():
                app_label, codename = name.split(".", 1)
                own |= Q(content_type__app_label=app_label, codename=codename)
            kwargs["queryset"] = Permission.objects.filter(own).select_related("content_type")
        return with_permission_labels(super().formfield_for_manytomany(db_field, request, **kwargs))
