"""The article list's bulk actions: one per workflow transition.

Each action takes its transition on every selected article it suits, through
articles/editorial/workflow.py, which refuses what the user may not do. Actions that
need more (a reason, times) first show a page asking for it, as Django's delete
action asks to confirm.
"""

from django.contrib import admin

from articles.editorial import workflow
from articles.editorial.forms import NoteForm, ScheduleForm


def confirmed_versions(data):
    """The version of each article shown on a confirmation page: {article id: version}."""
    versions = {}
    for key, value in data.items():
        pk = key.removeprefix("version-")
        if pk != key and pk.isascii() and pk.isdigit() and value.isascii() and value.isdigit():
            versions[int(pk)] = int(value)
    return versions


def bulk_action(action_name, name, description, permission, form_class=None):
    """An admin action taking transition ``name`` on the selected articles.

    ``permission`` names the ModelAdmin's ``has_<permission>_permission`` method that
    decides whether the action is offered at all. Publishing always shows a page first,
    listing the version of each article; only those versions are then published.
    """
    binds_version = workflow.binds_version(name)

    @admin.action(description=description, permissions=[permission])
    def action(modeladmin, request, queryset):
        if form_class is None and not binds_version:
            return modeladmin.take_transition(request, queryset, name)
        confirmed = "apply" in request.POST
        form = form_class(request.POST if confirmed else None) if form_class else None
        if confirmed and (form is None or form.is_valid()):
            changes = dict(form.cleaned_data) if form else {}
            if binds_version:
                changes["versions"] = confirmed_versions(request.POST)
            return modeladmin.take_transition(request, queryset, name, **changes)
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
    bulk_action("publish_selected", "publish", "发布…", "publish"),
    bulk_action("schedule_selected", "publish", "定时发布…", "publish", ScheduleForm),
    bulk_action("reject_selected", "reject", "驳回…", "reject", NoteForm),
    bulk_action("unpublish_selected", "unpublish", "下线", "unpublish"),
    bulk_action("redraft_selected", "redraft", "已下线的转为草稿", "submit"),
]
