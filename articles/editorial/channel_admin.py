"""The admin of channels (the tree readers navigate) and of sources (来源)."""

from django.contrib import admin
from django.db.models import Case, Count, IntegerField, Value, When

from articles.editorial.forms import INDENT, ChannelChoiceField, tree_order
from articles.models import Channel, ColumnType


def tree_depth(tree):
    """A column giving each channel its depth in ``tree`` (0 for top channels)."""
    whens = [When(pk=channel.pk, then=Value(depth)) for channel, depth in tree.walk()]
    if not whens:
        return Value(0, output_field=IntegerField())
    return Case(*whens, default=Value(0), output_field=IntegerField())


# ColumnType's values are the Chinese names the ColumnType tag carries; its labels are
# not (they came out as "Work News"), so the admin shows the values.
COLUMN_TYPES = [(value, value) for value in ColumnType.values]


class ColumnTypeFilter(admin.SimpleListFilter):
    title = "栏目类型"
    parameter_name = "column_type"

    def lookups(self, request, model_admin):
        return COLUMN_TYPES

    def queryset(self, request, queryset):
        return queryset.filter(column_type=self.value()) if self.value() else queryset


class ChannelAdmin(admin.ModelAdmin):
    list_display = [
        "indented_name",
        "slug",
        "column_type_name",
        "show_in_nav",
        "position",
        "article_count",
    ]
    list_display_links = ["indented_name"]
    list_editable = ["position", "show_in_nav"]
    list_filter = [ColumnTypeFilter, "show_in_nav"]
    search_fields = ["name", "slug"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "parent", "position", "show_in_nav"]}),
        (
            "栏目说明（写入网页的栏目标签，供搜索引擎和政府网站监测使用）",
            {"fields": ["description", "keywords", "column_type"]},
        ),
    ]

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

    @admin.display(description="栏目类型", ordering="column_type")
    def column_type_name(self, obj):
        return obj.column_type

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "column_type":
            kwargs["choices"] = COLUMN_TYPES
        return super().formfield_for_choice_field(db_field, request, **kwargs)

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
