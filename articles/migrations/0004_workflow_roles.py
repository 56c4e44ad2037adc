"""The three editorial roles as groups, with their permissions (see articles/workflow.py).

编辑 writes drafts and submits them; 审核 also publishes, schedules, rejects and takes
offline; 管理员 may do everything with the site's content, plus users and groups.
A user needs "工作人员状态" (is_staff) too, to log in to the admin at all.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR = "编辑"
REVIEWER = "审核"
ADMINISTRATOR = "管理员"

EDITOR_PERMISSIONS = [
    "add_article",
    "change_article",
    "view_article",
    "submit_article",
    # The related-articles rows are edited inline on the article form.
    "add_relatedarticle",
    "change_relatedarticle",
    "delete_relatedarticle",
    "view_relatedarticle",
    # Picking a channel and a source (the source picker searches the source list).
    "view_channel",
    "view_source",
]
REVIEWER_PERMISSIONS = [
    *EDITOR_PERMISSIONS,
    "publish_article",
    "reject_article",
    "unpublish_article",
]


def create_roles(apps, schema_editor):
    # Permissions are normally created after the whole migrate run; the groups need
    # them now, including this app's custom ones.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ours = Permission.objects.filter(content_type__app_label="articles")

    editor, _ = Group.objects.get_or_create(name=EDITOR)
    editor.permissions.add(*ours.filter(codename__in=EDITOR_PERMISSIONS))
    reviewer, _ = Group.objects.get_or_create(name=REVIEWER)
    reviewer.permissions.add(*ours.filter(codename__in=REVIEWER_PERMISSIONS))
    administrator, _ = Group.objects.get_or_create(name=ADMINISTRATOR)
    administrator.permissions.add(
        # The audit trail is read, never written by hand.
        *ours.exclude(codename__in=["add_auditentry", "change_auditentry", "delete_auditentry"]),
        *Permission.objects.filter(
            content_type__app_label="auth", content_type__model__in=["user", "group"]
        ),
    )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(
        name__in=[EDITOR, REVIEWER, ADMINISTRATOR]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0003_workflow"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(create_roles, remove_roles),
    ]
