"""The editorial workflow in the admin: roles, state buttons and actions, preview,
revisions, and refusing stale saves.

``WorkflowAdminMixin`` goes in front of reversion's ``VersionAdmin`` on the article
admin. What a role may do is decided by permissions (the groups are created by
migration 0004_workflow_roles) and checked by articles/workflow.py on every request;
this module only shows each role the buttons and actions that it may use.
"""

import reversion
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import router, transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from reversion.models import Version

from articles.editorial import revisions, workflow
from articles.editorial.models import AuditEntry
from articles.models import Article
from articles.portal.views import for_article_page, render_article

Status = Article.Status

# Hidden fields of the optimistic lock; see ArticleForm.
LOCK_FIELDS = ["base_version", "seen_version", "overwrite"]
# Restoring an old revision brings back its content; where the article stands in the
# workflow (and its counters) stays as it is now. Changing those is a transition.
KEPT_ON_RESTORE = ["status", "published_at", "unpublish_at", "review_note", "version", "view_count"]


def _when(value):
    return date_format(timezone.localtime(value), "Y-m-d H:i")


class ArticleForm(forms.ModelForm):
    """The article form, with the version it was based on and the transition asked for.

    ``base_version`` is the article's version number when the form was opened. A save
    whose base is not the version in the database (read under a row lock) is refused:
    someone else saved in between. The refused form keeps everything typed and offers
    ``overwrite``, which counts only for the version the user was shown (``seen_version``).
    """

    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    overwrite = forms.BooleanField(
        label="我已看过对方的修改，仍用下面的内容保存",
        required=False,
        widget=forms.HiddenInput,
    )

    # Set for each request by WorkflowAdminMixin.get_form.
    request = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.from_state = self.instance.status
        self.transition = None
        if self.instance.pk is not None:
            self.fields["base_version"].initial = self.instance.version
        if "status" in self.fields and self.request is not None:
            reachable = {
                t.target
                for t in workflow.available(self.request.user, self.instance)
                if not t.needs_note
            }
            self.fields["status"].choices = [
                (value, label)
                for value, label in Status.choices
                if value == self.instance.status or value in reachable
            ]

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is not None:
            self._check_version(cleaned)
        self._check_transition(cleaned)
        return cleaned

    def _check_version(self, cleaned):
        current = self.instance.version
        if cleaned.get("base_version") == current:
            return
        if cleaned.get("overwrite") and cleaned.get("seen_version") == current:
            return
        data = self.data.copy()
        data[self.add_prefix("seen_version")] = current
        data[self.add_prefix("overwrite")] = ""
        self.data = data
        self.fields["overwrite"].widget = forms.CheckboxInput()
        raise ValidationError(self._conflict_message(cleaned.get("base_version")), code="stale")

    def _conflict_message(self, base):
        article = self.instance
        who = article.updated_by.get_username() if article.updated_by else "其他人"
        theirs = revisions.version_numbered(article.pk, article.version)
        mine = revisions.version_numbered(article.pk, base) if base is not None else None
        if theirs and mine:
            url = reverse("admin:articles_article_compare", args=[quote(article.pk)])
            url += f"?from={mine.pk}&to={theirs.pk}"
            link = format_html('<a href="{}" target="_blank">查看对方改了什么</a>', url)
        else:
            url = reverse("admin:articles_article_history", args=[quote(article.pk)])
            link = format_html('<a href="{}" target="_blank">查看这篇文章的修改历史</a>', url)
        return format_html(
            "没有保存：在你编辑期间，{} 于 {} 保存了这篇文章"
            "（现在是第 {} 版，你打开的是第 {} 版）。"
            "你填写的内容都还在下面，但尚未保存。请先{}，把需要保留的修改合并到下面，"
            "再勾选“我已看过对方的修改，仍用下面的内容保存”并保存；"
            "也可以另开窗口重新打开本文，以对方的版本为准。",
            who,
            _when(article.updated_at),
            article.version,
            base if base is not None else "未知",
            link,
        )

    def _check_transition(self, cleaned):
        request = self.request
        name = request.POST.get("_transition") if request is not None else None
        if name:
            transition = workflow.get(name)
            if "status" in cleaned:
                # The button decides; the status field is not a second, conflicting wish.
                cleaned["status"] = self.from_state
        elif "status" in cleaned and cleaned["status"] and cleaned["status"] != self.from_state:
            transition = workflow.for_status_change(self.from_state, cleaned["status"])
            if transition is None:
                self.add_error(
                    "status",
                    f"不能从“{Status(self.from_state).label}”直接改为"
                    f"“{Status(cleaned['status']).label}”。",
                )
                return
            if transition.needs_note:
                self.add_error("status", "驳回请使用页面下方的“驳回”按钮，并填写理由。")
                return
        else:
            return
        try:
            workflow.check(
                request.user,
                transition,
                self.from_state,
                published_at=cleaned.get("published_at", self.instance.published_at),
                unpublish_at=cleaned.get("unpublish_at", self.instance.unpublish_at),
            )
        except workflow.TransitionError as error:
            raise ValidationError(str(error)) from None
        self.transition = transition


