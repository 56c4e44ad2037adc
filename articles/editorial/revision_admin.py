"""The article's history in the admin: the list of saved versions, comparing two of
them, restoring an old version and recovering a deleted article.

Revisions are kept by django-reversion; reading and comparing them is in
articles/editorial/revisions.py. Restoring brings back content only: where the
article stands in the workflow (``KEPT_ON_RESTORE``) stays as it is now.
"""

from django.contrib import messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.db import router, transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from reversion.models import Version

from articles.editorial import restoring, revisions, workflow
from articles.editorial.forms import when
from articles.editorial.models import AuditEntry
from articles.models import Article

Status = Article.Status
# Changing these is a transition, never a side effect of restoring old content.
KEPT_ON_RESTORE = ["status", "published_at", "unpublish_at", "review_note", "version", "view_count"]


class RevisionAdminMixin:
    """For the article ModelAdmin, in front of reversion's VersionAdmin."""

    def has_recover_permission(self, request):
        """Bringing back a deleted article is the undo of deleting, so it needs both."""
        return self.has_delete_permission(request) and self.has_add_permission(request)

    def apply_restore(self, obj):
        """Called on the loaded object: what restoring keeps, or the draft a recovery is."""
        restore = restoring.current()
        if restore is None:
            return
        for name, value in restore.kept.items():
            setattr(obj, name, value)
        if restore.recovering:
            # A recovered article comes back as a draft, to be reviewed again.
            obj.status = Status.DRAFT

    def record_restore(self, request, obj):
        """The audit line of a restore or recovery just saved."""
        restore = restoring.current()
        if restore is None:
            return
        saved = when(restore.version.revision.date_created)
        if restore.recovering:
            workflow.record(
                request.user,
                obj,
                AuditEntry.Action.RECOVER,
                to_state=obj.status,
                note=f"恢复为草稿，内容为删除前 {saved} 的版本",
            )
        else:
            workflow.record(
                request.user,
                obj,
                AuditEntry.Action.RESTORE,
                note=f"恢复到 {saved} 保存的版本（版本记录 #{restore.version.pk}）",
            )

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
            version = Version.objects.select_related("revision").get(pk=version_id)
            context = {"title": f"恢复旧版本：{version.object_repr}"}
            context.update(extra_context or {})
            with restoring.restoring(restoring.Restore(version, kept=kept)):
                return super().revision_view(request, object_id, version_id, context)

    def recoverlist_view(self, request, extra_context=None):
        if not self.has_recover_permission(request):
            raise PermissionDenied
        return super().recoverlist_view(request, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        if not self.has_recover_permission(request):
            raise PermissionDenied
        version = get_object_or_404(
            Version.objects.get_deleted(Article).select_related("revision"), pk=version_id
        )
        with restoring.restoring(restoring.Restore(version, recovering=True)):
            return super().recover_view(request, version_id, extra_context)
