"""Taking workflow transitions from the admin: the change page's buttons, the page of
one transition, the confirmation page of bulk actions, and what the editor is told.

What a role may do is decided by articles/editorial/workflow.py on every request; this
mixin only shows each role the buttons it may use and reports what happened.
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from articles.editorial import restoring, workflow
from articles.editorial.forms import NoteForm, when
from articles.editorial.models import AuditEntry
from articles.models import Article

# The step each state waits for: an editor submits a draft, a reviewer publishes.
PRIMARY = {Article.Status.DRAFT: "submit", Article.Status.PENDING: "publish"}


class TransitionAdminMixin:
    """For the article ModelAdmin: transition views, buttons and messages."""

    def transition_message(self, article, transition):
        if workflow.action_of(transition, article) == AuditEntry.Action.SCHEDULE:
            return f"《{article.title}》已定时发布，将于 {when(article.published_at)} 对读者显示。"
        return f"《{article.title}》{transition.done}。"

    def take_transition(self, request, queryset, name, **changes):
        transition = workflow.get(name)
        note = changes.pop("note", "")
        done, skipped, moved = workflow.apply_many(
            queryset, name, request.user, note=note, **changes
        )
        for message in moved:
            self.message_user(request, message, messages.ERROR)
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
            "binds_version": workflow.binds_version(transition.name),
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
            version = request.POST.get("version", "")
            version = int(version) if version.isascii() and version.isdigit() else None
            if workflow.binds_version(name) and version is None:
                self.message_user(
                    request,
                    f"没有{transition.label}：请在确认页上确认要{transition.label}的版本。",
                    messages.ERROR,
                )
                return redirect(change_url)
            if form is None or form.is_valid():
                note = form.cleaned_data["note"] if form else ""
                try:
                    article = workflow.apply(
                        article, name, request.user, note=note, version=version
                    )
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
        context["read_only_notice"] = self.read_only_notice(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def read_only_notice(self, request, obj):
        """Why the user may read but not change ``obj`` (editors change drafts only)."""
        if obj is None or self.has_change_permission(request, obj):
            return ""
        if obj.status == Article.Status.PENDING:
            return (
                "这篇稿件已提交审核，审核期间不能修改。"
                "如需修改，请撤回为草稿（只能撤回自己提交的），或联系审核人员。"
            )
        if obj.status == Article.Status.OFFLINE:
            return "已下线的文章只能由审核人员修改；转为草稿后可以再编辑。"
        return "已发布的文章只能由审核人员修改；如需更正，请联系审核人员。"

    def workflow_buttons(self, request, obj):
        """The change page's transition buttons: (name, label, link or None, primary).

        The role's main step comes first and is marked primary: submitting a draft
        for an editor, publishing a pending article for a reviewer.

        Where the user may edit, a button saves the form and then takes the transition;
        on a read-only page (or for a rejection, which needs a reason) it is a link to
        the transition's own page. Restoring an old version offers none: saving it only
        brings back its content.
        """
        if restoring.current() is not None:
            return []
        article = obj if obj is not None else Article()
        editable = obj is None or self.has_change_permission(request, obj)
        buttons = []
        for t in workflow.available(request.user, article):
            if editable and not t.needs_note:
                buttons.append((t.name, f"保存并{t.label}", None, False))
            elif obj is not None:
                url = reverse("admin:articles_article_transition", args=[quote(obj.pk), t.name])
                buttons.append((t.name, f"{t.label}…", url, False))
        main = PRIMARY.get(article.status)
        for i, (name, label, url, _) in enumerate(buttons):
            if name == main and url is None:
                buttons.insert(0, (name, label, url, True))
                del buttons[i + 1]
                break
        return buttons
