"""Ids are never given twice, even across a restore.

``flush`` + ``loaddata`` leave each table's id sequence at the largest id loaded. Ids of
deleted rows live on elsewhere — an article's revisions (django-reversion keeps them so
that it can be recovered) and the audit trail — so a new article would take a deleted
one's id and inherit its history, its recoverable versions and its audit entries. After
a restore every sequence is moved beyond every id the data mentions.
"""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connections, models
from django.db.models.functions import Cast

AUTOMATIC = (models.AutoField, models.BigAutoField, models.SmallAutoField)
# Plain integer columns that hold an id of a model, as (model, its field), by label: the
# audit trail outlives the articles it names (articles/editorial/models.py).
ID_REFERENCES = {"articles.Article": [("articles.AuditEntry", "article_id")]}


def highest_id_mentioned(model, using):
    """The largest id of ``model`` in its table, its revisions or any ID_REFERENCES."""
    from reversion.models import Version

    highest = [model._base_manager.using(using).aggregate(top=models.Max("pk"))["top"]]
    content_type = ContentType.objects.db_manager(using).get_for_model(model)
    versions = Version.objects.using(using).filter(
        content_type=content_type, object_id__regex=r"^[0-9]+$"
    )
    highest.append(
        versions.aggregate(top=models.Max(Cast("object_id", models.BigIntegerField())))["top"]
    )
    for label, field in ID_REFERENCES.get(model._meta.label, []):
        referring = apps.get_model(label)._base_manager.using(using)
        highest.append(referring.aggregate(top=models.Max(field))["top"])
    return max((n for n in highest if n is not None), default=0)


def keep_beyond_mentioned_ids(model_list, using):
    """Move the id sequence of each model with an automatic id past every id mentioned."""
    connection = connections[using]
    with connection.cursor() as cursor:
        for model in model_list:
            if not isinstance(model._meta.pk, AUTOMATIC):
                continue
            highest = highest_id_mentioned(model, using)
            if highest:
                _advance(connection, cursor, model._meta.db_table, model._meta.pk.column, highest)


def _advance(connection, cursor, table, column, highest):
    """The next id given in ``table`` will be above ``highest``, which is at least the
    table's own largest id."""
    if connection.vendor == "postgresql":
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence(%s, %s), %s)",
            [connection.ops.quote_name(table), column, highest],
        )
    elif connection.vendor == "sqlite":
        cursor.execute(
            "UPDATE sqlite_sequence SET seq = MAX(seq, %s) WHERE name = %s", [highest, table]
        )
        if cursor.rowcount == 0:
            cursor.execute(
                "INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, highest]
            )
