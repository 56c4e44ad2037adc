"""The forms of the editors' desk: the article form with its version check and the
transition asked for, the channel picker, and the forms transitions ask for (a reason,
times, the version being published).
"""

from django import forms
from django.contrib.admin.utils import quote
from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html

from articles.editorial import keywords, revisions, workflow
from articles.models import Article, Channel
from articles.sanitize import first_paragraph

Status = Article.Status
INDENT = "\u3000\u3000"
# Hidden fields of the optimistic lock; see ArticleForm.
LOCK_FIELDS = ["base_version", "seen_version", "overwrite"]


def when(value):
    return date_format(timezone.localtime(value), "Y-m-d H:i")


def tree_order(tree):
    """An ORDER BY that lists channels as the tree shows them, parents first."""
    whens = [When(pk=channel.pk, then=Value(i)) for i, (channel, _) in enumerate(tree.walk())]
    if not whens:
        return Value(0)
    return Case(*whens, default=Value(len(whens)), output_field=IntegerField())


class ChannelChoiceField(forms.ModelChoiceField):
    """A channel picker that shows the tree, indented, in its own order."""

    def __init__(self, *args, **kwargs):
        tree = Channel.objects.tree()
        self.depths = {channel.pk: depth for channel, depth in tree.walk()}
        kwargs["queryset"] = kwargs["queryset"].order_by(tree_order(tree))
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        return INDENT * self.depths.get(obj.pk, 0) + obj.name


class ArticleForm(forms.ModelForm):
    """The article form, with the version it was based on and the transition asked for.

    ``base_version`` is the article's version number when the form was opened. A save
    whose base is not the version in the database (read under a row lock) is refused:
    someone else saved in between. The refused form keeps everything typed and offers
    ``overwrite``, which counts only for the version the user was shown (``seen_version``).
    """

    base_version = forms.IntegerField(
        label="打开时的版本", widget=forms.HiddenInput, required=False
    )
    seen_version = forms.IntegerField(label="看过的版本", widget=forms.HiddenInput, required=False)
    overwrite = forms.BooleanField(
        label="我已看过对方的修改，仍用下面的内容保存",
        required=False,
        widget=forms.HiddenInput,
    )

    # Set for each request by ArticleAdmin.get_form (a subclass per request).
    request = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.from_state = self.instance.status
        self.transition = None
        if self.instance.pk is not None:
            self.fields["base_version"].initial = self.instance.version
        if "published_at" in self.fields:
            self.fields["published_at"].help_text = (
                "第一次发布时，如果这里的时间已过且没有专门改过，发布时间自动记为发布的那一刻。"
                "填写晚于现在的时间即为定时发布，到点才对读者显示。"
            )
        if "summary" in self.fields:
            self.fields["summary"].help_text = self._summary_help()
        if "keywords" in self.fields:
            self.fields["keywords"].help_text = self._keywords_help()
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

    def summary_is_automatic(self):
        """Whether the saved summary is the body's first paragraph, not one written by
        hand: derived, not stored, so the model needs no flag."""
        article = self.instance
        summary = article.summary.strip()
        return not summary or summary == first_paragraph(article.body)

    def _summary_help(self):
        if self.instance.pk is None or not self.instance.summary.strip():
            return "留空时自动取正文第一段，并随正文更新。"
        if self.summary_is_automatic():
            return (
                "现在是自动摘要：取自正文第一段，修改正文时随之更新。"
                "在这里改写后即为自己撰写的摘要，不再自动更新。"
            )
        return "现在是自己撰写的摘要，不随正文变化。清空后保存，即改为自动摘要。"

    def _keywords_help(self):
        text = (
            "可选。多个关键词用逗号分隔，写入网页的 Keywords 标签，供搜索引擎和政府网站监测使用。"
        )
        text += "留空保存时，自动按标题和正文填入建议的关键词。"
        article = self.instance
        if article.pk is not None and (article.title or article.body):
            suggested = keywords.suggest(article.title, article.body)
            if suggested:
                text += "建议关键词：" + "、".join(suggested) + "。"
        return text

    def _suggest_keywords(self, cleaned):
        """An empty keywords field is filled with the words suggested for the article."""
        if "keywords" not in self.fields or cleaned.get("keywords", "").strip():
            return
        title, body = cleaned.get("title", ""), cleaned.get("body", "")
        if title or body:
            cleaned["keywords"] = keywords.joined(keywords.suggest(title, body))

    def clean_summary(self):
        summary = self.cleaned_data["summary"]
        # Left as the automatic summary of the saved body: follow the new body instead
        # (the model fills an empty summary from the body's first paragraph).
        automatic = self.instance.pk is not None and self.summary_is_automatic()
        if automatic and summary.strip() == self.instance.summary.strip():
            return ""
        return summary

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is not None:
            self._check_version(cleaned)
        self._check_transition(cleaned)
        self._suggest_keywords(cleaned)
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
            when(article.updated_at),
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
                article=self.instance,
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
