"""Creating a staff user in one form: name, password (or none yet), and role.

The role is one of the three groups of migration 0004; choosing it gives the account
工作人员状态 too, since every role works in the admin.
"""

from django import forms
from django.contrib.auth.forms import AdminPasswordChangeForm, AdminUserCreationForm
from django.contrib.auth.models import Group

ROLES = ["编辑", "审核", "管理员"]


class StaffCreationForm(AdminUserCreationForm):
    last_name = forms.CharField(label="姓", max_length=150, required=False)
    first_name = forms.CharField(label="名", max_length=150, required=False)
    role = forms.ModelChoiceField(
        label="角色",
        queryset=Group.objects.filter(name__in=ROLES),
        empty_label=None,
        widget=forms.RadioSelect,
        help_text="编辑：写稿、提交审核；审核：另可发布、驳回、下线；管理员：另可管理栏目、"
        "网站设置和账号。新账号都能登录后台。",
    )
    usable_password = AdminUserCreationForm.create_usable_password_field(
        help_text="选“暂不设置”时，保存后在账号页点“设置密码”再设，或由本人设置后再告知。"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        usable = self.fields["usable_password"]
        usable.label = "密码"
        usable.choices = [("true", "现在设置"), ("false", "暂不设置")]
        # The three roles in their order, not the database's.
        order = {name: i for i, name in enumerate(ROLES)}
        self.fields["role"].choices = sorted(
            self.fields["role"].choices, key=lambda choice: order.get(str(choice[1]), 99)
        )

    def save(self, commit=True):
        user = super().save(commit=False)
        user.is_staff = True
        if commit:
            user.save()
            user.groups.set([self.cleaned_data["role"]])
        else:
            self.save_m2m = lambda: user.groups.set([self.cleaned_data["role"]])
        return user


class StaffPasswordChangeForm(AdminPasswordChangeForm):
    """Setting someone's password, with Django's hint in Chinese: it adds an English
    sentence to its translated one, out of reach of the catalogue."""

    usable_password_help_text = (
        "停用后，这个账号不能再用密码登录后台。"
        # The list's id is what Django's script shows and hides.
        '<ul id="id_unusable_warning" class="messagelist"><li class="warning">'
        "停用会作废这个账号现在的密码。</li></ul>"
    )
