"""The sites of the group in the admin: host names, home layout, the shared channels a
county carries, and who works for which site (docs/sites.md)."""

from django.contrib import admin

from articles.editorial.county_limits import GroupWideMixin
from articles.models import Channel, SiteSettings, SiteStaff


class SiteStaffInline(admin.TabularInline):
    model = SiteStaff
    fields = ["user"]
    autocomplete_fields = ["user"]
    extra = 1
    verbose_name = "本站工作人员"
    verbose_name_plural = "本站工作人员（县区站的编辑、审核只能处理本站的稿件）"


class SiteAdmin(GroupWideMixin, admin.ModelAdmin):
    list_display = ["name", "host_names", "is_main", "home_layout", "position"]
    list_editable = ["position"]
    fields = [
        "name",
        "hosts",
        "url",
        "is_main",
        "source",
        "home_layout",
        "carried_channels",
        "position",
    ]
    filter_horizontal = ["carried_channels"]
    autocomplete_fields = ["source"]
    inlines = [SiteStaffInline]

    @admin.display(description="域名")
    def host_names(self, obj):
        return "、".join(obj.host_list) or "（其他所有域名）"

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "carried_channels":
            kwargs["queryset"] = Channel.objects.filter(site__isnull=True)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # Every site has its own settings row from the start: its name, logo, footer.
        SiteSettings.objects.get_or_create(site=obj, defaults={"site_name": obj.name})
