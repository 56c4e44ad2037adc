"""Starts Django for a benchmark that measures pages and queries in-process."""

import os
import tempfile


def start(database_url, **environ):
    """Django on the benchmark's database as production serves pages: DEBUG off (no SQL
    kept for the debug page), no Redis (the benchmark never touches the site's cache),
    uploads in a folder of their own; the database migrated. ``environ`` adds settings'
    environment variables the caller needs, unless already set."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.pop("REDIS_URL", None)
    os.environ["MEDIA_ROOT"] = tempfile.mkdtemp(prefix="qinglian_bench_media_")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qinglian.settings.dev")
    for name, value in environ.items():
        os.environ.setdefault(name, value)

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    settings.DEBUG = False
    print(f"数据库：{connection.vendor} {connection.settings_dict['NAME']}")
    call_command("migrate", verbosity=0)
