from django.core.management.base import BaseCommand, CommandError

from articles.ops import backup


class Command(BaseCommand):
    help = (
        "Back up the whole site into one zip file: the database content (users, channels, "
        "sources, articles, settings, revisions, audit trail) read from one consistent "
        "snapshot, every uploaded image, and a manifest with row counts and checksums. "
        "Restore it with restore_site."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The archive to write, e.g. qinglian-20261125.zip.")
        parser.add_argument("--database", default="default", help="Database to back up.")

    def handle(self, *args, file, database, verbosity=1, **options):
        def progress(name):
            if verbosity >= 2:
                self.stdout.write(f"  media/{name}")

        try:
            manifest = backup.backup(file, using=database, progress=progress)
        except OSError as exc:
            raise CommandError(f"Could not write {file}: {exc}") from exc
        if verbosity:
            media = sum(1 for name in manifest["files"] if name.startswith(backup.MEDIA))
            counts = manifest["counts"]
            self.stdout.write(
                self.style.SUCCESS(
                    f"Backed up {counts.get('articles.article', 0)} article(s), "
                    f"{counts.get('reversion.version', 0)} revision(s), "
                    f"{sum(counts.values())} row(s) in all and {media} media file(s) to {file}."
                )
            )
