from django import forms
from django.contrib import admin
from django.db.models import Case, Count, IntegerField, Value, When
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from reversion.admin import VersionAdmin

from articles.editorial.models import AuditEntry
from articles.editorial.workflow_admin import LOCK_FIELDS, AuditEntryAdmin, WorkflowAdminMixin
from articles.hant import conversion as hant
from articles.hant.models import PhraseCorrection
from articles.models import (
    Article,
    Channel,
    FriendlyLink,
    RelatedArticle,
    SiteSettings,
    Source,
)
from articles.ops.faults import KeepTypedOnFailureMixin

INDENT = "\u3000\u3000"


def tree_order(tree):
    """An ORDER BY that lists channels as the tree shows them, parents first."""
    whens = [When(pk=channel.pk, then=Value(i)) for i, (channel, _) in enumerate(tree.walk())]
    if not whens:
        return Value(0)
    return Case(*whens, default=Value(len(whens)), output_field=IntegerField())


class ChannelChoiceField(forms.ModelChoiceField):
    """A channel picker that shows the tree, indented, in its own order."""

    def __init__(self, *args, **kwargs):
        tree = Channel.objects.tree()
        self.depths = {channel.pk: depth for channel, depth in tree.walk()}
        kwargs["queryset"] = kwargs["queryset"].order_by(tree_order(tree))
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        return INDENT * self.depths.get(obj.pk, 0) + obj.name


class ChannelAdmin(admin.ModelAdmin):
    list_display = [
        "indented_name",
        "slug",
        "column_type",
        "show_in_nav",
        "position",
        "article_count",
    ]
    list_display_links = ["indented_name"]
    list_editable = ["position", "show_in_nav"]
    list_filter = ["column_type", "show_in_nav"]
    search_fields = ["name", "slug"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "parent", "position", "show_in_nav"]}),
        (
            "栏目说明（写入网页的栏目标签，供搜索引擎和政府网站监测使用）",
            {"fields": ["description", "keywords", "column_type"]},
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_total=Count("articles"))

    def get_ordering(self, request):
        return [tree_order(Channel.objects.tree())]

    def changelist_view(self, request, extra_context=None):
        self._depths = {c.pk: depth for c, depth in Channel.objects.tree().walk()}
        return super().changelist_view(request, extra_context)

    @admin.display(description="栏目名称")
    def indented_name(self, obj):
        return INDENT * getattr(self, "_depths", {}).get(obj.pk, 0) + obj.name

    @admin.display(description="文章数", ordering="article_total")
    def article_count(self, obj):
        return obj.article_total

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":
            kwargs["form_class"] = ChannelChoiceField
            kwargs.setdefault("queryset", Channel.objects.all())
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class SourceAdmin(admin.ModelAdmin):
    list_display = ["name", "url", "article_count"]
    search_fields = ["name"]

    def get_queryset(self, request):
        # An aggregate drops Meta.ordering, and the autocomplete view adds none of its own.
        return (
            super().get_queryset(request).annotate(article_total=Count("articles")).order_by("name")
        )

    @admin.display(description="文章数", ordering="article_total")
    def article_count(self, obj):
        return obj.article_total


class RelatedArticleInline(admin.TabularInline):
    model = RelatedArticle
    fk_name = "article"
    fields = ["related", "position"]
    autocomplete_fields = ["related"]
    extra = 1
    verbose_name = "相关文章"
    verbose_name_plural = "相关文章（按排序数字从小到大显示）"


class ArticleAdmin(KeepTypedOnFailureMixin, WorkflowAdminMixin, VersionAdmin):
    list_display = [
        "title",
        "status",
        "reader_state",
        "channel",
        "source",
        "published_at",
        "is_pinned",
        "is_featured",
        "view_count",
        "updated_by",
    ]
    list_filter = ["status", "channel", "source", "is_pinned", "is_featured"]
    list_select_related = ["channel", "source", "updated_by"]
    search_fields = ["title", "summary", "author", "source__name"]
    date_hierarchy = "published_at"
    autocomplete_fields = ["source"]
    inlines = [RelatedArticleInline]
    readonly_fields = [
        "reader_state",
        "review_note",
        "view_count",
        "version",
        "created_by",
        "created_at",
        "updated_by",
        "updated_at",
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    *LOCK_FIELDS,
                    "title",
                    "channel",
                    "source",
                    "author",
                    "summary",
                    "body",
                    "keywords",
                ]
            },
        ),
        ("封面", {"fields": ["cover", "cover_alt"]}),
        (
            "发布",
            {
                "fields": [
                    "status",
                    "reader_state",
                    "review_note",
                    "published_at",
                    "unpublish_at",
                    "is_pinned",
                    "is_featured",
                ]
            },
        ),
        (
            "记录",
            {
                "classes": ["collapse"],
                "fields": [
                    "view_count",
                    "version",
                    "created_by",
                    "created_at",
                    "updated_by",
                    "updated_at",
                ],
            },
        ),
    ]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "channel":
            kwargs["form_class"] = ChannelChoiceField
            kwargs.setdefault("queryset", Channel.objects.all())
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    def view_on_site(self, obj):
        return obj.get_absolute_url() if obj.is_visible else None

    @admin.display(description="对读者")
    def reader_state(self, obj):
        return obj.reader_state


class SiteSettingsAdmin(admin.ModelAdmin):
    """One row of settings: the list goes straight to its form."""

    readonly_fields = ["logo_preview", "qr_preview"]
    fieldsets = [
        ("网站", {"fields": ["site_name", "logo", "logo_preview", "description", "domain"]}),
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
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        settings = SiteSettings.load()
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


class FriendlyLinkAdmin(admin.ModelAdmin):
    """友情链接: shown in every page's footer in the order of their numbers."""

    list_display = ["name", "url", "position"]
    list_editable = ["position"]
    search_fields = ["name", "url"]


admin.site.register(Channel, ChannelAdmin)
admin.site.register(Source, SourceAdmin)
admin.site.register(Article, ArticleAdmin)
admin.site.register(SiteSettings, SiteSettingsAdmin)
admin.site.register(FriendlyLink, FriendlyLinkAdmin)
admin.site.register(AuditEntry, AuditEntryAdmin)


class PhraseCorrectionAdmin(admin.ModelAdmin):
    """Where administrators fix what OpenCC gets wrong on the 繁體 pages."""

    list_display = ["simplified", "traditional", "opencc_result", "note", "updated_at"]
    search_fields = ["simplified", "traditional", "note"]
    fields = ["simplified", "traditional", "note", "opencc_result"]
    readonly_fields = ["opencc_result"]

    @admin.display(description="OpenCC 原本的转换")
    def opencc_result(self, obj):
        # Shows what the correction overrides, so that a needless one is easy to spot.
        return hant.opencc_only(obj.simplified) if obj and obj.simplified else "—"


admin.site.register(PhraseCorrection, PhraseCorrectionAdmin)
