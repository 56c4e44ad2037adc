"""Attachments (附件) on the article form: one row per file, checked by content on upload
(articles/attachments.py) and listed under the body in this order."""

from django import forms
from django.contrib import admin

from articles.attachments import ACCEPT_ATTRIBUTE, ACCEPTED
from articles.models import Attachment


class AttachmentForm(forms.ModelForm):
    class Meta:
        model = Attachment
        fields = ["file", "name", "position"]
        widgets = {"file": forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE})}


class AttachmentInline(admin.TabularInline):
    model = Attachment
    form = AttachmentForm
    fk_name = "article"
    fields = ["file", "name", "type_and_size", "position"]
    readonly_fields = ["type_and_size"]
    extra = 1
    verbose_name = "附件"
    verbose_name_plural = f"附件（{ACCEPTED}；在正文下方按排序数字从小到大列出）"

    @admin.display(description="类型和大小")
    def type_and_size(self, obj):
        if not obj or not obj.pk:
            return "—"
        return f"{obj.type_label}，{obj.size_label}"
