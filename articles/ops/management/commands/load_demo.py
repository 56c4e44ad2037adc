from django.core.management.base import BaseCommand
from django.db import transaction

from articles.ops.demo.loader import DemoLoader


class Command(BaseCommand):
    help = (
        "Load the demo site: the channel tree, sources, demo articles and site settings. "
        "Creates only what is missing, so it is safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would be created, write nothing."
        )

    def handle(self, *args, dry_run=False, verbosity=1, **options):
        def log(message):
            if verbosity >= 2:
                self.stdout.write(message)

        with transaction.atomic():
            created = DemoLoader(log=log, dry_run=dry_run).run()
            if dry_run:
                transaction.set_rollback(True)
        if verbosity:
            verb = "would create" if dry_run else "created"
            self.stdout.write(self.style.SUCCESS(f"Demo content: {verb} {created} object(s)."))
