from django.apps import AppConfig
from django.templatetags.static import static
from django.utils.html import format_html

ICONS = {True: ("yes", "是"), False: ("no", "否"), None: ("unknown", "未知")}


def boolean_icon(value):
    """Django's yes/no icon for a true/false value, described in Chinese: Django's own
    gives it the alternative text "True" or "False", which no catalogue translates."""
    name, word = ICONS[value]
    return format_html('<img src="{}" alt="{}">', static(f"admin/img/icon-{name}.svg"), word)


class EditorialConfig(AppConfig):
    """The editors' desk: workflow, revisions, the admin's forms and buttons, the audit
    trail and the editor's image upload."""

    name = "articles.editorial"
    label = "editorial"
    verbose_name = "编辑部"

    def ready(self):
        from django.contrib.admin.templatetags import admin_list

        # Looked up by name wherever the admin shows a true/false value (the lists,
        # read-only fields), so every admin page says 是 or 否.
        admin_list._boolean_icon = boolean_icon

        from articles.editorial import demo_sites
        from articles.ops.demo.loader import demo_loaded

        demo_loaded.connect(demo_sites.load, weak=False, dispatch_uid="demo-site-group")
