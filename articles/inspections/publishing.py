"""Wording checks where articles are saved and published (the hooks the article admin uses).

``WordingAdminMixin`` goes first among the article admin's bases. Its form shows every
wording hit in context when an article is saved, with a box per hit that fixes it on
the next save; the save goes through once the editor has seen the hits. A hit of the
severe class also keeps the article from being published — by the form, the change
page's buttons or the list's actions — until someone with "可以确认严重错敏字后发布"
(the 审核 group) ticks that it was checked, on the form.
"""

import hashlib

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from articles.editorial.workflow import TransitionError
from articles.inspections import wording
from articles.models import Article

CONFIRM_PERMISSION = "inspections.confirm_wording"
FIX_FIELD = "wording_fix"
SEEN_FIELD = "wording_seen"
CONFIRM_FIELD = "wording_confirm"


class WordingBlocked(TransitionError):
    """Publishing refused: a severe wording hit has not been confirmed."""


def severe_hits(article):
    return [hit for hit in wording.wording_hits(article) if hit.is_severe]


def check_before_publish(article, user, confirmed=False):
    """Refuse to publish ``article`` while it has an unconfirmed severe wording hit.

    ``confirmed`` counts only for a user with the permission to confirm.
    """
    severe = severe_hits(article)
    if not severe or (confirmed and user.has_perm(CONFIRM_PERMISSION)):
        return
    words = "、".join(dict.fromkeys(f"“{hit.found}”" for hit in severe))
    raise WordingBlocked(
        f"《{article.title}》含严重错敏字 {words}，须在编辑页改正，或由审核人员在编辑页确认后发布。"
    )


def signature(hits):
    text = "|".join(f"{h.rule.pk}:{h.field}:{h.found}:{h.before}:{h.after}" for h in hits)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


class WordingCheckFormMixin:
    """In front of the article form: wording hits shown, fixed, seen and confirmed."""

    wording_fields = ["title", "summary", "body"]

    def clean(self):
        cleaned = super().clean()
        values = {
            name: cleaned.get(name, getattr(self.instance, name)) for name in self.wording_fields
        }
        hits = wording.find(values["title"], values["summary"] or "", values["body"] or "")
        chosen = set(self.data.getlist(self.add_prefix(FIX_FIELD)))
        fixes = [hit for i, hit in enumerate(hits) if str(i) in chosen]
        if fixes:
            for name in self.wording_fields:
                if name in cleaned and cleaned[name]:
                    cleaned[name] = wording.apply_fixes(cleaned[name], fixes)
            values.update({k: cleaned[k] for k in self.wording_fields if k in cleaned})
            hits = wording.find(values["title"], values["summary"] or "", values["body"] or "")
        self.wording_hits = hits
        if not hits:
            return cleaned
        user = self.request.user if self.request is not None else None
        may_confirm = user is not None and user.has_perm(CONFIRM_PERMISSION)
        seen = self.data.get(self.add_prefix(SEEN_FIELD)) == signature(hits)
        blocking = self._publishing(cleaned) and any(hit.is_severe for hit in hits)
        confirmed = may_confirm and bool(self.data.get(self.add_prefix(CONFIRM_FIELD)))
        if seen and (not blocking or confirmed):
            return cleaned
        raise ValidationError(self._message(hits, blocking, may_confirm), code="wording")

    def _publishing(self, cleaned):
        transition = getattr(self, "transition", None)
        if transition is not None:
            return transition.target == Article.Status.PUBLISHED
        status = cleaned.get("status") or self.instance.status
        return status == Article.Status.PUBLISHED

    def _message(self, hits, blocking, may_confirm):
        rows = format_html_join(
            "",
            "<li>{}：…{}<mark>{}</mark>{}… 应为“{}”（{}{}）"
            '<label><input type="checkbox" name="{}" value="{}"> 改为“{}”</label></li>',
            (
                (
                    hit.field,
                    hit.before,
                    hit.found,
                    hit.after,
                    hit.rule.right,
                    hit.rule.get_severity_display(),
                    f"，{hit.rule.note}" if hit.rule.note else "",
                    self.add_prefix(FIX_FIELD),
                    i,
                    hit.rule.right,
                )
                for i, hit in enumerate(hits)
            ),
        )
        if blocking and may_confirm:
            tail = format_html(
                '含严重错敏字，发布前请改正；确认不是错误的，勾选<label><input type="checkbox"'
                ' name="{}" value="1"> 已核对，确认照原样发布</label>后再保存。',
                self.add_prefix(CONFIRM_FIELD),
            )
        elif blocking:
            tail = (
                "含严重错敏字，改正前不能发布；确认不是错误的，"
                "请保存为草稿或提交审核，由审核人员确认后发布。"
            )
        else:
            tail = "勾选要改正的地方后再次保存；确认不是错误的，直接再次保存即可。"
        return format_html(
            '没有保存：发现 {} 处可能的错敏字。<ul class="wording-hits">{}</ul>{}'
            '<input type="hidden" name="{}" value="{}">',
            len(hits),
            rows,
            tail,
            self.add_prefix(SEEN_FIELD),
            signature(hits),
        )


class WordingAdminMixin:
    """First among the article admin's bases: the form above, and no publishing of an
    article with a severe hit from the list's actions or the change page's buttons."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (WordingCheckFormMixin, form), {})

    def take_transition(self, request, queryset, name, **changes):
        if name == "publish":
            blocked = []
            for article in queryset:
                try:
                    check_before_publish(article, request.user)
                except WordingBlocked as error:
                    blocked.append(article.pk)
                    self.message_user(request, str(error), messages.ERROR)
            queryset = queryset.exclude(pk__in=blocked)
        return super().take_transition(request, queryset, name, **changes)

    def transition_view(self, request, object_id, name):
        if name == "publish" and request.method == "POST":
            article = Article.objects.filter(pk=object_id).first()
            if article is not None:
                try:
                    check_before_publish(article, request.user)
                except WordingBlocked as error:
                    self.message_user(request, str(error), messages.ERROR)
                    return redirect(reverse("admin:articles_article_change", args=[article.pk]))
        return super().transition_view(request, object_id, name)
