"""Recommendation slots (推荐位) on the editors' desk: administrators define the slots;
those who may publish push articles into them — from the article list (an action with
a page asking which slot) or from the article form (an inline) — in the order they set
by number, optionally until a time.

Pushing puts an article before readers on the home page, so it takes the placement
permissions, which migration 0017 gives to 审核 and 管理员 (those who may publish), and
every push, change and removal is a line of the audit trail, whichever page made it.
"""

from django import forms
from django.contrib import admin, messages
from django.db import router, transaction
from django.db.models import Count, Max, Q
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.formats import date_format

from articles.editorial import workflow
from articles.editorial.county_limits import GroupWideMixin
from articles.editorial.models import AuditEntry
from articles.models import Article, Slot, SlotPlacement

SPLIT_DATE_TIME = forms.SplitDateTimeWidget(
    date_attrs={"type": "date"},
    time_attrs={"type": "time"},
    date_format="%Y-%m-%d",
    time_format="%H:%M",
)


def _where(placement):
    where = f"“{placement.slot.name}”，顺序 {placement.position}"
    if placement.until is not None:
        until = date_format(timezone.localtime(placement.until), "Y-m-d H:i")
        where += f"，推荐到 {until}"
    return where


def record(user, placement, action, changed=False):
    """One line of the audit trail for a push into a slot, a change of its order or end,
    or a removal."""
    if action == AuditEntry.Action.UNPUSH:
        note = f"撤出“{placement.slot.name}”"
    else:
        note = ("调整为" if changed else "推送到") + _where(placement)
    article = placement.article
    workflow.record(
        user, article, action, from_state=article.status, to_state=article.status, note=note
    )


class SlotAuditMixin:
    """For admins with a slot-placement inline: what the inline did goes to the audit
    trail as the list action's pushes do."""

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is not SlotPlacement:
            return
        for placement in formset.new_objects:
            record(request.user, placement, AuditEntry.Action.PUSH)
        for placement, _ in formset.changed_objects:
            record(request.user, placement, AuditEntry.Action.PUSH, changed=True)
        for placement in formset.deleted_objects:
            record(request.user, placement, AuditEntry.Action.UNPUSH)


class ArticleSlotsInline(admin.TabularInline):
    """On the article form: the slots this article is pushed into."""

    model = SlotPlacement
    fk_name = "article"
    fields = ["slot", "position", "until"]
    # One empty row ready: pushing is choosing a slot, nothing to click first.
    extra = 1
    verbose_name = "推荐位"
    verbose_name_plural = "推荐位（推送到首页头条、首页轮播等位置；顺序数字小的排在前面）"


class SlotPlacementInline(admin.TabularInline):
    """On a slot's page: what it holds, in the order readers see it."""

    model = SlotPlacement
    fk_name = "slot"
    fields = ["article", "position", "until", "shown"]
    readonly_fields = ["shown"]
    autocomplete_fields = ["article"]
    extra = 0
    ordering = ["position", "-created_at", "-id"]
    verbose_name = "推荐的文章"
    verbose_name_plural = "推荐的文章（按顺序数字从小到大显示，改数字即可调整顺序）"

    @admin.display(description="读者能否看到")
    def shown(self, obj):
        if obj.pk is None:
            return ""
        if not obj.is_current:
            return "已过推荐截止时间"
        if not obj.article.is_visible:
            return f"文章{obj.article.reader_state}"
        return "显示中（不超过显示篇数时）"


class SlotAdmin(GroupWideMixin, SlotAuditMixin, admin.ModelAdmin):
    list_display = ["name", "key", "size", "current_count", "description"]
    search_fields = ["name", "key"]
    inlines = [SlotPlacementInline]

    def get_queryset(self, request):
        now = timezone.now()
        current = Q(placements__until__isnull=True) | Q(placements__until__gt=now)
        return (
            super()
            .get_queryset(request)
            .annotate(
                current=Count(
                    "placements",
                    filter=current
                    & Q(placements__article__in=Article.objects.published().values("pk")),
                )
            )
        )

    @admin.display(description="正在显示", ordering="current")
    def current_count(self, obj):
        return f"{min(obj.current, obj.size)} 篇" + (
            f"（另有 {obj.current - obj.size} 篇排在后面未显示）" if obj.current > obj.size else ""
        )


class PushForm(forms.Form):
    slot = forms.ModelChoiceField(
        label="推荐位", queryset=Slot.objects.all(), empty_label="请选择推荐位"
    )
    position = forms.IntegerField(
        label="顺序",
        required=False,
        help_text="数字小的排在前面。留空则排在这个推荐位已有文章的后面；"
        "选了多篇时按列表中的先后依次排列。",
    )
    until = forms.SplitDateTimeField(
        label="推荐截止时间",
        required=False,
        widget=SPLIT_DATE_TIME,
        help_text="可选。过了这个时间自动不再显示。",
    )

    def clean_until(self):
        until = self.cleaned_data["until"]
        if until is not None and until <= timezone.now():
            raise forms.ValidationError("推荐截止时间应晚于现在。")
        return until


def push(articles, slot, user, position=None, until=None):
    """Place ``articles`` in ``slot`` in this order, from ``position`` (after those
    already there when None); an article already there moves to its new place. Each
    is a line of the audit trail under ``user``."""
    if position is None:
        last = slot.placements.exclude(article__in=articles).aggregate(last=Max("position"))
        position = (last["last"] or 0) + 1
    with transaction.atomic(using=router.db_for_write(SlotPlacement)):
        for offset, article in enumerate(articles):
            placement, created = SlotPlacement.objects.update_or_create(
                slot=slot,
                article=article,
                defaults={"position": position + offset, "until": until},
            )
            record(user, placement, AuditEntry.Action.PUSH, changed=not created)


@admin.action(description="推送到推荐位…", permissions=["push"])
def push_to_slot(modeladmin, request, queryset):
    articles = list(queryset)
    confirmed = "apply" in request.POST
    form = PushForm(request.POST if confirmed else None)
    if confirmed and form.is_valid():
        slot = form.cleaned_data["slot"]
        push(
            articles,
            slot,
            request.user,
            form.cleaned_data["position"],
            form.cleaned_data["until"],
        )
        modeladmin.message_user(
            request, f"已把 {len(articles)} 篇文章推送到“{slot.name}”。", messages.SUCCESS
        )
        waiting = [a for a in articles if not a.is_visible]
        if waiting:
            modeladmin.message_user(
                request,
                f"其中 {len(waiting)} 篇读者现在看不到（未发布或不在发布时间内），"
                "发布后才会在推荐位显示。",
                messages.WARNING,
            )
        return None
    return action_page(modeladmin, request, articles, form, "push_to_slot", "推送到推荐位")


def action_page(modeladmin, request, articles, form, action_name, verb):
    """The page of an action that asks for something first (a slot, a channel), as
    Django's delete action asks to confirm."""
    opts = modeladmin.model._meta
    context = {
        **modeladmin.admin_site.each_context(request),
        "opts": opts,
        "title": verb,
        "verb": verb,
        "articles": articles,
        "form": form,
        "action_name": action_name,
        "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        "media": modeladmin.media + form.media,
    }
    return TemplateResponse(request, "admin/articles/article/action_form.html", context)
