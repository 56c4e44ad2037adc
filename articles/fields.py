"""The one place where the rich-text editor is chosen.

Swapping CKEditor for another editor means changing ``editor_widget`` only; the
sanitizing on save stays whatever the editor.
"""

from ckeditor_uploader.widgets import CKEditorUploadingWidget
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
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


class WebAddressValidator(URLValidator):
    """A web address readers may be sent to: http or https, nothing a browser would run
    (``javascript:``) or show from inside the link (``data:``)."""

    schemes = ["http", "https"]
    message = (
        "请填写以 http:// 或 https:// 开头的完整网址，例如 https://www.example.gov.cn/tzgg/1.html；"
        "javascript:、data: 等其他类型的链接不能使用。"
    )


class WebAddressFormField(forms.URLField):
    default_validators = [WebAddressValidator()]
    # A form field's own message for the code "invalid" replaces its validators'.
    default_error_messages = {"invalid": WebAddressValidator.message}


class WebAddressField(models.URLField):
    """A link to another site, checked as an http(s) address in forms and ``full_clean``."""

    default_validators = [WebAddressValidator()]

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": WebAddressFormField, **kwargs})


def is_web_address(value):
    """Whether ``value`` is an http(s) address (for values that reached the database
    without a form: an import, a restore)."""
    try:
        WebAddressValidator()(value)
    except ValidationError:
        return False
    return True
