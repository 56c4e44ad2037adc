"""The page an admin action shows to ask for more (a reason, channels) before it acts."""

from django.contrib import admin
from django.template.response import TemplateResponse


class ActionFormMixin:
    def action_form_page(self, request, action_name, title, verb, items, form, intro=""):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
            "verb": verb,
            "intro": intro or f"所选的 {len(items)} 项：",
            "items": items,
            "form": form,
            "action_name": action_name,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/articles/action_form.html", context)
