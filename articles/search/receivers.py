"""What re-indexes on a write: articles written (one save or one bulk write), a source
renamed.

Deleting an article deletes its SearchDocument (CASCADE), and with it, through the
triggers on SQLite, its FTS5 rows: nothing to listen to there.
"""

from django.db.models.signals import post_save, pre_save

from articles.changes import articles_written
from articles.models import Source
from articles.search.index import index_articles


def _articles_written(sender, ids, **kwargs):
    """The articles of one save or one bulk write, indexed in one batch (fixtures and
    restores announce nothing: rebuild_search_index follows them)."""
    index_articles(ids)


def _source_saving(sender, instance, raw=False, **kwargs):
    if not raw and instance.pk:
        instance._search_old_name = (
            Source.objects.filter(pk=instance.pk).values_list("name", flat=True).first()
        )


def _source_saved(sender, instance, raw=False, created=False, **kwargs):
    """A renamed source: its articles are found by the new name, not the old one."""
    if raw or created or getattr(instance, "_search_old_name", instance.name) == instance.name:
        return
    ids = list(instance.articles.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), 500):
        index_articles(ids[start : start + 500])


def connect():
    articles_written.connect(_articles_written, dispatch_uid="search-articles-written")
    pre_save.connect(_source_saving, sender=Source, dispatch_uid="search-source-saving")
    post_save.connect(_source_saved, sender=Source, dispatch_uid="search-source-saved")
