"""报送 and 采用: a county submits an article to a channel of the city's site, and the
city's reviewer adopts it (it then shows in that channel, with the county as its 来源),
adopts it after editing (the county sees what changed, from the revisions), or returns
it with a reason. Every step is one line of the audit trail; the submission keeps its
fate for the county and the statistics (articles/inspections/adoption.py).
"""

import reversion
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from reversion.models import Version

from articles.editorial import workflow
from articles.editorial.models import AuditEntry
from articles.models import Article, Channel, Placement, Site
from articles.models.sites import county_site_of

ADOPT_PERMISSION = "articles.adopt_submission"


class Submission(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "待采用"
        ADOPTED = "adopted", "已采用"
        RETURNED = "returned", "已退回"

    article = models.ForeignKey(
        Article, verbose_name="文章", on_delete=models.CASCADE, related_name="submissions"
    )
    site = models.ForeignKey(
        Site, verbose_name="报送站点", on_delete=models.PROTECT, related_name="submissions"
    )
    channel = models.ForeignKey(
        Channel, verbose_name="报送栏目", on_delete=models.PROTECT, related_name="submissions"
    )
    note = models.CharField("报送说明", max_length=200, blank=True)
    status = models.CharField(
        "状态", max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    submitted_at = models.DateTimeField("报送时间", default=timezone.now)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="报送人",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    decided_at = models.DateTimeField("处理时间", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="处理人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.TextField("退回理由", blank=True)
    edited = models.BooleanField("修改后采用", default=False)
    # The saved versions (django-reversion) as submitted and as adopted: what changed.
    submitted_version = models.IntegerField(null=True, blank=True, editable=False)
    adopted_version = models.IntegerField(null=True, blank=True, editable=False)

    class Meta:
        app_label = "articles"
        ordering = ["-submitted_at", "-id"]
        verbose_name = "报送稿件"
        verbose_name_plural = "报送稿件"
        permissions = [("adopt_submission", "可以采用或退回报送稿件")]
        indexes = [
            # The statistics: one period's submissions, counted by site and channel.
            models.Index(fields=["submitted_at", "site", "status"], name="submission_period"),
        ]

    def __str__(self):
        return f"{self.site}：{self.article.title}"


def _snapshot(article, user, comment):
    """Keep the article as it is now as a revision; its Version id."""
    with reversion.create_revision():
        reversion.add_to_revision(article)
        reversion.set_user(user)
        reversion.set_comment(comment)
    version = Version.objects.get_for_object(article).order_by("-pk").first()
    return version.pk if version else None


def submit(article, channel, user, note=""):
    """The county's editor submits ``article`` to the city's ``channel``."""
    site = county_site_of(user) or article.site
    if site is None or site.is_main or article.site_id != site.pk:
        raise PermissionDenied("只能报送本站的稿件。")
    if channel.site_id is not None:
        raise ValidationError("只能报送到主站的共享栏目。")
    if not user.has_perm("articles.add_submission"):
        raise PermissionDenied("你没有报送稿件的权限。")
    with transaction.atomic():
        submission = Submission.objects.create(
            article=article,
            site=site,
            channel=channel,
            note=note.strip(),
            submitted_by=user,
            submitted_version=_snapshot(article, user, f"报送到主站“{channel}”"),
        )
        workflow.record(
            user,
            article,
            AuditEntry.Action.SUBMIT_UP,
            note=f"报送到“{channel}”：{note}".rstrip("："),
        )
    return submission


def may_decide(user):
    return user.has_perm(ADOPT_PERMISSION) and county_site_of(user) is None


def place(article, channel, user):
    """Show ``article`` in ``channel`` too, at once (the page cache hears of the new
    placement: articles/caching/apps.py)."""
    Placement.objects.get_or_create(article=article, channel=channel, defaults={"placed_by": user})


def adopt(submission, user):
    """采用: the article shows in the submitted city channel with its county source.

    An article not yet published is published now. If the reviewer edited it since
    it was submitted, the adoption says so (``edited``) and the county can compare.
    """
    if not may_decide(user):
        raise PermissionDenied("只有主站的审核人员可以采用稿件。")
    with transaction.atomic(), reversion.create_revision():
        submission = Submission.objects.select_for_update().get(pk=submission.pk)
        if submission.status != Submission.Status.PENDING:
            raise ValidationError(f"这篇稿件已经{submission.get_status_display()}。")
        article = Article.objects.select_for_update().get(pk=submission.article_id)
        submitted = Version.objects.filter(pk=submission.submitted_version).first()
        edited = submitted is not None and submitted.field_dict.get("version") != article.version
        from_state = article.status
        if article.source_id is None and submission.site.source_id:
            article.source_id = submission.site.source_id
        if article.status != Article.Status.PUBLISHED:
            article.status = Article.Status.PUBLISHED
            article.published_at = min(article.published_at, timezone.now())
        article.updated_by = user
        article.save()
        place(article, submission.channel, user)
        reversion.set_user(user)
        reversion.set_comment(f"采用到“{submission.channel}”")
        submission.status = Submission.Status.ADOPTED
        submission.decided_at, submission.decided_by = timezone.now(), user
        submission.edited = edited
        submission.save()
        workflow.record(
            user,
            article,
            AuditEntry.Action.ADOPT_EDITED if edited else AuditEntry.Action.ADOPT,
            from_state=from_state,
            to_state=article.status,
            note=f"{submission.site}报送，采用到“{submission.channel}”",
        )
    # The revision is written when the block above ends: remember it for the comparison.
    latest = Version.objects.get_for_object(article).order_by("-pk").first()
    Submission.objects.filter(pk=submission.pk).update(adopted_version=latest and latest.pk)
    return submission


def give_back(submission, user, reason):
    """退回 with a reason the county reads."""
    if not may_decide(user):
        raise PermissionDenied("只有主站的审核人员可以退回稿件。")
    if not reason.strip():
        raise ValidationError("请填写退回理由。")
    with transaction.atomic():
        submission = Submission.objects.select_for_update().get(pk=submission.pk)
        if submission.status != Submission.Status.PENDING:
            raise ValidationError(f"这篇稿件已经{submission.get_status_display()}。")
        submission.status = Submission.Status.RETURNED
        submission.decided_at, submission.decided_by = timezone.now(), user
        submission.reason = reason.strip()
        submission.save()
        workflow.record(
            user,
            submission.article,
            AuditEntry.Action.RETURN,
            note=f"{submission.site}报送到“{submission.channel}”，退回：{submission.reason}",
        )
    return submission
