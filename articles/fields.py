"""The one place where the rich-text editor is chosen.

Swapping CKEditor for another editor means changing ``editor_widget`` only; the
sanitizing on save stays whatever the editor.
"""

from ckeditor_uploader.widgets import CKEditorUploadingWidget
from django.db import models

from articles.sanitize import sanitize_html


def editor_widget():
    return CKEditorUploadingWidget(config_name="default")


class RichTextField(models.TextField):
    """HTML edited in the rich-text editor and reduced to the allow-list on save."""

    def pre_save(self, model_instance, add):
        value = sanitize_html(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value

    def formfield(self, **kwargs):
        # The admin maps every TextField to a plain textarea; the editor wins.
        kwargs["widget"] = editor_widget()
        return super().formfield(**kwargs)
