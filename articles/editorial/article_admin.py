"""The article admin: who may edit what, the form's fields, saving with the workflow's
checks, deleting with a snapshot, and the preview.

What a role may do is decided by permissions (the groups are created by migration
0004_workflow_roles) and checked by articles/editorial/workflow.py on every request.
Transitions are in transitions.py, bulk actions in actions.py, the history in
revision_admin.py.
"""

import reversion
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import router, transaction
from django.urls import path
from reversion.admin import VersionAdmin

from articles.editorial import revisions, workflow
from articles.editorial.action_pages import ActionFormMixin
from articles.editorial.actions import ARTICLE_ACTIONS
from articles.editorial.attachment_admin import AttachmentInline
from articles.editorial.forms import LOCK_FIELDS, ArticleForm, ChannelChoiceField, when
from articles.editorial.models import AuditEntry
from articles.editorial.moving import move_to_channel
from articles.editorial.preview import PreviewAdminMixin
from articles.editorial.read_only import ReadOnlyArticleMixin
from articles.editorial.revision_admin import RevisionAdminMixin
from articles.editorial.site_scope import SITE_ACTIONS, SiteScopeMixin
from articles.editorial.slot_admin import ArticleSlotsInline, SlotAuditMixin, push_to_slot
from articles.editorial.transitions import TransitionAdminMixin
from articles.models import Article, Channel, RelatedArticle
from articles.models.attachments import claim_linked
from articles.ops.faults import KeepTypedOnFailureMixin

Status = Article.Status


class RelatedArticleInline(admin.TabularInline):
    model = RelatedArticle
    fk_name = "article"
    fields = ["related", "position"]
    autocomplete_fields = ["related"]
    extra = 1
    verbose_name = "相关文章"
    verbose_name_plural = "相关文章（按排序数字从小到大显示）"


