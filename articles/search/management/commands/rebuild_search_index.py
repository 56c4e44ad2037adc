import os

from django.core.management.base import BaseCommand
from django.db.models import Exists, OuterRef
from tqdm import tqdm

from articles.models import Article
from articles.search.index import rebuild
from articles.search.models import SearchDocument


class Command(BaseCommand):
    help = (
        "Rebuild the site-search index (站内搜索) from every article. Articles are indexed "
        "on every save and bulk_create already; run this after loading fixtures or a "
        "backup, after writing articles with raw SQL or QuerySet.update(), or after an "
        "upgrade that changes how text is tokenized."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size", type=int, default=500, help="Articles read and written at a time."
        )
        parser.add_argument(
            "--jobs",
            type=int,
            default=min(os.cpu_count() or 1, 4),
            help="Processes that tokenize while this one writes (1: none).",
        )
        parser.add_argument(
            "--full",
            action="store_true",
            help="Also re-read every document into SQLite's FTS5 index (mends a damaged "
            "one); on PostgreSQL, build the GIN indexes afresh after writing (faster when "
            "most documents change).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Say how many articles would be indexed."
        )

    def handle(self, *args, batch_size, jobs, full, dry_run, verbosity=1, **options):
        total = Article.objects.count()
        if dry_run:
            missing = Article.objects.filter(
                ~Exists(SearchDocument.objects.filter(article=OuterRef("pk")))
            ).count()
            self.stdout.write(
                f"Would index {total} article(s); {missing} of them are not in the index yet."
            )
            return
        with tqdm(
            total=total, unit="篇", desc="索引", disable=verbosity < 1, file=self.stderr
        ) as bar:
            done = rebuild(batch_size=max(batch_size, 1), progress=bar.update, jobs=jobs, full=full)
        if verbosity:
            self.stdout.write(self.style.SUCCESS(f"Indexed {done} article(s) for site search."))
