"""The article admin in a group of sites: a county's staff see, write and change only
their site's articles, in their site's channels; the group's staff see every site's.

Every view of the article admin (the list, the change page, transitions, previews,
history, actions) reads articles through ``get_queryset``, so a county's member of
staff who forges a POST for another site's article finds no such article.
"""

from django import forms
from django.contrib import admin, messages
from django.db import transaction

from articles import paths
from articles.editorial import workflow
from articles.editorial.forms import INDENT, tree_order
from articles.editorial.models import AuditEntry
from articles.editorial.submissions import place
from articles.models import Channel, Placement, Site
from articles.models.sites import county_site_of


class PlacementInline(admin.TabularInline):
    model = Placement
    fk_name = "article"
    fields = ["channel", "placed_at", "placed_by"]
    readonly_fields = ["channel", "placed_at", "placed_by"]
    extra = 0
    verbose_name = "同时发布的栏目"
    verbose_name_plural = "同时发布的栏目（文章的栏目仍是上面选的，面包屑按它显示）"

    def has_add_permission(self, request, obj=None):
        return False


class OwnChannelsFilter(admin.RelatedFieldListFilter):
    """按栏目 for a county's staff: the channels they write in, not the whole group's."""

    def field_choices(self, field, request, model_admin):
        ordering = self.field_admin_ordering(field, request, model_admin)
        own = {"site": county_site_of(request.user)}
        return field.get_choices(include_blank=False, ordering=ordering, limit_choices_to=own)


class SiteScopeMixin:
    def get_queryset(self, request):
        articles = super().get_queryset(request)
        county = county_site_of(request.user)
        return articles if county is None else articles.filter(site=county)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        county = county_site_of(request.user)
        if db_field.name == "channel" and county is not None and field is not None:
            # A county writes in its own channels; the city's it reaches by 报送.
            field.queryset = field.queryset.filter(site=county)
        return field

    def get_inlines(self, request, obj):
        inlines = list(super().get_inlines(request, obj))
        if obj is not None and obj.placements.exists():
            inlines.append(PlacementInline)
        return inlines

    def get_list_filter(self, request):
        filters = list(super().get_list_filter(request))
        if county_site_of(request.user) is not None:
            return [("channel", OwnChannelsFilter) if f == "channel" else f for f in filters]
        if Site.objects.count() > 1:
            filters.append("site")
        return filters

    def view_on_site(self, obj):
        # A county's article answers on the county's host, not the admin's.
        url = super().view_on_site(obj)
        if url and obj.site_id and not obj.site.is_main:
            return paths.absolute_url(url, obj.site)
        return url

    def save_model(self, request, obj, form, change):
        if not change and obj.site_id is None:
            obj.site = county_site_of(request.user)
        super().save_model(request, obj, form, change)


class ShareForm(forms.Form):
    channels = forms.ModelMultipleChoiceField(
        label="同时发布到",
        queryset=Channel.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="文章只有一个页面；所选栏目的列表里也会显示它。",
    )

    def __init__(self, *args, site=None, **kwargs):
        super().__init__(*args, **kwargs)
        # In the tree's order, children indented under their parents.
        tree = Channel.objects.tree() if site is None else Channel.objects.tree_of(site)
        depths = {channel.pk: depth for channel, depth in tree.walk()}
        field = self.fields["channels"]
        field.queryset = (
            Channel.objects.holding_articles().filter(site=site).order_by(tree_order(tree))
        )
        field.label_from_instance = lambda channel: (
            INDENT * depths.get(channel.pk, 0) + channel.name
        )


@admin.action(description="同时发布到其他栏目…", permissions=["publish"])
def share_selected(modeladmin, request, queryset):
    """One article in several channels' lists (``Article.also_in``), each step audited."""
    county = county_site_of(request.user)
    form = ShareForm(request.POST if "apply" in request.POST else None, site=county)
    articles = list(queryset)
    if not form.is_bound or not form.is_valid():
        return modeladmin.action_form_page(
            request, "share_selected", "同时发布到其他栏目", "同时发布", articles, form
        )
    with transaction.atomic():
        for article in articles:
            for channel in form.cleaned_data["channels"]:
                if channel.pk == article.channel_id:
                    continue
                place(article, channel, request.user)
                workflow.record(
                    request.user, article, AuditEntry.Action.SHARE, note=f"同时发布到“{channel}”"
                )
    modeladmin.message_user(
        request, f"已把 {len(articles)} 篇文章同时发布到所选栏目。", messages.SUCCESS
    )
    return None


SITE_ACTIONS = [share_selected]
