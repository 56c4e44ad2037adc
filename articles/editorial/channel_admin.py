"""The admin of channels (the tree readers navigate) and of sources (来源)."""

from django import forms
from django.contrib import admin
from django.db.models import Case, Count, IntegerField, Value, When

from articles.editorial.county_limits import GroupWideMixin, OwnSiteMixin
from articles.editorial.forms import INDENT, ChannelChoiceField, tree_order
from articles.editorial.slugs import unique_slug
from articles.models import Channel, Site
from articles.models.sites import county_site_of


def tree_depth(tree):
    """A column giving each channel its depth in ``tree`` (0 for top channels)."""
    whens = [When(pk=channel.pk, then=Value(depth)) for channel, depth in tree.walk()]
    if not whens:
        return Value(0, output_field=IntegerField())
    return Case(*whens, default=Value(0), output_field=IntegerField())


class ChannelForm(forms.ModelForm):
    """A channel whose 网址名 is left empty gets the pinyin of its name."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        slug = self.fields.get("slug")
        if slug is not None:
            slug.required = False
            slug.help_text = (
                "出现在栏目网址 /channel/网址名/ 中，只能使用小写字母、数字和连字符。"
                "留空则按栏目名称的拼音自动生成（全拼连写），可以修改；"
                "发布后请勿随意修改。"
            )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("slug") and cleaned.get("name"):
            cleaned["slug"] = unique_slug(cleaned["name"], exclude_pk=self.instance.pk)
        return cleaned


def _group():
    """Whether there are sites besides the main one (else a channel's site is not asked)."""
    return Site.objects.count() > 1


def _without_site(fieldsets):
    if _group():
        return fieldsets
    return [
        (name, {**o, "fields": [f for f in o["fields"] if f != "site"]}) for name, o in fieldsets
    ]


class ChannelAdmin(OwnSiteMixin, admin.ModelAdmin):
    form = ChannelForm
    list_display = [
        "indented_name",
        "slug",
        "column_type",
        "show_in_nav",
        "position",
        "site",
        "article_count",
    ]
    list_display_links = ["indented_name"]
    list_editable = ["position", "show_in_nav"]
    list_filter = ["site", "column_type", "show_in_nav"]
    search_fields = ["name", "slug"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "slug",
                    "parent",
                    "site",
                    "position",
                    "show_in_nav",
                    "external_url",
                ]
            },
        ),
        (
            "栏目说明（写入网页的栏目标签，供搜索引擎和政府网站监测使用）",
            {"fields": ["description", "keywords", "column_type"]},
        ),
    ]

    def get_fieldsets(self, request, obj=None):
        return _without_site(super().get_fieldsets(request, obj))

    def get_list_display(self, request):
        return [f for f in super().get_list_display(request) if f != "site" or _group()]

    def get_list_filter(self, request):
        return [f for f in super().get_list_filter(request) if f != "site" or _group()]

    def get_queryset(self, request):
        # The depth travels with each row: one ModelAdmin serves every thread, so it
        # keeps no state of its own between building the list and showing it.
        depth = tree_depth(Channel.objects.tree())
        return super().get_queryset(request).annotate(article_total=Count("articles"), depth=depth)

    def get_ordering(self, request):
        return [tree_order(Channel.objects.tree())]

    @admin.display(description="栏目名称")
    def indented_name(self, obj):
        return INDENT * getattr(obj, "depth", 0) + obj.name

    @admin.display(description="文章数", ordering="article_total")
    def article_count(self, obj):
        return obj.article_total

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":
            kwargs["form_class"] = ChannelChoiceField
            county = county_site_of(request.user)
            # A county's channels hang under its own channels only.
            channels = Channel.objects.all() if county is None else county.local_channels.all()
            kwargs.setdefault("queryset", channels)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class SourceAdmin(GroupWideMixin, admin.ModelAdmin):
    # One list for the group: county staff add a 来源 from the article form, and only
    # the group's administrators rename or remove what every site's articles carry.
    county_may_add = True

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