class NoteForm(forms.Form):
    note = forms.CharField(
        label="驳回理由",
        widget=forms.Textarea(attrs={"rows": 5, "cols": 60}),
        help_text="写给编辑看：哪里需要修改。会显示在文章编辑页的顶部，并记入操作记录。",
    )


class ScheduleForm(forms.Form):
    published_at = forms.SplitDateTimeField(
        label="发布时间",
        widget=forms.SplitDateTimeWidget(
            date_attrs={"type": "date"},
            time_attrs={"type": "time"},
            date_format="%Y-%m-%d",
            time_format="%H:%M",
        ),
        help_text="到这个时间文章才对读者显示。",
    )
    unpublish_at = forms.SplitDateTimeField(
        label="下线时间",
        required=False,
        widget=forms.SplitDateTimeWidget(
            date_attrs={"type": "date"},
            time_attrs={"type": "time"},
            date_format="%Y-%m-%d",
            time_format="%H:%M",
        ),
        help_text="可选。到这个时间文章自动对读者隐藏。",
    )

    def clean_published_at(self):
        value = self.cleaned_data["published_at"]
        if value <= timezone.now():
            raise ValidationError("定时发布的时间应晚于现在；要立即发布，请用“发布”。")
        return value

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("published_at"), cleaned.get("unpublish_at")
        if start and end and end <= start:
            self.add_error("unpublish_at", "下线时间必须晚于发布时间。")
        return cleaned


