"""The freshness limits of the inspection checklist, and who may use the inspections.

Limits (days without a new article): news-type channels two weeks; notices, policy
documents and their interpretations six months; personnel, planning and disclosure a
year. Types the checklist sets no limit for are only checked for being empty.
管理员 gets every permission of the app; 审核 may confirm a severe wording hit before
publishing. Reviewers can be given the dashboard by hand (可以查看网站检查总览).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

LIMITS = {
    "工作动态": 14,
    "通知公告": 180,
    "政策文件": 180,
    "政策解读": 180,
    "回应关切": 180,
    "人事信息": 365,
    "数据发布": 365,
    "信息公开": 365,
    "概况信息": None,
    "机构职能": None,
    "负责人信息": None,
    "办事服务": None,
    "互动交流": None,
    "专题专栏": None,
    "其他": None,
}


def add_limits(apps, schema_editor):
    FreshnessLimit = apps.get_model("inspections", "FreshnessLimit")
    for column_type, days in LIMITS.items():
        FreshnessLimit.objects.get_or_create(column_type=column_type, defaults={"days": days})


def grant(apps, schema_editor):
    app_config = apps.get_app_config("inspections")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ours = Permission.objects.filter(content_type__app_label="inspections")
    administrator = Group.objects.filter(name="管理员").first()
    if administrator is not None:
        administrator.permissions.add(*ours)
    reviewer = Group.objects.filter(name="审核").first()
    if reviewer is not None:
        reviewer.permissions.add(*ours.filter(codename="confirm_wording"))


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0001_inspections_tables"),
        ("articles", "0004_workflow_roles"),
    ]

    operations = [
        migrations.RunPython(add_limits, migrations.RunPython.noop),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
