import contextlib
import importlib

from django.db import migrations

GIN_INDEXES = {
    "articles_search_title_gin": "title_vector",
    "articles_search_vector_gin": "vector",
}


@contextlib.contextmanager
def gin_dropped(conn):
    """PostgreSQL: the GIN indexes dropped while documents are written, built afresh
    after (a frozen copy of articles.search.index.gin_dropped)."""
    if conn.vendor != "postgresql":
        yield
        return
    with conn.cursor() as cursor:
        for name in GIN_INDEXES:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")
    try:
        yield
    finally:
        with conn.cursor() as cursor:
            # Inside the migration's transaction the deferred foreign-key checks of the
            # rows written must run first: PostgreSQL builds no index over pending ones.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET maintenance_work_mem = '512MB'")
            for name, column in GIN_INDEXES.items():
                cursor.execute(
                    f"CREATE INDEX IF NOT EXISTS {name} ON articles_searchdocument "
                    f"USING gin ({column})"
                )
            cursor.execute("RESET maintenance_work_mem")


def reindex(apps, schema_editor):
    """Write every document again: the channel filter now looks up a channel token in
    the index, and longer words their trigrams. On a large site this takes minutes;
    ``manage.py rebuild_search_index --full --jobs N`` is the faster way, after
    ``migrate --fake articles 0009``. The rows are written as migration 0005 writes
    them (its frozen copy of the tokenizer)."""
    search_index = importlib.import_module("articles.migrations.0005_search_index")
    with gin_dropped(schema_editor.connection):
        search_index.index_existing_articles(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0008_article_page_indexes"),
    ]

    operations = [
        migrations.RunPython(reindex, migrations.RunPython.noop, elidable=True),
    ]
