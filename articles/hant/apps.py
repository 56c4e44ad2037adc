from django.apps import AppConfig


class HantConfig(AppConfig):
    """The 繁體 version: OpenCC conversion, link rewriting, phrase corrections."""

    name = "articles.hant"
    label = "hant"
    verbose_name = "繁体版"

    def ready(self):
        from articles.hant import conversion, corrections  # noqa: F401 (registers the check)

        # Phrase corrections take effect at once.
        corrections.connect_signals()
