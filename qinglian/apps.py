from django.apps import AppConfig
from django.contrib.staticfiles import apps as staticfiles


class QinglianConfig(AppConfig):
    """The project itself, as an app only so that its system checks run (checks.py)."""

    default = True  # apps.py also holds StaticFilesConfig below
    name = "qinglian"
    verbose_name = "清廉"

    def ready(self):
        from qinglian import checks  # noqa: F401 (registers them)


class StaticFilesConfig(staticfiles.StaticFilesConfig):
    """collectstatic without the pages django-ckeditor ships from CKEditor 4's sources:
    its manual tests, samples and the spell checker's dialog pages are not part of the
    editor and have no business on a production host."""

    ignore_patterns = [
        *staticfiles.StaticFilesConfig.ignore_patterns,
        # Matched against each file's whole path ("*" spans folders).
        "ckeditor/ckeditor/samples/*",
        "ckeditor/ckeditor/plugins/*/tests/*",
        "ckeditor/ckeditor/plugins/*/samples/*",
        "ckeditor/ckeditor/plugins/wsc/dialogs/*.html",
    ]
