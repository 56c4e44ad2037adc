"""The 管理员 group sees and lifts login locks (django-axes' records in the admin)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ADMINISTRATOR = "管理员"
LOCK_PERMISSIONS = [
    f"{action}_{model}"
    for model in ("accessattempt", "accessfailurelog", "accesslog")
    for action in ("view", "delete")
]


def _lock_permissions(apps):
    # Permissions are normally created after the whole migrate run; the group needs
    # django-axes' now.
    app_config = apps.get_app_config("axes")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    return apps.get_model("auth", "Permission").objects.filter(
        content_type__app_label="axes", codename__in=LOCK_PERMISSIONS
    )


def grant(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name=ADMINISTRATOR).first()
    if group is not None:
        group.permissions.add(*_lock_permissions(apps))


def revoke(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name=ADMINISTRATOR).first()
    if group is not None:
        group.permissions.remove(*_lock_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0009_search_channel_tokens"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
