"""Column types get their Chinese names as labels (they showed as "Work News"), and the
编辑 and 审核 groups may add a 来源 from the article form (issue 15 #4, #15)."""

from django.db import migrations, models

ROLES = ["编辑", "审核"]


def let_editors_add_sources(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    add_source = Permission.objects.filter(
        content_type__app_label="articles", codename="add_source"
    ).first()
    if add_source is None:
        # Permissions are created by 0004; a database migrated without them has no roles.
        return
    for group in Group.objects.filter(name__in=ROLES):
        group.permissions.add(add_source)


def take_back(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name__in=ROLES):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="articles", codename="add_source")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0010_administrators_lift_login_locks"),
    ]

    operations = [
        migrations.AlterField(
            model_name="channel",
            name="column_type",
            field=models.CharField(
                choices=[
                    ("概况信息", "概况信息"),
                    ("机构职能", "机构职能"),
                    ("负责人信息", "负责人信息"),
                    ("工作动态", "工作动态"),
                    ("通知公告", "通知公告"),
                    ("政策文件", "政策文件"),
                    ("政策解读", "政策解读"),
                    ("回应关切", "回应关切"),
                    ("信息公开", "信息公开"),
                    ("人事信息", "人事信息"),
                    ("数据发布", "数据发布"),
                    ("办事服务", "办事服务"),
                    ("互动交流", "互动交流"),
                    ("专题专栏", "专题专栏"),
                    ("其他", "其他"),
                ],
                default="工作动态",
                help_text="按政府网站栏目分类选择，写入栏目页的 ColumnType 标签。",
                max_length=20,
                verbose_name="栏目类型",
            ),
        ),
        migrations.RunPython(let_editors_add_sources, take_back),
    ]
