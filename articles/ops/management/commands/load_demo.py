from django.core.management.base import BaseCommand
from django.db import transaction

from articles.ops.demo.loader import DemoLoad, DemoLoader, refusal


class Command(BaseCommand):
    help = (
        "Load the demo site: the channel tree, sources, demo articles, friendly links and "
        "site settings. Only into a site without content of its own, and only once: "
        "running it again changes nothing."
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
            reason = refusal()
            if reason:
                if not dry_run and not DemoLoad.objects.exists():
                    # The site had content of its own: deleting all of it later does not
                    # make room for the demo either.
                    DemoLoad.objects.create(created=0)
                if verbosity:
                    self.stdout.write(f"Demo content: not loaded, {reason}.")
                return
            created = DemoLoader(log=log, dry_run=dry_run).run()
            if dry_run:
                transaction.set_rollback(True)
        if verbosity:
            if dry_run:
                self.stdout.write(
                    self.style.SUCCESS(f"Demo content: would create {created} object(s).")
                )
            else:
                self.stdout.write(
                    self.style.SUCCESS(
                        f"Demo content: created {created} object(s). It is loaded this once "
                        "only: what you delete or change later stays that way."
                    )
                )
