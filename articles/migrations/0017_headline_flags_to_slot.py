"""The recommendation slots the home page knows, the 头条 flags moved into 首页头条, and
who may use them: pushing puts an article before readers, so 审核 (who may publish)
pushes and orders; 编辑 sees the slots; 管理员 also defines them."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

HEADLINES = "home-headlines"
SLOTS = [
    (HEADLINES, "首页头条", 5, "首页顶部：第一篇大图显示，其余列在旁边。"),
    ("home-carousel", "首页轮播", 5, "首页头条下方的图片新闻，按顺序排列。"),
    ("topics", "专题推荐", 6, "专题专栏的推荐文章。"),
]


def forward(apps, schema_editor):
    Slot = apps.get_model("articles", "Slot")
    SlotPlacement = apps.get_model("articles", "SlotPlacement")
    Article = apps.get_model("articles", "Article")
    for key, name, size, description in SLOTS:
        Slot.objects.get_or_create(
            key=key, defaults={"name": name, "size": size, "description": description}
        )
    slot = Slot.objects.get(key=HEADLINES)
    # The order the home page showed them in: pinned first, then newest.
    featured = Article.objects.filter(is_featured=True).order_by("-is_pinned", "-published_at", "-id")
    SlotPlacement.objects.bulk_create(
        [
            SlotPlacement(slot=slot, article_id=pk, position=position)
            for position, pk in enumerate(featured.values_list("pk", flat=True), start=1)
        ],
        ignore_conflicts=True,
    )


PUSHING = ["add_slotplacement", "change_slotplacement", "delete_slotplacement", "view_slotplacement", "view_slot"]
ROLES = {
    # Editors push too (issue 16: "editors push articles into slots"); a slot shows
    # only published articles, so a pushed draft waits for a reviewer's publishing.
    "编辑": PUSHING,
    "审核": PUSHING,
    "管理员": [*PUSHING, "add_slot", "change_slot", "delete_slot"],
}


def grant(apps, schema_editor):
    # Permissions are normally created after the whole migrate run (see 0004).
    config = apps.get_app_config("articles")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ours = Permission.objects.filter(content_type__app_label="articles")
    for group in Group.objects.filter(name__in=ROLES):
        group.permissions.add(*ours.filter(codename__in=ROLES[group.name]))


def take_back(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ours = Permission.objects.filter(content_type__app_label="articles")
    for group in Group.objects.filter(name__in=ROLES):
        group.permissions.remove(*ours.filter(codename__in=ROLES[group.name]))


def backward(apps, schema_editor):
    SlotPlacement = apps.get_model("articles", "SlotPlacement")
    Article = apps.get_model("articles", "Article")
    ids = SlotPlacement.objects.filter(slot__key=HEADLINES).values_list("article_id", flat=True)
    Article.objects.filter(pk__in=list(ids)).update(is_featured=True)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0016_listing_slots_weight_external_links"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(forward, backward),
        migrations.RunPython(grant, take_back),
    ]
