"""Go over the saved history of every article for publication times that do not match
reality (articles/inspections/times.py). New saves are checked as they happen; this
finds what was saved before the check existed. Reads the history, writes only flags."""

from django.core.management.base import BaseCommand
from django.db.models import BigIntegerField
from django.db.models.functions import Cast
from reversion.models import Version
from tqdm import tqdm

from articles.inspections import times
from articles.inspections.models import CheckRun, TimeFlag
from articles.models import Article


class Command(BaseCommand):
    help = "检查全部文章的修改历史，找出发布后被改早或早于创建时间的发布时间。"

    def handle(self, *args, verbosity=1, **options):
        ids = sorted(
            set(
                Version.objects.get_for_model(Article)
                .annotate(article=Cast("object_id", BigIntegerField()))
                .values_list("article", flat=True)
            )
        )
        new = 0
        for article_id in tqdm(ids, desc="检查文章历史", unit="篇", disable=verbosity < 1):
            new += times.record(article_id)
        total = TimeFlag.objects.count()
        summary = f"检查 {len(ids)} 篇文章的历史，发布时间异常 {total} 处（本次新发现 {new} 处）"
        CheckRun.objects.create(kind=CheckRun.Kind.TIMES, summary=summary)
        if verbosity >= 1:
            self.stdout.write(summary + "。")
