from django.conf import settings
from django.db import models

from articles.models import Article, ColumnType


class Dashboard(models.Model):
    """No table: the admin's entry for the dashboard and the app's own permissions.

    Giving a reviewer "可以查看网站检查总览" lets them open the dashboard and the
    statistics; the checks' tables below keep Django's usual permissions.
    """

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [
            ("view_dashboard", "可以查看网站检查总览"),
            ("confirm_wording", "可以确认严重错敏字后发布"),
        ]
        verbose_name = "检查总览"
        verbose_name_plural = "检查总览"

    def __str__(self):
        return "检查总览"


class FreshnessLimit(models.Model):
    """How long a channel of one column type may go without a new article."""

    # The values are the Chinese names themselves (ColumnType's labels are not).
    column_type = models.CharField(
        "栏目类型", max_length=20, choices=[(t.value, t.value) for t in ColumnType], unique=True
    )
    days = models.PositiveIntegerField(
        "更新期限（天）",
        null=True,
        blank=True,
        help_text="超过这么多天没有新文章即为超期；留空表示不检查更新，只检查是否空栏目。",
    )

    class Meta:
        ordering = ["column_type"]
        verbose_name = "栏目更新期限"
        verbose_name_plural = "栏目更新期限"

    def __str__(self):
        return f"{self.get_column_type_display()}：{self.days or '不检查'}"


class WordingRule(models.Model):
    """A wording error (错敏字) and its correct form."""

    class Severity(models.TextChoices):
        SEVERE = "severe", "严重"
        GENERAL = "general", "一般"

    wrong = models.CharField(
        "错误写法",
        max_length=50,
        unique=True,
        help_text="按原样填写；全角半角、繁体和字间空格不同的写法也能查到。",
    )
    right = models.CharField("正确写法", max_length=50)
    severity = models.CharField(
        "严重程度",
        max_length=10,
        choices=Severity.choices,
        default=Severity.GENERAL,
        help_text="“严重”的错误须经有确认权限的审核人员确认后才能发布。",
    )
    note = models.CharField("说明", max_length=200, blank=True)
    is_active = models.BooleanField("启用", default=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        ordering = ["severity", "wrong"]
        verbose_name = "错敏词"
        verbose_name_plural = "错敏词"

    def __str__(self):
        return f"{self.wrong} → {self.right}"


class CheckedLink(models.Model):
    """One link address found on the site, and what the last checks of it found."""

    url = models.CharField("链接地址", max_length=2000, unique=True)
    is_internal = models.BooleanField("站内链接", default=False)
    is_dead = models.BooleanField("死链", default=False, db_index=True)
    failures = models.PositiveIntegerField("连续失败次数", default=0)
    error = models.CharField("最近一次的问题", max_length=300, blank=True)
    first_seen_at = models.DateTimeField("首次发现", auto_now_add=True)
    checked_at = models.DateTimeField("最近检查", null=True, blank=True)
    good_at = models.DateTimeField("最近一次可访问", null=True, blank=True)

    class Meta:
        ordering = ["url"]
        verbose_name = "链接检查结果"
        verbose_name_plural = "链接检查结果"

    def __str__(self):
        return self.url


class LinkPlace(models.Model):
    """Where a checked link was found in the last run: an article, or the site's furniture."""

    link = models.ForeignKey(
        CheckedLink, verbose_name="链接", on_delete=models.CASCADE, related_name="places"
    )
    article = models.ForeignKey(
        Article, verbose_name="文章", on_delete=models.CASCADE, null=True, related_name="+"
    )
    place = models.CharField("位置", max_length=200)

    class Meta:
        ordering = ["id"]
        verbose_name = "链接所在位置"
        verbose_name_plural = "链接所在位置"

    def __str__(self):
        return self.place


class TimeFlag(models.Model):
    """A publication time that does not match reality, and who set it."""

    class Kind(models.TextChoices):
        MOVED_BACK = "moved_back", "发布后把发布时间改早"
        BEFORE_CREATED = "before_created", "发布时间早于创建时间"

    article = models.ForeignKey(
        Article, verbose_name="文章", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField("问题", max_length=20, choices=Kind.choices)
    old_time = models.DateTimeField("原发布时间", null=True, blank=True)
    new_time = models.DateTimeField("改后的发布时间")
    changed_at = models.DateTimeField("修改于")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    username = models.CharField("用户名", max_length=150, blank=True)
    # The django-reversion revision that carried the change; 0 when none is known.
    revision_id = models.BigIntegerField("版本记录", default=0)

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = "发布时间异常"
        verbose_name_plural = "发布时间异常"
        constraints = [
            models.UniqueConstraint(
                fields=["article", "kind", "revision_id"], name="time_flag_once"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.article_id}"


class WordingFinding(models.Model):
    """A wording error found in a published article by the last check of the archive."""

    article = models.ForeignKey(
        Article, verbose_name="文章", on_delete=models.CASCADE, related_name="+"
    )
    rule = models.ForeignKey(
        WordingRule, verbose_name="错敏词", on_delete=models.CASCADE, related_name="findings"
    )
    field = models.CharField("位置", max_length=20)
    found = models.CharField("原文写法", max_length=100)
    before = models.CharField("前文", max_length=100, blank=True)
    after = models.CharField("后文", max_length=100, blank=True)
    checked_at = models.DateTimeField("检查时间")

    class Meta:
        ordering = ["rule__severity", "-checked_at", "id"]
        verbose_name = "错敏字检查结果"
        verbose_name_plural = "错敏字检查结果"

    def __str__(self):
        return f"{self.found} → {self.rule.right}"


class CheckRun(models.Model):
    """When a checking command last went over the whole site, and what it found."""

    class Kind(models.TextChoices):
        WORDING = "wording", "错敏字检查"
        LINKS = "links", "链接检查"
        TIMES = "times", "发布时间检查"

    kind = models.CharField("检查", max_length=20, choices=Kind.choices)
    finished_at = models.DateTimeField("完成时间", auto_now_add=True)
    summary = models.CharField("结果", max_length=300, blank=True)

    class Meta:
        ordering = ["-finished_at", "-id"]
        get_latest_by = "finished_at"
        verbose_name = "检查记录"
        verbose_name_plural = "检查记录"

    def __str__(self):
        return f"{self.get_kind_display()}：{self.summary}"

    @classmethod
    def last(cls, kind):
        return cls.objects.filter(kind=kind).order_by("-finished_at", "-id").first()
