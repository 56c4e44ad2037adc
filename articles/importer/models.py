from django.db import models


class ImportedRecord(models.Model):
    """What one PHPCMS row became here: a second run finds it and updates, never doubles.

    ``key`` names the row in its PHPCMS database: ``site:1``, ``category:242``,
    ``copyfrom:3``, ``source:桂林日报`` (a free-text 来源), ``item:1:53063`` (model 1,
    id 53063 — ids repeat across models), ``page:17`` (a single page's article),
    ``attachment:88``. ``fingerprint`` is a digest of what was read, so an unchanged row
    is not written again; ``facts`` keeps what old addresses need (a category's model,
    an article's number of parts).
    """

    key = models.CharField("PHPCMS 记录", max_length=120, unique=True)
    target_id = models.BigIntegerField("对应编号", null=True)
    target = models.CharField("对应内容", max_length=300, blank=True)
    fingerprint = models.CharField("内容摘要", max_length=64, blank=True)
    facts = models.JSONField("附加信息", default=dict, blank=True)
    imported_at = models.DateTimeField("导入时间", auto_now=True)

    class Meta:
        verbose_name = "导入记录"
        verbose_name_plural = "导入记录"

    def __str__(self):
        return self.key


class OldAddress(models.Model):
    """A path the old site printed (static HTML, a channel's directory) and what it
    shows now; dynamic addresses are resolved from ``ImportedRecord`` instead."""

    class Kind(models.TextChoices):
        ARTICLE = "article", "文章"
        CHANNEL = "channel", "栏目"

    path = models.CharField("旧网址路径", max_length=500, unique=True)
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    target_id = models.BigIntegerField("对应编号")
    page = models.PositiveIntegerField("分页", default=1)

    class Meta:
        verbose_name = "旧网址"
        verbose_name_plural = "旧网址"

    def __str__(self):
        return self.path
