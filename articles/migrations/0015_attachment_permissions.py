"""编辑, 审核 and 管理员 may add, change and remove attached files (附件) on the article
form, as they do related articles."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = ["编辑", "审核", "管理员"]
CODENAMES = ["add_attachment", "change_attachment", "delete_attachment", "view_attachment"]


def _permissions(apps):
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(content_type__app_label="articles", codename__in=CODENAMES)


def let_roles_attach_files(apps, schema_editor):
    # Permissions are normally created after the whole migrate run; the groups need them now.
    app_config = apps.get_app_config("articles")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=ROLES):
        group.permissions.add(*_permissions(apps))


def take_back(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=ROLES):
        group.permissions.remove(*_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0014_attachments"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(let_roles_attach_files, take_back),
    ]
