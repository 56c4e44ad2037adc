from django.conf import settings
from django.core.management.base import BaseCommand

from articles.ops.retention import clean_attachments


class Command(BaseCommand):
    help = (
        "Remove the attached files of articles deleted more than "
        "QINGLIAN_ATTACHMENT_RETENTION_DAYS days ago (and files taken off an article), "
        "unless a saved revision still links them. Meant for a daily timer."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be removed, remove nothing."
        )

    def handle(self, *args, dry_run=False, verbosity=1, **options):
        removed = clean_attachments(dry_run=dry_run)
        if verbosity >= 2:
            for name in removed:
                self.stdout.write(f"  {name}")
        if verbosity:
            days = settings.QINGLIAN_ATTACHMENT_RETENTION_DAYS
            verb = "Would remove" if dry_run else "Removed"
            self.stdout.write(f"{verb} {len(removed)} attached file(s) kept over {days} day(s).")
