"""Check every published article for the wording errors listed under 网站检查 → 错敏词.

Reads the articles and changes none of them: the findings replace those of the last
run (the dashboard's list) and are printed, one line per hit with its context and fix.
Safe to run at any time, e.g. after changing the list or from a nightly timer.
"""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from tqdm import tqdm

from articles.inspections import wording
from articles.inspections.models import CheckRun, WordingFinding
from articles.models import Article

BATCH = 500


class Command(BaseCommand):
    help = "检查全部已发布文章中的错敏字，结果显示在网站检查总览中（不修改文章）。"

    def handle(self, *args, verbosity=1, **options):
        matcher = wording.Matcher()
        now = timezone.now()
        articles = Article.objects.published().only("pk", "title", "summary", "body")
        findings = []
        severe = 0
        with tqdm(total=articles.count(), desc="检查文章", unit="篇", disable=verbosity < 1) as bar:
            for article in articles.order_by("pk").iterator(chunk_size=BATCH):
                for hit in wording.wording_hits(article, matcher):
                    severe += hit.is_severe
                    findings.append(_finding(article, hit, now))
                    if verbosity >= 1:
                        bar.write(
                            f"#{article.pk}《{article.title}》{hit.field}：…{hit.before}"
                            f"【{hit.found}】{hit.after}… → {hit.rule.right}"
                            f"（{hit.rule.get_severity_display()}）"
                        )
                bar.update(1)
        summary = f"发现 {len(findings)} 处错敏字，其中严重 {severe} 处"
        with transaction.atomic():
            WordingFinding.objects.all().delete()
            WordingFinding.objects.bulk_create(findings, batch_size=BATCH)
            CheckRun.objects.create(kind=CheckRun.Kind.WORDING, summary=summary)
        if verbosity >= 1:
            self.stdout.write(summary + "。")


def _finding(article, hit, now):
    return WordingFinding(
        article=article,
        rule=hit.rule,
        field=hit.field,
        found=hit.found[:100],
        before=hit.before[:100],
        after=hit.after[:100],
        checked_at=now,
    )
