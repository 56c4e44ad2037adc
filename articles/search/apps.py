from django.apps import AppConfig


class SearchConfig(AppConfig):
    """Site search: tokens, the index on SQLite (FTS5) or PostgreSQL (GIN), results."""

    name = "articles.search"
    label = "search"
    verbose_name = "站内搜索"

    def ready(self):
        from articles.search import receivers

        # Every write of an article re-indexes it for site search.
        receivers.connect()
