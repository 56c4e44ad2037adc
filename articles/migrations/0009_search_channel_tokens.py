import importlib

from django.db import migrations


def reindex(apps, schema_editor):
    """Write every document again: the channel filter now looks up a channel token in
    the index, and PostgreSQL longer words' trigrams (articles/search.py). On a large
    site this takes minutes; ``manage.py rebuild_search_index --full --jobs N`` is the
    faster way, after ``migrate --fake articles 0009``."""
    from articles.search.engine import gin_dropped

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
