"""The inspections in the admin: the dashboard, the tables administrators keep, the
results of the checks, and a warning on the admin's home while a rule fails.

The warning wraps ``admin.site.index`` (no template of the admin's home is overridden,
nor a context processor added to every page): the wrapper adds a message, and the
admin's own templates show messages.
"""

import functools
from urllib.parse import quote

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from articles.editorial.article_admin import ArticleAdmin
from articles.editorial.county_limits import GroupWideMixin
from articles.inspections import charts, dashboard, export, stats
from articles.inspections.adoption_admin import adoption_view
from articles.inspections.models import (
    CheckedLink,
    CheckRun,
    Dashboard,
    FreshnessLimit,
    TimeFlag,
    WordingFinding,
    WordingRule,
)
from articles.inspections.publishing import WordingAdminMixin
from articles.inspections.scope import scope_for
from articles.models import Article, Site
from articles.models.sites import county_site_of

DASHBOARD_PERMISSION = "inspections.view_dashboard"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class DashboardAdmin(admin.ModelAdmin):
    """The dashboard stands where the list of a model would be."""

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(DASHBOARD_PERMISSION)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("", view(self.dashboard_view), name="inspections_dashboard_changelist"),
        ] + self.extra_urls(view)

    def extra_urls(self, view):
        return [
            path("stats/", view(self.stats_view), name="inspections_dashboard_stats"),
            path(
                "adoption/",
                view(functools.partial(adoption_view, self)),
                name="inspections_dashboard_adoption",
            ),
        ]

    def page_context(self, request, title):
        """The page's context with the site inspected (``scope``) and, for group staff
        of a site group, the sites to choose from."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        scope = scope_for(request.user, request.GET.get("site", ""))
        sites = []
        if county_site_of(request.user) is None:
            sites = list(Site.objects.all())
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
            "scope": scope,
            "site_choices": sites if len(sites) > 1 else [],
        }

    def dashboard_view(self, request):
        context = self.page_context(request, "网站检查总览")
        context["rules"] = dashboard.rules(context["scope"])
        context["runs"] = {kind: CheckRun.last(kind) for kind in CheckRun.Kind}
        return TemplateResponse(request, "admin/inspections/dashboard.html", context)

    def stats_view(self, request):
        """Publication statistics of a year (?year=), as a page or (?format=xlsx) a workbook."""
        context = self.page_context(request, "发布统计和年度报表")
        try:
            year = int(request.GET.get("year", ""))
        except ValueError:
            year = None
        scope = context["scope"]
        # Group staff also see every site side by side; a county's staff only their own.
        numbers = stats.build(year, channels=scope.channels(), sites=context["site_choices"])
        if request.GET.get("format") == "xlsx":
            response = HttpResponse(export.workbook(numbers), content_type=XLSX)
            name = quote(f"发布统计-{scope.site.name}-{numbers.year}.xlsx")
            response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
            return response
        context["stats"] = numbers
        context["charts"] = [(table, charts.bars(table)) for table in numbers.tables]
        return TemplateResponse(request, "admin/inspections/stats.html", context)


class FreshnessLimitAdmin(GroupWideMixin, admin.ModelAdmin):
    list_display = ["column_type", "days"]
    list_editable = ["days"]
    list_display_links = ["column_type"]


class WordingRuleAdmin(GroupWideMixin, admin.ModelAdmin):
    list_display = ["wrong", "right", "severity", "note", "is_active", "updated_at"]
    list_filter = ["severity", "is_active"]
    search_fields = ["wrong", "right", "note"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Results of the checks: written by the commands, read by people."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class OwnArticlesAdmin(ReadOnlyAdmin):
    """Findings on articles: a county's staff read those on their site's articles."""

    def get_queryset(self, request):
        rows = super().get_queryset(request)
        county = county_site_of(request.user)
        return rows if county is None else rows.filter(article__site=county)


class WordingFindingAdmin(OwnArticlesAdmin):
    list_display = ["found", "rule", "field", "article", "checked_at"]
    list_filter = ["rule__severity"]
    list_select_related = ["rule", "article"]


class CheckedLinkAdmin(ReadOnlyAdmin):
    list_display = ["url", "is_internal", "is_dead", "failures", "error", "checked_at", "good_at"]
    list_filter = ["is_dead", "is_internal"]
    search_fields = ["url"]


class TimeFlagAdmin(OwnArticlesAdmin):
    list_display = ["article", "kind", "old_time", "new_time", "username", "changed_at"]
    list_filter = ["kind"]
    list_select_related = ["article"]


class CheckRunAdmin(ReadOnlyAdmin):
    list_display = ["kind", "finished_at", "summary"]
    list_filter = ["kind"]


def warn_on_index(index):
    """The admin's home, with a warning while any inspection rule is red."""

    @functools.wraps(index)
    def view(request, extra_context=None):
        if request.user.has_perm(DASHBOARD_PERMISSION):
            # County staff are warned about their site, everyone else about the main site.
            failing = dashboard.red_titles(scope_for(request.user))
            if failing:
                messages.warning(
                    request,
                    format_html(
                        '网站检查有不合格项：{}。<a href="{}">查看网站检查总览</a>',
                        "、".join(failing),
                        reverse("admin:inspections_dashboard_changelist"),
                    ),
                )
        return index(request, extra_context)

    return view


admin.site.register(Dashboard, DashboardAdmin)
admin.site.register(FreshnessLimit, FreshnessLimitAdmin)
admin.site.register(WordingRule, WordingRuleAdmin)
admin.site.register(WordingFinding, WordingFindingAdmin)
admin.site.register(CheckedLink, CheckedLinkAdmin)
admin.site.register(TimeFlag, TimeFlagAdmin)
admin.site.register(CheckRun, CheckRunAdmin)
admin.site.index = warn_on_index(admin.site.index)


# The article form checks wording and severe hits hold publication back. Inspections sit
# above the desk (docs/architecture.md), so the desk's article admin is extended here
# rather than importing anything from this app.
class CheckedArticleAdmin(WordingAdminMixin, ArticleAdmin):
    pass


admin.site.unregister(Article)
admin.site.register(Article, CheckedArticleAdmin)
