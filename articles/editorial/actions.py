"""The article list's bulk actions: one per workflow transition.

Each action takes its transition on every selected article it suits, through
articles/editorial/workflow.py, which refuses what the user may not do. Actions that
need more (a reason, times) first show a page asking for it, as Django's delete
action asks to confirm.
"""

from django.contrib import admin

from articles.editorial import workflow
from articles.editorial.forms import NoteForm, ScheduleForm


def bulk_action(action_name, name, description, permission, form_class=None):
    """An admin action taking transition ``name`` on the selected articles.

    ``permission`` names the ModelAdmin's ``has_<permission>_permission`` method that
    decides whether the action is offered at all.
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


ARTICLE_ACTIONS = [
    bulk_action("submit_selected", "submit", "提交审核", "submit"),
    bulk_action("withdraw_selected", "withdraw", "撤回为草稿", "submit"),
    bulk_action("publish_selected", "publish", "发布（按各自的发布时间）", "publish"),
    bulk_action("schedule_selected", "publish", "定时发布…", "publish", ScheduleForm),
    bulk_action("reject_selected", "reject", "驳回…", "reject", NoteForm),
    bulk_action("unpublish_selected", "unpublish", "下线", "unpublish"),
    bulk_action("redraft_selected", "redraft", "已下线的转为草稿", "submit"),
]
