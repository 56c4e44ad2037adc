"""Recommendation slots (推荐位): named places of the site that show the articles editors
push into them, in the editors' order, each for as long as they say.

Administrators define the slots; the home page knows two of them by their key
(``HEADLINES`` and ``CAROUSEL``, created by migration 0017). What a slot shows is
always among ``Article.objects.published()``: a placement of a draft or an offline
article waits, unseen, until the article is published again.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from articles.models.articles import Article

HEADLINES = "home-headlines"
CAROUSEL = "home-carousel"


class Slot(models.Model):
    key = models.SlugField(
        "代号",
        max_length=50,
        unique=True,
        help_text="页面模板用来找到这个推荐位的代号（小写字母、数字和连字符）；建好后不要修改。",
    )
    name = models.CharField("名称", max_length=50, unique=True)
    size = models.PositiveSmallIntegerField(
        "显示篇数",
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text="页面上最多显示几篇；推送的文章更多时，只显示排在前面的。",
    )
    description = models.CharField(
        "说明", max_length=200, blank=True, help_text="可选。这个推荐位在网站的什么位置。"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = "推荐位"
        verbose_name_plural = "推荐位"

    def __str__(self):
        return self.name


class SlotPlacementQuerySet(models.QuerySet):
    def current(self, now=None):
        """Placements not past their end, of articles readers can see now."""
        now = now or timezone.now()
        return self.filter(
            models.Q(until__isnull=True) | models.Q(until__gt=now),
            article__in=Article.objects.published(),
        )


class SlotPlacement(models.Model):
    slot = models.ForeignKey(
        Slot, verbose_name="推荐位", on_delete=models.CASCADE, related_name="placements"
    )
    article = models.ForeignKey(
        Article, verbose_name="文章", on_delete=models.CASCADE, related_name="slot_placements"
    )
    position = models.IntegerField(
        "顺序", default=0, help_text="数字小的排在前面；相同时新推送的在前。"
    )
    until = models.DateTimeField(
        "推荐截止时间",
        null=True,
        blank=True,
        help_text="可选。过了这个时间自动不再显示，无需再操作。",
    )
    created_at = models.DateTimeField("推送时间", default=timezone.now, editable=False)

    objects = SlotPlacementQuerySet.as_manager()

    class Meta:
        ordering = ["slot", "position", "-created_at", "-id"]
        verbose_name = "推荐位文章"
        verbose_name_plural = "推荐位文章"
        constraints = [
            models.UniqueConstraint(fields=["slot", "article"], name="slot_placement_once"),
        ]
        indexes = [
            models.Index(fields=["slot", "position"], name="slot_placement_order"),
        ]

    def __str__(self):
        return f"{self.slot}：{self.article}"

    @property
    def is_current(self):
        return self.until is None or self.until > timezone.now()
