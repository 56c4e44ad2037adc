from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from articles.caching import freshness
from articles.hant import corrections as hant
from articles.ops import backup


class Command(BaseCommand):
    help = (
        "Restore a backup made by backup_site into this installation: checks every file "
        "in the archive against its checksum, applies migrations, loads the content in one "
        "transaction, copies the media files back and rebuilds the search index. Refuses "
        "an installation that already has content unless --force is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The archive written by backup_site.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace the content of an installation that is not empty (all of it).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the archive and say what would be restored; change nothing.",
        )
        parser.add_argument("--database", default="default", help="Database to restore into.")

    def handle(self, *args, file, force, dry_run, database, verbosity=1, **options):
        try:
            archive = backup.open_backup(file)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        counts = archive.manifest["counts"]
        summary = (
            f"{counts.get('articles.article', 0)} article(s), "
            f"{counts.get('reversion.version', 0)} revision(s), "
            f"{sum(counts.values())} row(s) in all and {len(archive.media)} media file(s), "
            f"backed up {archive.manifest['created_at']}"
        )
        if dry_run:
            self.stdout.write(f"{file} is complete and intact: {summary}. Nothing changed.")
            return
        call_command("migrate", database=database, interactive=False, verbosity=0)
        existing = backup.existing_content(database)
        if existing and not force:
            held = ", ".join(f"{count} {label}" for label, count in existing.items())
            raise CommandError(
                f"This installation is not empty ({held}). Restore into an empty one, "
                "or give --force to replace everything in it."
            )

        def progress(name):
            if verbosity >= 2:
                self.stdout.write(f"  media/{name}")

        try:
            backup.restore(archive, using=database, progress=progress)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        backup.reindex(database)
        # Pages, the channel tree and phrase corrections held in the cache are stale now.
        hant.corrections_changed()
        freshness.bump()
        if verbosity:
            self.stdout.write(self.style.SUCCESS(f"Restored {summary}."))
