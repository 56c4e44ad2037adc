"""Registers the editors' desk with the admin site; each ModelAdmin lives in its module."""

from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.auth.models import Group, User

from articles.editorial.article_admin import ArticleAdmin
from articles.editorial.audit_admin import AuditEntryAdmin
from articles.editorial.channel_admin import ChannelAdmin, SourceAdmin
from articles.editorial.county_limits import OwnStaffLocksMixin
from articles.editorial.models import AuditEntry
from articles.editorial.site_admin import (
    FriendlyLinkAdmin,
    PhraseCorrectionAdmin,
    SiteSettingsAdmin,
)
from articles.editorial.site_group_admin import SiteAdmin
from articles.editorial.slot_admin import SlotAdmin
from articles.editorial.submission_admin import SubmissionAdmin
from articles.editorial.submissions import Submission
from articles.editorial.user_admin import GroupAdmin, UserAdmin
from articles.hant.models import PhraseCorrection
from articles.models import Article, Channel, FriendlyLink, Site, SiteSettings, Slot, Source

admin.site.register(Channel, ChannelAdmin)
admin.site.register(Source, SourceAdmin)
admin.site.register(Article, ArticleAdmin)
admin.site.register(SiteSettings, SiteSettingsAdmin)
admin.site.register(FriendlyLink, FriendlyLinkAdmin)
admin.site.register(AuditEntry, AuditEntryAdmin)
admin.site.register(Slot, SlotAdmin)
admin.site.register(PhraseCorrection, PhraseCorrectionAdmin)
admin.site.register(Site, SiteAdmin)
admin.site.register(Submission, SubmissionAdmin)

# Users and groups with the superuser rule of user_admin.py in place of Django's own.
admin.site.unregister(User)
admin.site.unregister(Group)
admin.site.register(User, UserAdmin)
admin.site.register(Group, GroupAdmin)


class LoginLockAdmin(OwnStaffLocksMixin, AccessAttemptAdmin):
    """django-axes' list of login locks, where its status column has no name and each
    row's check box is read out by the record's English name ("Attempted Access: …")."""

    def action_checkbox(self, obj):
        box = forms.CheckboxInput(
            {"class": "action-select", "aria-label": f"选择 {obj.username} 的记录"}
        )
        return box.render(helpers.ACTION_CHECKBOX_NAME, str(obj.pk))

    @admin.display(description="状态")
    def status(self, obj):
        return super().status(obj)


if admin.site.is_registered(AccessAttempt):
    admin.site.unregister(AccessAttempt)
    admin.site.register(AccessAttempt, LoginLockAdmin)

# django-axes registers lists of successful logins and of each failure too; the site
# keeps neither (settings: AXES_DISABLE_ACCESS_LOG), so they would stay empty for ever.
for model, kept in [
    (AccessLog, not getattr(settings, "AXES_DISABLE_ACCESS_LOG", False)),
    (AccessFailureLog, getattr(settings, "AXES_ENABLE_ACCESS_FAILURE_LOG", False)),
]:
    if not kept and admin.site.is_registered(model):
        admin.site.unregister(model)
