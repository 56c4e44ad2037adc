"""The article form as a person reads it when they may not change it (a submitted
article for its editor, a published one for anyone but a reviewer).

Django's admin shows a read-only field by its value as text: the body would show as
its HTML source. Here it shows rendered, as readers will see it.
"""

from django.contrib import admin
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from articles.sanitize import sanitize_html

# The form's field → what a read-only form shows in its place.
SHOWN_INSTEAD = {"body": "body_as_read"}


class ReadOnlyArticleMixin:
    """For the article ModelAdmin: fields swapped for readable ones on a read-only form."""

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        return [
            (name, {**opts, "fields": [SHOWN_INSTEAD.get(f, f) for f in opts["fields"]]})
            for name, opts in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), *SHOWN_INSTEAD.values()]

    @admin.display(description="正文")
    def body_as_read(self, obj):
        # Cleaned again, though saved clean: this is the admin's own page.
        return format_html(
            '<div class="body-as-read">{}</div>', mark_safe(sanitize_html(obj.body or ""))
        )
