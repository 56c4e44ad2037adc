"""报送 and 采用 in the admin.

A county's staff submit their site's articles (添加报送稿件) and follow each one's fate;
the city's reviewers work through the queue of incoming submissions: 采用, 退回 with a
reason, or — after editing the article (the link beside it) — 采用, which then says
修改后采用 and lets the county compare the versions. The rules are in submissions.py.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator

from articles.editorial import submissions
from articles.editorial.action_pages import ActionFormMixin
from articles.editorial.forms import ChannelChoiceField, when
from articles.editorial.submissions import Submission
from articles.models import Article, Channel
from articles.models.sites import county_site_of

# The reason or note in the list: a few characters (the whole in its tooltip), so that
# the list fits 1366 px beside the filters.
NOTE_CHARS = 9


def _nowrap(text, title=""):
    return format_html('<span style="white-space:nowrap" title="{}">{}</span>', title, text)


class CountyFilter(admin.RelatedFieldListFilter):
    """按报送站点: the county sites, the ones that submit."""

    def field_choices(self, field, request, model_admin):
        ordering = self.field_admin_ordering(field, request, model_admin)
        counties = {"is_main": False}
        return field.get_choices(include_blank=False, ordering=ordering, limit_choices_to=counties)


class SubmissionForm(forms.ModelForm):
    class Meta:
        model = Submission
        fields = ["article", "channel", "note"]
        help_texts = {"channel": "主站的栏目，如“清廉之窗 > 基层风采”。"}

    request = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        county = county_site_of(self.request.user)
        # Only one's own site's articles, only the city's shared channels.
        self.fields["article"].queryset = Article.objects.filter(site=county).order_by(
            "-updated_at"
        )
        # The city's tree as the article form shows it: 基层风采 under 清廉之窗.
        channel = self.fields["channel"]
        self.fields["channel"] = ChannelChoiceField(
            queryset=Channel.objects.holding_articles().filter(site__isnull=True),
            label=channel.label,
            help_text=channel.help_text,
        )


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label="退回理由", widget=forms.Textarea(attrs={"rows": 3}), help_text="报送单位会看到。"
    )


class SubmissionAdmin(ActionFormMixin, admin.ModelAdmin):
    form = SubmissionForm
    # Few, narrow columns: the titles keep the room at 1366 px, beside the filters.
    list_display = ["title", "site", "channel", "submitted", "status_mark", "decided", "outcome"]
    list_filter = ["status", ("site", CountyFilter)]
    list_select_related = ["article", "site", "channel", "submitted_by", "decided_by"]
    search_fields = ["article__title", "note", "reason"]
    date_hierarchy = "submitted_at"
    actions = ["adopt_selected", "return_selected"]

    def get_queryset(self, request):
        found = super().get_queryset(request)
        county = county_site_of(request.user)
        return found if county is None else found.filter(site=county)

    def get_list_display(self, request):
        # A county's staff see their own site's submissions only.
        shown = super().get_list_display(request)
        return shown if county_site_of(request.user) is None else [c for c in shown if c != "site"]

    def get_list_filter(self, request):
        shown = super().get_list_filter(request)
        return shown if county_site_of(request.user) is None else ["status"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"request": request})

    def has_add_permission(self, request):
        return super().has_add_permission(request) and county_site_of(request.user) is not None

    def has_change_permission(self, request, obj=None):
        return False  # decided by the actions, never edited

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_adopt_permission(self, request):
        return submissions.may_decide(request.user)

    def save_model(self, request, obj, form, change):
        try:
            made = submissions.submit(obj.article, obj.channel, request.user, obj.note)
        except ValidationError as error:
            raise PermissionDenied(error.messages[0]) from None
        obj.pk, obj.submitted_at, obj.site = made.pk, made.submitted_at, made.site

    # --- The list's columns ----------------------------------------------------------

    @admin.display(description="稿件", ordering="article__title")
    def title(self, obj):
        link = reverse("admin:articles_article_change", args=[quote(obj.article_id)])
        return format_html('<a href="{}">{}</a>', link, obj.article.title)

    @admin.display(description="报送时间", ordering="submitted_at")
    def submitted(self, obj):
        # The day in the column, the minute and who in its tooltip.
        return _nowrap(
            when(obj.submitted_at)[:10],
            f"{when(obj.submitted_at)} 报送人：{obj.submitted_by or '—'}",
        )

    @admin.display(description="处理时间", ordering="decided_at")
    def decided(self, obj):
        if not obj.decided_at:
            return "—"
        return _nowrap(
            when(obj.decided_at)[:10], f"{when(obj.decided_at)} 处理人：{obj.decided_by or '—'}"
        )

    @admin.display(description="状态", ordering="status")
    def status_mark(self, obj):
        if obj.status == Submission.Status.ADOPTED and obj.edited:
            return _nowrap("修改后采用")
        return _nowrap(obj.get_status_display())

    @admin.display(description="说明")
    def outcome(self, obj):
        if obj.status == Submission.Status.RETURNED:
            return format_html(
                '<span title="{}">退回：{}</span>',
                obj.reason,
                Truncator(obj.reason).chars(NOTE_CHARS),
            )
        if obj.edited and obj.submitted_version and obj.adopted_version:
            compare = reverse("admin:articles_article_compare", args=[quote(obj.article_id)])
            return format_html(
                '<a href="{}?from={}&amp;to={}">查看主站的改动</a>',
                compare,
                obj.submitted_version,
                obj.adopted_version,
            )
        if not obj.note:
            return "—"
        return format_html(
            '<span title="{}">{}</span>', obj.note, Truncator(obj.note).chars(NOTE_CHARS)
        )

    # --- Deciding ----------------------------------------------------------------

    @admin.action(description="采用", permissions=["adopt"])
    def adopt_selected(self, request, queryset):
        done = self._decide(request, queryset, submissions.adopt)
        if done:
            self.message_user(
                request, f"已采用 {done} 篇，已显示在所报送的栏目。", messages.SUCCESS
            )

    @admin.action(description="退回…", permissions=["adopt"])
    def return_selected(self, request, queryset):
        form = ReturnForm(request.POST if "apply" in request.POST else None)
        if not form.is_bound or not form.is_valid():
            return self.action_form_page(
                request, "return_selected", "退回报送稿件", "退回", list(queryset), form
            )
        reason = form.cleaned_data["reason"]
        done = self._decide(request, queryset, lambda s, u: submissions.give_back(s, u, reason))
        if done:
            self.message_user(request, f"已退回 {done} 篇。", messages.SUCCESS)
        return None

    def _decide(self, request, queryset, decide):
        done = 0
        for submission in queryset.order_by("pk"):
            try:
                decide(submission, request.user)
                done += 1
            except ValidationError as error:
                self.message_user(
                    request,
                    f"《{submission.article.title}》：{error.messages[0]}",
                    messages.WARNING,
                )
        return done
