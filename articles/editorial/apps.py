from django.apps import AppConfig


class EditorialConfig(AppConfig):
    """The editors' desk: workflow, revisions, the admin's forms and buttons, the audit
    trail and the editor's image upload."""

    name = "articles.editorial"
    label = "editorial"
    verbose_name = "编辑部"
