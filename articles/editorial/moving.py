"""Moving articles to another channel (批量移动), from the article list.

Each article moves only if the user may change it as the workflow has it (editors
change drafts, reviewers any article: ``ArticleAdmin.has_change_permission``); each
move is one revision of that article and one line of the audit trail; the whole batch
is one transaction, so readers' pages turn fresh once.
"""

import reversion
from django import forms
from django.contrib import admin, messages
from django.db import router, transaction

from articles.editorial import workflow
from articles.editorial.forms import ChannelChoiceField
from articles.editorial.models import AuditEntry
from articles.editorial.slot_admin import action_page
from articles.models import Article, Channel


class MoveForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Made here, not in the class: the picker reads the channel tree.
        self.fields["channel"] = ChannelChoiceField(
            label="移动到栏目",
            queryset=Channel.objects.holding_articles(),
            empty_label="请选择栏目",
            help_text="文章的网址不变，读者在新栏目的列表里看到它；原栏目不再列出。",
        )


def move(articles, channel, user, may_change):
    """Move ``articles`` to ``channel``; returns (moved, refused, already there)."""
    moved, refused, already = [], [], []
    with transaction.atomic(using=router.db_for_write(Article)):
        for article in articles:
            fresh = Article.objects.select_for_update().select_related("channel").get(pk=article.pk)
            if fresh.channel_id == channel.pk:
                already.append(fresh)
                continue
            if not may_change(fresh):
                refused.append(fresh)
                continue
            before = fresh.channel
            with reversion.create_revision():
                fresh.channel = channel
                fresh.updated_by = user
                fresh.save()
                reversion.set_user(user)
                reversion.set_comment(f"从栏目“{before.name}”移动到“{channel.name}”")
            workflow.record(
                user,
                fresh,
                AuditEntry.Action.MOVE,
                from_state=fresh.status,
                to_state=fresh.status,
                note=f"从栏目“{before.name}”移动到“{channel.name}”",
            )
            moved.append(fresh)
    return moved, refused, already


def _titles(articles):
    more = " 等" if len(articles) > 5 else ""
    return "、".join(f"《{a.title}》" for a in articles[:5]) + more


@admin.action(description="移动到其他栏目…", permissions=["change"])
def move_to_channel(modeladmin, request, queryset):
    articles = list(queryset.order_by("pk"))
    confirmed = "apply" in request.POST
    form = MoveForm(request.POST if confirmed else None)
    if not (confirmed and form.is_valid()):
        return action_page(modeladmin, request, articles, form, "move_to_channel", "移动到其他栏目")
    channel = form.cleaned_data["channel"]
    moved, refused, already = move(
        articles,
        channel,
        request.user,
        lambda article: modeladmin.has_change_permission(request, article),
    )
    if moved:
        modeladmin.message_user(
            request, f"已把 {len(moved)} 篇文章移动到“{channel.name}”。", messages.SUCCESS
        )
    if already:
        modeladmin.message_user(
            request, f"{len(already)} 篇本来就在“{channel.name}”：{_titles(already)}。"
        )
    if refused:
        modeladmin.message_user(
            request,
            f"{len(refused)} 篇没有移动：已提交审核或已发布的文章只能由审核人员修改。"
            f"{_titles(refused)}。",
            messages.WARNING,
        )
    return None
