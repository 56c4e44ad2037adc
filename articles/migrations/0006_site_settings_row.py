from django.db import migrations


def create_row(apps, schema_editor):
    # The one settings row exists from the start, so that reading it never writes.
    SiteSettings = apps.get_model("articles", "SiteSettings")
    SiteSettings.objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("articles", "0005_search_index")]

    operations = [migrations.RunPython(create_row, migrations.RunPython.noop)]