def _bulk_action(action_name, name, description, permission, form_class=None):
    """An admin action taking transition ``name`` on the selected articles.

    With ``form_class``, the action first shows a page asking for its form (the reason
    for a rejection, the times of a schedule), as Django's delete action asks to confirm.
    """

    @admin.action(description=description, permissions=[permission])
    def action(modeladmin, request, queryset):
        if form_class is None:
            return modeladmin.take_transition(request, queryset, name)
        form = form_class(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            return modeladmin.take_transition(request, queryset, name, **form.cleaned_data)
        return modeladmin.confirm_page(
            request,
            workflow.get(name),
            list(queryset),
            form,
            action_name=action_name,
            title=description.rstrip("…"),
        )

    action.__name__ = action_name
    return action


class WorkflowAdminMixin:
    form = ArticleForm
    object_history_template = "admin/articles/article/object_history.html"
    change_list_template = "admin/articles/article/change_list.html"
    history_latest_first = True
    actions = [
        _bulk_action("submit_selected", "submit", "提交审核", "submit"),
        _bulk_action("withdraw_selected", "withdraw", "撤回为草稿", "submit"),
        _bulk_action("publish_selected", "publish", "发布（按各自的发布时间）", "publish"),
        _bulk_action("schedule_selected", "publish", "定时发布…", "publish", ScheduleForm),
        _bulk_action("reject_selected", "reject", "驳回…", "reject", NoteForm),
        _bulk_action("unpublish_selected", "unpublish", "下线", "unpublish"),
        _bulk_action("redraft_selected", "redraft", "已下线的转为草稿", "submit"),
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

    def has_recover_permission(self, request):
        """Bringing back a deleted article is the undo of deleting, so it needs both."""
        return self.has_delete_permission(request) and self.has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        """Editors change drafts only: once submitted, the text is the reviewer's to judge."""
        if not super().has_change_permission(request, obj):
            return False
        if obj is None or obj.status == Status.DRAFT:
            return True
        return self.has_publish_permission(request)

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
        for name, value in (getattr(request, "_kept_on_restore", None) or {}).items():
            setattr(obj, name, value)
        if getattr(request, "_recovering", None) is not None:
            # A recovered article comes back as a draft, to be reviewed again.
            obj.status = Status.DRAFT
        return obj

    # --- Saving, deleting, and the audit trail -----------------------------------

    def save_model(self, request, obj, form, change):
        transition = getattr(form, "transition", None)
        if transition is not None:
            workflow.prepare(obj, transition, request.user, from_state=form.from_state)
        super().save_model(request, obj, form, change)
        restoring = getattr(request, "_restoring", None)
        recovering = getattr(request, "_recovering", None)
        if restoring is not None:
            workflow.record(
                request.user,
                obj,
                AuditEntry.Action.RESTORE,
                note=f"恢复到 {_when(restoring.revision.date_created)} 保存的版本"
                f"（版本记录 #{restoring.pk}）",
            )
        if recovering is not None:
            workflow.record(
                request.user,
                obj,
                AuditEntry.Action.RECOVER,
                to_state=obj.status,
                note=f"恢复为草稿，内容为删除前 {_when(recovering.revision.date_created)} 的版本",
            )
        if transition is not None:
            workflow.record_transition(request.user, obj, transition, form.from_state)
            request._workflow_label = transition.label
            self.message_user(request, self.transition_message(obj, transition), messages.SUCCESS)

    def transition_message(self, article, transition):
        if workflow.action_of(transition, article) == AuditEntry.Action.SCHEDULE:
            return f"《{article.title}》已定时发布，将于 {_when(article.published_at)} 对读者显示。"
        return f"《{article.title}》{transition.done}。"

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        self._comment_transition(request)
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        self._comment_transition(request)
        return entry

    def _comment_transition(self, request):
        label = getattr(request, "_workflow_label", None)
        if label and reversion.is_active():
            comment = reversion.get_comment().rstrip("。")
            reversion.set_comment(f"{comment}；{label}" if comment else label)

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

    # --- Transitions from the list and from the change page ----------------------

    def changelist_view(self, request, extra_context=None):
        # Not one revision around the whole list as VersionAdmin does: an action keeps
        # one revision per article, so that restoring one never reverts the others.
        context = {"has_recover_permission": self.has_recover_permission(request)}
        context.update(extra_context or {})
        return admin.ModelAdmin.changelist_view(self, request, context)

    def take_transition(self, request, queryset, name, **changes):
        transition = workflow.get(name)
        note = changes.pop("note", "")
        done, skipped = workflow.apply_many(queryset, name, request.user, note=note, **changes)
        if len(done) == 1:
            self.message_user(request, self.transition_message(done[0], transition))
        elif done:
            self.message_user(request, f"{len(done)} 篇文章{transition.done}。")
        if skipped:
            titles = "、".join(f"《{a.title}》" for a in skipped[:5])
            more = " 等" if len(skipped) > 5 else ""
            self.message_user(
                request,
                f"{len(skipped)} 篇文章的状态不能{transition.label}，已跳过：{titles}{more}。",
                messages.WARNING,
            )

    def confirm_page(
        self, request, transition, articles, form, single=None, action_name=None, title=None
    ):
        """The page asking for a reason or times, or confirming one transition."""
        opts = self.model._meta
        title = title or transition.label
        context = {
            **self.admin_site.each_context(request),
            "opts": opts,
            "title": f"{title}文章",
            "verb": title,
            "transition": transition,
            "articles": articles,
            "form": form,
            "single": single,
            "action_name": action_name,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            "media": self.media + form.media if form is not None else self.media,
        }
        return TemplateResponse(request, "admin/articles/article/transition_confirm.html", context)

    def transition_view(self, request, object_id, name):
        """One transition on one article, from a button or link on its change page."""
        transition = workflow.get(name)
        if not workflow.may(request.user, transition):
            raise PermissionDenied
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404("没有这篇文章")
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        change_url = reverse("admin:articles_article_change", args=[quote(article.pk)])
        form_class = NoteForm if transition.needs_note else None
        form = None
        if request.method == "POST":
            form = form_class(request.POST) if form_class else None
            if form is None or form.is_valid():
                note = form.cleaned_data["note"] if form else ""
                try:
                    article = workflow.apply(article, name, request.user, note=note)
                except workflow.TransitionError as error:
                    self.message_user(request, str(error), messages.ERROR)
                else:
                    self.message_user(request, self.transition_message(article, transition))
                return redirect(change_url)
        elif form_class:
            form = form_class()
        return self.confirm_page(request, transition, [article], form, single=article)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["workflow_buttons"] = self.workflow_buttons(request, obj)
        context["can_preview"] = obj is not None and self.has_preview_permission(request)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def workflow_buttons(self, request, obj):
        """The change page's transition buttons: (name, label, link or None).

        Where the user may edit, a button saves the form and then takes the transition;
        on a read-only page (or for a rejection, which needs a reason) it is a link to
        the transition's own page.
        """
        if getattr(request, "_kept_on_restore", None) or getattr(request, "_recovering", None):
            return []
        article = obj if obj is not None else Article()
        editable = obj is None or self.has_change_permission(request, obj)
        buttons = []
        for t in workflow.available(request.user, article):
            if editable and not t.needs_note:
                buttons.append((t.name, f"保存并{t.label}", None))
            elif obj is not None:
                url = reverse("admin:articles_article_transition", args=[quote(obj.pk), t.name])
                buttons.append((t.name, f"{t.label}…", url))
        return buttons

    # --- Preview --------------------------------------------------------------------

    def has_preview_permission(self, request):
        return self.has_change_permission(request)

    def preview_view(self, request, object_id):
        """The article exactly as its public page will look, marked as a preview."""
        if not self.has_preview_permission(request):
            raise PermissionDenied
        published = Article.objects.published()
        try:
            article = for_article_page(self.get_queryset(request), published).get(
                pk=unquote(object_id)
            )
        except (Article.DoesNotExist, ValueError, ValidationError):
            raise Http404("没有这篇文章") from None
        response = render_article(request, article, published, {"preview": True})
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    # --- Revisions ------------------------------------------------------------------

    def history_view(self, request, object_id, extra_context=None):
        versions = list(revisions.versions_of(unquote(object_id)))
        rows = [
            {
                "version": version,
                "url": reverse(
                    "admin:articles_article_revision", args=[quote(object_id), version.pk]
                ),
                "previous": versions[i + 1] if i + 1 < len(versions) else None,
            }
            for i, version in enumerate(versions)
        ]
        context = {
            "version_rows": rows,
            "compare_url": reverse("admin:articles_article_compare", args=[quote(object_id)]),
            "can_restore": self.has_change_permission(
                request, self.get_object(request, unquote(object_id))
            ),
        }
        context.update(extra_context or {})
        return super().history_view(request, object_id, context)

    def compare_view(self, request, object_id):
        """What changed between two saved versions of an article, field by field."""
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404("没有这篇文章")
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        versions = Version.objects.get_for_object(article).select_related(
            "revision", "revision__user"
        )
        try:
            chosen = [versions.get(pk=int(request.GET[key])) for key in ("from", "to")]
        except (KeyError, ValueError, Version.DoesNotExist):
            self.message_user(request, "请选择要比较的两个版本。", messages.WARNING)
            return redirect("admin:articles_article_history", quote(article.pk))
        old, new = sorted(chosen, key=lambda v: v.pk)
        rows, unchanged = revisions.compare(old, new)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"比较版本：{article.title}",
            "original": article,
            "old": old,
            "new": new,
            "rows": rows,
            "unchanged": unchanged,
            "can_restore": self.has_change_permission(request, article),
            "old_url": reverse("admin:articles_article_revision", args=[quote(article.pk), old.pk]),
        }
        return TemplateResponse(request, "admin/articles/article/compare.html", context)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        """Show an old version in the form; saving it restores its content."""
        get_object_or_404(
            Version.objects.get_for_object_reference(Article, unquote(object_id)), pk=version_id
        )
        with transaction.atomic(using=router.db_for_write(Article)):
            kept = (
                Article.objects.select_for_update()
                .filter(pk=unquote(object_id))
                .values(*KEPT_ON_RESTORE)
                .first()
            )
            if kept is None:
                raise Http404("这篇文章已删除；请到“恢复已删除的文章”中恢复。")
            request._kept_on_restore = kept
            request._restoring = Version.objects.select_related("revision").get(pk=version_id)
            context = {"title": f"恢复旧版本：{request._restoring.object_repr}"}
            context.update(extra_context or {})
            return super().revision_view(request, object_id, version_id, context)

    def recoverlist_view(self, request, extra_context=None):
        if not self.has_recover_permission(request):
            raise PermissionDenied
        return super().recoverlist_view(request, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        if not self.has_recover_permission(request):
            raise PermissionDenied
        request._recovering = get_object_or_404(
            Version.objects.get_deleted(Article).select_related("revision"), pk=version_id
        )
        return super().recover_view(request, version_id, extra_context)

    def get_urls(self):
        prefix = f"{self.model._meta.app_label}_{self.model._meta.model_name}"
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/preview/",
                view(self.preview_view),
                name=f"{prefix}_preview",
            ),
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
