from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.importer.phpcms.connection import SourceError, connect
from articles.importer.run import Import


class Command(BaseCommand):
    help = (
        "Import a PHPCMS v9 site (sites, channels, sources, articles, images, old "
        "addresses) from its MySQL/MariaDB database. Run it again to bring over what "
        "the old site published since: nothing is duplicated. docs/importing.md"
    )

    def add_arguments(self, parser):
        parser.add_argument("database", help="mysql://user:password@host:port/database")
        parser.add_argument("--prefix", help="Table prefix (detected when absent; usually v9_).")
        parser.add_argument("--uploads", help="The old site's uploadfile folder, to copy images.")
        parser.add_argument(
            "--site", type=int, action="append", help="Import only this PHPCMS siteid (repeatable)."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Read and check everything, write nothing."
        )
        parser.add_argument(
            "--report",
            default="phpcms-import-report.txt",
            help="Where the report is also written (default: %(default)s).",
        )

    def handle(self, *args, database, prefix, uploads, site, dry_run, report, verbosity, **kw):
        if uploads and not Path(uploads).is_dir():
            raise CommandError(f"--uploads {uploads} is not a folder")
        try:
            db = connect(database)
        except SourceError as exc:
            raise CommandError(str(exc)) from exc
        try:
            result = Import(
                db,
                prefix=prefix,
                uploads=uploads,
                sites=site,
                dry_run=dry_run,
                quiet=verbosity < 1,
                out=self.stderr,
            ).run()
        except SourceError as exc:
            raise CommandError(str(exc)) from exc
        finally:
            db.close()
        text = result.text()
        if report:
            Path(report).write_text(text, encoding="utf-8")
        if verbosity:
            self.stdout.write(text)
