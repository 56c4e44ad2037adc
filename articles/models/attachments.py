"""Files attached to an article (附件): listed under its body, kept after it is deleted
until the retention period has passed and no revision links them
(articles/ops/management/commands/clean_attachments.py)."""

from urllib.parse import unquote, urlsplit

import reversion
from django.conf import settings
from django.db import models
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone

from articles import richtext
from articles.attachments import KINDS, AttachmentPath, extension, size_label, validate_attachment
from articles.models.articles import Article


@reversion.register()
class Attachment(models.Model):
    article = models.ForeignKey(
        Article,
        verbose_name="文章",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="attachments",
    )
    file = models.FileField(
        "文件",
        upload_to=AttachmentPath(),
        max_length=255,
        validators=[validate_attachment],
        help_text="PDF、Word、Excel、WPS、OFD、zip 或 MP4 视频。",
    )
    name = models.CharField(
        "显示名称", max_length=200, blank=True, help_text="留空时用上传的文件名。"
    )
    kind = models.CharField("类型", max_length=8, editable=False)
    size = models.PositiveBigIntegerField("大小（字节）", default=0, editable=False)
    position = models.PositiveIntegerField("排序", default=0)
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    # When its article was deleted: the retention period counts from here.
    detached_at = models.DateTimeField("脱离文章时间", null=True, blank=True, editable=False)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = "附件"
        verbose_name_plural = "附件"

    def __str__(self):
        return self.display_name

    def save(self, *args, **kwargs):
        if self.file and not self.file._committed:
            upload = self.file
            self.kind = extension(upload.name)
            self.size = upload.size
            if not self.name.strip():
                self.name = upload.name.replace("\\", "/").rsplit("/", 1)[-1]
        if self.article_id:
            self.detached_at = None
        super().save(*args, **kwargs)

    @property
    def display_name(self):
        """The name readers see, always ending in its real extension."""
        name = self.name.strip() or "附件"
        return name if extension(name) == self.kind else f"{name}.{self.kind}"

    @property
    def info(self):
        return KINDS.get(self.kind)

    @property
    def type_label(self):
        return self.info.label if self.info else self.kind

    @property
    def size_label(self):
        return size_label(self.size)

    @property
    def is_video(self):
        return self.kind == "mp4"


def claim_linked(article):
    """Files uploaded from the editor's link dialog belong to no article until one that
    links them is saved: then they are its attachments (and listed under its body)."""
    media = urlsplit(settings.MEDIA_URL).path
    folder = f"{media.rstrip('/')}/attachments/"
    names = [
        unquote(path[len(media.rstrip("/")) + 1 :])
        for path in (urlsplit(href).path for href in richtext.links(article.body))
        if path.startswith(folder)
    ]
    if names:
        Attachment.objects.filter(article__isnull=True, file__in=names).update(
            article=article, detached_at=None
        )


@receiver(post_delete, sender=Article, dispatch_uid="attachments-detached")
def _detached(sender, instance, **kwargs):
    # The delete has set their article to NULL: the retention period starts now.
    Attachment.objects.filter(article__isnull=True, detached_at__isnull=True).update(
        detached_at=timezone.now()
    )
