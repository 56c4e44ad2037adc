from django.apps import AppConfig


class ImporterConfig(AppConfig):
    """Bringing a newsroom's archive over from PHPCMS v9, and keeping its old addresses.

    The top layer: it writes channels, sources and articles through their own write
    paths, and answers the old site's addresses with a 301 to the new ones.
    """

    name = "articles.importer"
    label = "importer"
    verbose_name = "数据导入"
    default_auto_field = "django.db.models.BigAutoField"
