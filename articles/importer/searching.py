"""Site search during a big import: indexed once at the end, not batch by batch."""

import contextlib
import os

from django.db import connection

from articles.changes import articles_written
from articles.models import Article
from articles.search import receivers
from articles.search.index import rebuild

# articles/search/receivers.py connects its receiver under this uid.
SEARCH_RECEIVER = "search-articles-written"


@contextlib.contextmanager
def search_deferred(dry_run, progress):
    """Articles written inside are not indexed one batch at a time; once every batch is
    in, the whole index is brought up to date as ``rebuild_search_index`` does it:
    tokenized in several processes, and on PostgreSQL the GIN indexes built once after
    writing (articles/search/index.py ``gin_dropped``). A dry run indexes nothing."""
    articles_written.disconnect(dispatch_uid=SEARCH_RECEIVER)
    try:
        yield
    finally:
        receivers.connect()
    if dry_run:
        return
    with progress(None, "索引", total=Article.objects.count(), unit="篇") as bar:
        rebuild(
            batch_size=500,
            progress=bar.update,
            jobs=min(os.cpu_count() or 1, 4),
            full=connection.vendor == "postgresql",
        )
