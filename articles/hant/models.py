from django.core.exceptions import ValidationError
from django.db import models

from articles.sanitize import clean_text_fields


class PhraseCorrection(models.Model):
    """A phrase OpenCC converts wrongly, and the Traditional form the site wants instead."""

    simplified = models.CharField(
        "简体词语",
        max_length=50,
        unique=True,
        help_text="正文等内容中出现的简体写法，如“监察干部”。",
    )
    traditional = models.CharField(
        "繁体写法",
        max_length=50,
        help_text="繁体版中要显示的写法，如“監察幹部”。保存后所有含此词语的页面立即生效。",
    )
    note = models.CharField("说明", max_length=200, blank=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        # Kept in the content app's tables, migrations and backups.
        app_label = "articles"
        ordering = ["simplified"]
        verbose_name = "繁体校正"
        verbose_name_plural = "繁体校正"

    def __str__(self):
        return f"{self.simplified} → {self.traditional}"

    def save(self, *args, **kwargs):
        clean_text_fields(self)
        super().save(*args, **kwargs)

    def clean(self):
        self.simplified = self.simplified.strip()
        self.traditional = self.traditional.strip()
        errors = {}
        for field in ("simplified", "traditional"):
            value = getattr(self, field)
            if not value:
                errors[field] = "不能为空。"
            elif any(ch in value for ch in "<>&\"'"):
                # Corrections are put into HTML text; markup has no place in them.
                errors[field] = "不能包含 < > & \" ' 这些符号。"
        if errors:
            raise ValidationError(errors)
