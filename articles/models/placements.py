"""An article shown in channels besides its own: one page, many lists.

Adopting a county's submission places it in a city channel; an editor may share an
article into other channels (the article list's 同时发布到其他栏目). The article keeps
its own channel for its breadcrumb where that channel is shown; channel lists, feeds
and sitemaps include the articles placed in them (``ArticleQuerySet.in_channel``).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Placement(models.Model):
    article = models.ForeignKey(
        "articles.Article", verbose_name="文章", on_delete=models.CASCADE, related_name="placements"
    )
    channel = models.ForeignKey(
        "articles.Channel", verbose_name="栏目", on_delete=models.CASCADE, related_name="placements"
    )
    placed_at = models.DateTimeField("时间", default=timezone.now)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["placed_at", "id"]
        verbose_name = "同时发布的栏目"
        verbose_name_plural = "同时发布的栏目"
        constraints = [
            models.UniqueConstraint(fields=["article", "channel"], name="placement_once"),
        ]
        indexes = [models.Index(fields=["channel", "article"], name="placement_channel")]

    def __str__(self):
        return f"{self.article_id} → {self.channel}"