class ArticleAdmin(
    SiteScopeMixin,
    ActionFormMixin,
    ReadOnlyArticleMixin,
    PreviewAdminMixin,
    KeepTypedOnFailureMixin,
    TransitionAdminMixin,
    RevisionAdminMixin,
    SlotAuditMixin,
    VersionAdmin,
):
    form = ArticleForm
    object_history_template = "admin/articles/article/object_history.html"
    change_list_template = "admin/articles/article/change_list.html"
    history_latest_first = True
    actions = [*ARTICLE_ACTIONS, *SITE_ACTIONS, move_to_channel, push_to_slot]
    list_display = [
        "title",
        "status_mark",
        "reader_state",
        "channel",
        "source",
        "published",
        "marks",
        "view_count",
        "updated_by",
    ]
    list_filter = ["status", "channel", "source", "is_pinned"]
    list_select_related = ["channel", "source", "updated_by"]
    search_fields = ["title", "summary", "author", "source__name"]
    date_hierarchy = "published_at"
    autocomplete_fields = ["source"]
    inlines = [AttachmentInline, RelatedArticleInline, ArticleSlotsInline]
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
                    "title_colour",
                    "title_bold",
                    "external_url",
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
                    "weight",
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

    # --- Who may do what -----------------------------------------------------------

    def has_submit_permission(self, request):
        return request.user.has_perm("articles.submit_article")

    def has_publish_permission(self, request):
        return request.user.has_perm("articles.publish_article")

    def has_reject_permission(self, request):
        return request.user.has_perm("articles.reject_article")

    def has_unpublish_permission(self, request):
        return request.user.has_perm("articles.unpublish_article")

    def has_change_permission(self, request, obj=None):
        """Editors change drafts only: once submitted, the text is the reviewer's to judge."""
        if not super().has_change_permission(request, obj):
            return False
        if obj is None or obj.status == Status.DRAFT:
            return True
        return self.has_publish_permission(request)

    def has_push_permission(self, request):
        return request.user.has_perm("articles.add_slotplacement")

    # --- The form -------------------------------------------------------------------

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not self.has_publish_permission(request):
            fields.append("status")
        return fields

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and not self.has_change_permission(request, obj):
            fieldsets = [
                (name, {**opts, "fields": [f for f in opts["fields"] if f not in LOCK_FIELDS]})
                for name, opts in fieldsets
            ]
        return fieldsets

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"request": request})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "channel":
            kwargs["form_class"] = ChannelChoiceField
            # Link channels (转向链接) are not offered: they list no articles.
            kwargs.setdefault("queryset", Channel.objects.holding_articles())
        if db_field.name == "source" and request.user.has_perm("articles.add_source"):
            # Migration 0011 gave 编辑 and 审核 this permission: the "+" beside the box.
            kwargs["help_text"] = "输入名称搜索；列表里没有时，点右边的“+”新增一个来源。"
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_object(self, request, object_id, from_field=None):
        queryset = self.get_queryset(request)
        if request.method == "POST" and transaction.get_connection().in_atomic_block:
            # The version check and the save must see the same row: lock it until commit.
            queryset = queryset.select_for_update()
        field = (
            self.model._meta.pk if from_field is None else self.model._meta.get_field(from_field)
        )
        try:
            obj = queryset.get(**{field.name: field.to_python(object_id)})
        except (self.model.DoesNotExist, ValidationError, ValueError):
            return None
        self.apply_restore(obj)
        return obj

    def view_on_site(self, obj):
        return obj.get_absolute_url() if obj.is_visible else None

    @admin.display(description="状态", ordering="status")
    def status_mark(self, obj):
        if obj.status == Status.DRAFT and obj.review_note:
            return "草稿（被驳回）"
        return obj.get_status_display()

    @admin.display(description="发布时间", ordering="published_at")
    def published(self, obj):
        # Digits, not "2024年12月3日": the column stays narrow at 1366 px.
        return when(obj.published_at) if obj.published_at else "—"

    @admin.display(description="对读者")
    def reader_state(self, obj):
        return obj.reader_state

    # Words, not Django's boolean icons (their alternative text is English); one column
    # for all, so that the title keeps the room on an office screen.
    @admin.display(description="标记", ordering="is_pinned")
    def marks(self, obj):
        words = [word for word, on in (("置顶", obj.is_pinned), ("外链", obj.external_url)) if on]
        if obj.weight:
            words.append(f"排序 {obj.weight}")
        return " ".join(words)

    # --- Saving, deleting, and the audit trail -----------------------------------

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Files uploaded in the link dialog and linked from the body become its attachments.
        claim_linked(form.instance)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        # What a restore keeps wins over what the form sent back (times lose their seconds).
        self.apply_restore(obj)
        transition = getattr(form, "transition", None)
        if transition is not None:
            workflow.prepare(
                obj,
                transition,
                request.user,
                from_state=form.from_state,
                time_set="published_at" in form.changed_data,
            )
        super().save_model(request, obj, form, change)
        self.record_restore(request, obj)
        if transition is not None:
            workflow.record_transition(request.user, obj, transition, form.from_state)
            self.message_user(request, self.transition_message(obj, transition), messages.SUCCESS)
            request.desk_step_reported = True
        elif obj.status == Status.DRAFT and self.has_submit_permission(request):
            self.message_user(
                request,
                "这篇稿件仍是草稿，审核人员看不到；写好后请点“保存并提交审核”。",
                messages.INFO,
            )

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        # A save that took a step already said so: Django's "saved" would say it twice.
        if level == messages.SUCCESS and getattr(request, "desk_step_reported", False):
            return
        super().message_user(request, message, level, *args, **kwargs)

    def log_addition(self, request, obj, message):
        entry = admin.ModelAdmin.log_addition(self, request, obj, message)
        if reversion.is_active():
            reversion.set_comment(revisions.describe_save(obj, added=True))
        return entry

    def log_change(self, request, obj, message):
        entry = admin.ModelAdmin.log_change(self, request, obj, message)
        if reversion.is_active():
            reversion.set_comment(revisions.describe_save(obj))
        return entry

    def _snapshot_before_delete(self, request, obj):
        """Keep the article as it is now, so that recovering it brings back exactly this."""
        with reversion.create_revision():
            reversion.add_to_revision(obj)
            reversion.set_user(request.user)
            reversion.set_comment("删除")
        workflow.record(request.user, obj, AuditEntry.Action.DELETE, from_state=obj.status)

    def delete_model(self, request, obj):
        with transaction.atomic(using=router.db_for_write(Article)):
            self._snapshot_before_delete(request, obj)
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic(using=router.db_for_write(Article)):
            for obj in queryset:
                self._snapshot_before_delete(request, obj)
            super().delete_queryset(request, queryset)

    # --- The list, the preview and the URLs ----------------------------------------

    def changelist_view(self, request, extra_context=None):
        # Not one revision around the whole list as VersionAdmin does: an action keeps
        # one revision per article, so that restoring one never reverts the others.
        context = {"has_recover_permission": self.has_recover_permission(request)}
        context.update(extra_context or {})
        return admin.ModelAdmin.changelist_view(self, request, context)

    def get_urls(self):
        prefix = f"{self.model._meta.app_label}_{self.model._meta.model_name}"
        view = self.admin_site.admin_view
        return [
            path("<path:object_id>/preview/", view(self.preview_view), name=f"{prefix}_preview"),
            path(
                "<path:object_id>/transition/<slug:name>/",
                view(self.transition_view),
                name=f"{prefix}_transition",
            ),
            path(
                "<path:object_id>/history/compare/",
                view(self.compare_view),
                name=f"{prefix}_compare",
            ),
        ] + super().get_urls()
