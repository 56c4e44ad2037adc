"""The one place where the rich-text editor is chosen.

Swapping CKEditor for another editor means changing ``editor_widget`` only; the
sanitizing on save stays whatever the editor.
"""

from ckeditor_uploader.widgets import CKEditorUploadingWidget
from django.db import models

from articles.sanitize import sanitize_html


class SanitizedHTML(str):
    """HTML already reduced to the allow-list, so that a save cleans it once: whatever
    is done to it (``+``, slicing, formatting) gives a plain ``str``, cleaned again."""


def sanitized(value):
    """``value`` reduced to the allow-list, unless it already is."""
    if isinstance(value, SanitizedHTML):
        return value
    return SanitizedHTML(sanitize_html(value))


def editor_widget():
    return CKEditorUploadingWidget(config_name="default")


class RichTextField(models.TextField):
    """HTML edited in the rich-text editor and reduced to the allow-list on save."""

    def pre_save(self, model_instance, add):
        # (Article.prepare_for_save() has cleaned it already: not cleaned twice.)
        value = sanitized(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return str(value)

    def formfield(self, **kwargs):
        # The admin maps every TextField to a plain textarea; the editor wins.
        kwargs["widget"] = editor_widget()
        return super().formfield(**kwargs)
