from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    """What government-website inspections fail a site for, found before the inspectors:
    stale and empty channels, wording errors, dead links, publication times that do not
    match reality; and the figures of the annual report.

    The top layer: it reads the content, the audit trail and the revisions, and nothing
    but the settings and the admin imports it.
    """

    name = "articles.inspections"
    label = "inspections"
    verbose_name = "网站检查"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from articles.inspections import times

        times.connect_signals()
