from django.conf import settings
from django.db import models
from django.utils import timezone

from articles.models import Article


class AuditEntry(models.Model):
    """Who changed an article's state, when, and from what to what; never edited."""

    class Action(models.TextChoices):
        SUBMIT = "submit", "提交审核"
        WITHDRAW = "withdraw", "撤回"
        PUBLISH = "publish", "发布"
        SCHEDULE = "schedule", "定时发布"
        REJECT = "reject", "驳回"
        UNPUBLISH = "unpublish", "下线"
        REDRAFT = "redraft", "转为草稿"
        DELETE = "delete", "删除"
        RESTORE = "restore", "恢复旧版本"
        RECOVER = "recover", "恢复已删除文章"
        MOVE = "move", "移动栏目"
        SUBMIT_UP = "submit_up", "报送"
        ADOPT = "adopt", "采用"
        ADOPT_EDITED = "adopt_edited", "修改后采用"
        RETURN = "return", "退回"
        SHARE = "share", "同时发布到其他栏目"
        PUSH = "push", "推送到推荐位"
        UNPUSH = "unpush", "撤出推荐位"

    created_at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    # Kept as written at the time: the record outlives renamed users and deleted articles.
    username = models.CharField("用户名", max_length=150, blank=True)
    action = models.CharField("操作", max_length=20, choices=Action.choices, db_index=True)
    article_id = models.BigIntegerField("文章编号", db_index=True)
    article_title = models.CharField("文章标题", max_length=200)
    from_state = models.CharField(
        "原状态", max_length=20, choices=Article.Status.choices, blank=True
    )
    to_state = models.CharField("新状态", max_length=20, choices=Article.Status.choices, blank=True)
    note = models.TextField("说明", blank=True)

    class Meta:
        # Kept in the content app's tables, migrations and backups.
        app_label = "articles"
        ordering = ["-created_at", "-id"]
        get_latest_by = "created_at"
        verbose_name = "操作记录"
        verbose_name_plural = "操作记录"

    def __str__(self):
        return f"{self.get_action_display()}：{self.article_title}"


# The submissions between sites keep their table beside the audit trail's.
from articles.editorial.submissions import Submission  # noqa: E402, F401
