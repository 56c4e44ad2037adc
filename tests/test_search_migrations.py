"""The search migrations build the index that live code writes, without importing it.

Migrations 0005 (the index) and 0009 (every document again, with channel and
three-character tokens) carry frozen copies of the tokenizer and the index writer.
Here a database is taken back to before search existed, articles are written there,
and it is migrated forward again: each migration's rows must be the rows
``articles.search.index`` writes for the same articles today. When this fails after a
change of the tokenizer, that change needs a migration of its own (or a release note
asking for ``rebuild_search_index``), not an edit of the old migrations.
"""

import ast
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from articles.search.index import Entry

# serialized_rollback: the database's first rows (content types, permissions) come back
# with their ids, as the backup tests that follow expect.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

MIGRATIONS = Path(__file__).resolve().parent.parent / "articles" / "migrations"
BEFORE_SEARCH = ("articles", "0004_workflow_roles")
SEARCH_INDEX = ("articles", "0005_search_index")
CHANNEL_TOKENS = ("articles", "0009_search_channel_tokens")

BODIES = [
    # Block and inline tags, an entity, a caption, full-width and Traditional text.
    "<p>\u3000\u3000纪委监委<strong>开展</strong>“双减”监督检查&amp;回访。</p>"
    "<figure><img src='/a.jpg' alt=''><figcaption>图为檢查現場</figcaption></figure>"
    "<p>举报电话１２３８８，Ｇ20 峰会。<br>餐具消毒<br>等关键环节</p>",
    "<ul><li>一</li><li>双减</li></ul><table><tr><td>減負</td><td>g20</td></tr></table>",
    "",
]


def migrate(*targets):
    """Migrate the test database to ``targets``; the historical apps there."""
    executor = MigrationExecutor(connection)
    executor.migrate(list(targets))
    return MigrationExecutor(connection).loader.project_state(list(targets)).apps


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def write_articles(apps):
    """Articles as an installation before search had them, written around any signal."""
    Channel = apps.get_model("articles", "Channel")
    Source = apps.get_model("articles", "Source")
    Article = apps.get_model("articles", "Article")
    channel = Channel.objects.create(name="工作动态", slug="gongzuo")
    source = Source.objects.create(name="秀峰區紀委監委")
    published = datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)
    return [
        Article.objects.create(
            title=f"七星區：跟進監督 ＡＢＣ{n}",
            summary="“雙減”政策落實" if n else "",
            body=body,
            author="通讯员 李明" if n else "",
            channel=channel,
            source=source if n != 1 else None,
            status="published",
            published_at=published,
        )
        for n, body in enumerate(BODIES)
    ]


def live_rows(articles):
    """What articles.search.index writes today for ``articles`` (historical instances)."""
    return {
        a.pk: Entry(
            a.pk,
            a.published_at,
            a.title,
            a.summary,
            a.body,
            a.source.name if a.source_id else "",
            a.author,
            a.channel_id,
        ).row()
        for a in articles
    }


def stored_rows():
    """The index as stored, in the shape of ``Entry.row`` (PostgreSQL: its vectors)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT article_id, rank_key, title_vector::text, vector::text "
                "FROM articles_searchdocument"
            )
        else:
            cursor.execute(
                "SELECT article_id, rank_key, title_tokens, tokens FROM articles_searchdocument"
            )
        return {row[0]: row for row in cursor.fetchall()}


def as_stored(rows):
    """``rows`` as the database stores them (PostgreSQL turns tokens into vectors)."""
    if connection.vendor != "postgresql":
        return rows
    stored = {}
    with connection.cursor() as cursor:
        for pk, key, title, every in rows.values():
            cursor.execute(
                "SELECT to_tsvector('simple', %s)::text, to_tsvector('simple', %s)::text",
                [title, every],
            )
            stored[pk] = (pk, key, *cursor.fetchone())
    return stored


def test_search_migrations_write_what_live_code_writes():
    """Migrated to before search, given articles, migrated forward again: 0005 and 0009
    each leave the index live code would write for those articles."""
    try:
        apps = migrate(BEFORE_SEARCH)
        write_articles(apps)
        apps = migrate(SEARCH_INDEX)
        articles = apps.get_model("articles", "Article").objects.select_related("source")
        expected = as_stored(live_rows(articles))
        assert len(expected) == len(BODIES)
        assert stored_rows() == expected

        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM articles_searchdocument")
        migrate(CHANNEL_TOKENS)
        assert stored_rows() == expected
    finally:
        migrate(*latest())


def test_search_migrations_import_no_app_code():
    """0005 and 0009 import Django, the standard library and each other only: a later
    change of articles.search can never change what migrating does."""
    for name in (SEARCH_INDEX[1], CHANNEL_TOKENS[1]):
        tree = ast.parse((MIGRATIONS / f"{name}.py").read_text())
        imported = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                imported.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                imported.add(node.module)
        assert not {module for module in imported if module.startswith("articles")}, name
