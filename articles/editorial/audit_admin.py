"""The audit trail in the admin: read and filtered by administrators, changed by nobody."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from articles.models import Article
from articles.models.sites import county_site_of


class AuditEntryAdmin(admin.ModelAdmin):
    """The audit trail: read and filtered by administrators, changed by nobody."""

    list_display = [
        "created_at",
        "username",
        "action",
        "article_link",
        "from_state",
        "to_state",
        "note",
    ]
    list_filter = [
        "action",
        ("user", admin.RelatedOnlyFieldListFilter),
        "created_at",
        "to_state",
    ]
    search_fields = ["article_title", "username", "note", "=article_id"]
    date_hierarchy = "created_at"
    list_select_related = ["user"]

    def get_queryset(self, request):
        entries = super().get_queryset(request)
        county = county_site_of(request.user)
        if county is None:
            return entries
        # A county's administrator reads the trail of its own articles.
        return entries.filter(article_id__in=Article.objects.filter(site=county).values("pk"))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="文章", ordering="article_title")
    def article_link(self, obj):
        url = reverse("admin:articles_article_change", args=[obj.article_id])
        return format_html('<a href="{}">{}</a>（#{}）', url, obj.article_title, obj.article_id)
