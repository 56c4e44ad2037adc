"""The 管理员 group manages the site's furniture: friendly links, the site settings and
the 繁體 phrase corrections. Migration 0004 gave the group the permissions that existed
then; these models' came later, so an administrator could not add a friendly link."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ADMINISTRATOR = "管理员"
MODELS = ["friendlylink", "sitesettings", "phrasecorrection"]


def _permissions(apps):
    # Permissions are normally created after the whole migrate run; the group needs them now.
    app_config = apps.get_app_config("articles")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    return apps.get_model("auth", "Permission").objects.filter(
        content_type__app_label="articles", content_type__model__in=MODELS
    )


def grant(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name=ADMINISTRATOR).first()
    if group is not None:
        group.permissions.add(*_permissions(apps))


def revoke(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name=ADMINISTRATOR).first()
    if group is not None:
        group.permissions.remove(*_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [("articles", "0018_site_settings_reporting")]

    operations = [migrations.RunPython(grant, revoke)]
