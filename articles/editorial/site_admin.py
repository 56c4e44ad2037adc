"""The admin of what every page shows about the site: settings, friendly links, and
the corrections to the 繁體 conversion."""

from django.contrib import admin
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html

from articles.editorial.county_limits import GroupWideMixin, OwnSiteMixin
from articles.hant import conversion as hant
from articles.models import SiteSettings
from articles.models.sites import county_site_of


class SiteSettingsAdmin(admin.ModelAdmin):
    """One row of settings: the list goes straight to its form."""

    readonly_fields = ["site", "logo_preview", "qr_preview"]
    list_display = ["site_name", "site"]
    fieldsets = [
        (
            "网站",
            {"fields": ["site", "site_name", "logo", "logo_preview", "description", "domain"]},
        ),
        (
            "页脚（每页底部显示）",
            {
                "fields": [
                    "organizer",
                    "undertaker",
                    "contact",
                    "icp_number",
                    "police_number",
                    "site_code",
                ]
            },
        ),
        ("新媒体", {"fields": ["wechat_qr", "qr_preview", "weibo_url"]}),
        ("监督举报", {"fields": ["report_enabled", "report_url", "report_phone"]}),
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        county = county_site_of(request.user)
        rows = super().get_queryset(request)
        return rows if county is None else rows.filter(site=county)

    def changelist_view(self, request, extra_context=None):
        # One site (or a county's staff): straight to its form; a group lists its sites'.
        county = county_site_of(request.user)
        if county is None and self.get_queryset(request).count() > 1:
            return super().changelist_view(request, extra_context)
        settings = SiteSettings.load(county)
        return redirect(reverse("admin:articles_sitesettings_change", args=[settings.pk]))

    @admin.display(description="微信二维码")
    def qr_preview(self, obj):
        if obj.wechat_qr:
            return format_html('<img src="{}" alt="" width="120">', obj.wechat_qr.url)
        return "未上传"

    @admin.display(description="当前标志")
    def logo_preview(self, obj):
        if obj.logo:
            return format_html('<img src="{}" alt="" height="56">', obj.logo.url)
        return "未上传"


class FriendlyLinkAdmin(OwnSiteMixin, admin.ModelAdmin):
    """友情链接: shown in every page's footer in the order of their numbers."""

    list_display = ["name", "url", "site", "position"]
    list_editable = ["position"]
    list_filter = ["site"]
    search_fields = ["name", "url"]


class PhraseCorrectionAdmin(GroupWideMixin, admin.ModelAdmin):
    """Where administrators fix what OpenCC gets wrong on the 繁體 pages."""

    list_display = ["simplified", "traditional", "opencc_result", "note", "updated_at"]
    search_fields = ["simplified", "traditional", "note"]
    fields = ["simplified", "traditional", "note", "opencc_result"]
    readonly_fields = ["opencc_result"]

    @admin.display(description="OpenCC 原本的转换")
    def opencc_result(self, obj):
        # Shows what the correction overrides, so that a needless one is easy to spot.
        return hant.opencc_only(obj.simplified) if obj and obj.simplified else "—"
