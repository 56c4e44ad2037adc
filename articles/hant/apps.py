from django.apps import AppConfig


class HantConfig(AppConfig):
    """The 繁體 version: OpenCC conversion, link rewriting, phrase corrections."""

    name = "articles.hant"
    label = "hant"
    verbose_name = "繁体版"

    def ready(self):
        from articles.hant import convert

        # Phrase corrections take effect at once.
        convert.connect_signals()
