"""Registers the editors' desk with the admin site; each ModelAdmin lives in its module."""

from django.contrib import admin
from django.contrib.auth.models import Group, User

from articles.editorial.article_admin import ArticleAdmin
from articles.editorial.audit_admin import AuditEntryAdmin
from articles.editorial.channel_admin import ChannelAdmin, SourceAdmin
from articles.editorial.models import AuditEntry
from articles.editorial.site_admin import (
    FriendlyLinkAdmin,
    PhraseCorrectionAdmin,
    SiteSettingsAdmin,
)
from articles.editorial.user_admin import GroupAdmin, UserAdmin
from articles.hant.models import PhraseCorrection
from articles.models import Article, Channel, FriendlyLink, SiteSettings, Source

admin.site.register(Channel, ChannelAdmin)
admin.site.register(Source, SourceAdmin)
admin.site.register(Article, ArticleAdmin)
admin.site.register(SiteSettings, SiteSettingsAdmin)
admin.site.register(FriendlyLink, FriendlyLinkAdmin)
admin.site.register(AuditEntry, AuditEntryAdmin)
admin.site.register(PhraseCorrection, PhraseCorrectionAdmin)

# Users and groups with the superuser rule of user_admin.py in place of Django's own.
admin.site.unregister(User)
admin.site.unregister(Group)
admin.site.register(User, UserAdmin)
admin.site.register(Group, GroupAdmin)
