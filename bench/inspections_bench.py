"""How fast the inspection dashboard and the statistics page answer with many articles.

    .venv/bin/python bench/inspections_bench.py --articles 100000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/qinglian_inspections \\
        .venv/bin/python bench/inspections_bench.py --articles 100000

SQLite: a temporary file (kept with --keep, for --reuse). PostgreSQL: the server and
user of DATABASE_URL, database ``qinglian_inspections_bench`` (dropped and created again
unless --reuse). The demo's channels and sources are loaded and --articles generated
articles (bench/corpus.py) spread over ten years are bulk-inserted, with a few wording
findings, dead links and publication-time flags so that every list has rows.

Each page is fetched as an administrator fetches it (the admin's test client, the whole
middleware stack), once to warm up and then --repeat times; printed: median and worst.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import files  # noqa: E402 (the checkout is on the path only now)
from bench.django_start import start  # noqa: E402

BENCH_DB_NAME = "qinglian_inspections_bench"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--batch-size", type=int, default=2000)
    parser.add_argument("--reuse", action="store_true", help="use the database already seeded")
    parser.add_argument("--keep", action="store_true", help="keep the SQLite file afterwards")
    return parser.parse_args()


def database_url(args):
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        parts = urlsplit(url)
        return urlunsplit(parts._replace(path="/" + BENCH_DB_NAME)), parts
    path = Path(tempfile.gettempdir()) / f"qinglian_inspections_bench_{args.articles}.sqlite3"
    if not args.reuse:
        files.remove_sqlite(path)
    return f"sqlite:///{path}", None


def create_postgres_database(parts):
    import psycopg

    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB_NAME}")
        conn.execute(f"CREATE DATABASE {BENCH_DB_NAME}")


def seed(count, batch_size):
    from django.db import connection
    from django.utils import timezone
    from tqdm import tqdm

    from articles.inspections.models import (
        CheckedLink,
        CheckRun,
        LinkPlace,
        TimeFlag,
        WordingFinding,
        WordingRule,
    )
    from articles.models import Article, Channel, Source
    from articles.ops.demo.loader import DemoLoader, load_content
    from bench.corpus import generate

    DemoLoader().run({**load_content(), "articles": []})
    channels = list(Channel.objects.all())
    sources = list(Source.objects.all())
    rows = generate(count, channels, sources)
    with tqdm(total=count, desc="文章", unit="篇") as bar:
        while True:
            batch = [
                Article(status=Article.Status.PUBLISHED, **row)
                for _, row in zip(range(batch_size), rows, strict=False)
            ]
            if not batch:
                break
            Article.objects.bulk_create(batch)
            bar.update(len(batch))
    now = timezone.now()
    some = list(Article.objects.order_by("?").values_list("pk", flat=True)[:300])
    rule = WordingRule.objects.first() or WordingRule.objects.create(
        wrong="从严冶党", right="从严治党", severity=WordingRule.Severity.SEVERE
    )
    WordingFinding.objects.bulk_create(
        WordingFinding(article_id=pk, rule=rule, field="正文", found=rule.wrong, checked_at=now)
        for pk in some[:100]
    )
    for i, pk in enumerate(some[100:200]):
        link = CheckedLink.objects.create(url=f"http://127.0.0.1:9/dead/{i}", is_dead=True)
        LinkPlace.objects.create(link=link, article_id=pk, place="正文")
    TimeFlag.objects.bulk_create(
        TimeFlag(article_id=pk, kind=TimeFlag.Kind.MOVED_BACK, new_time=now, changed_at=now)
        for pk in some[200:300]
    )
    for kind in CheckRun.Kind:
        CheckRun.objects.create(kind=kind, summary="基准测试")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def time_page(client, url, repeat):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        client.get(url)
        timings.append(time.perf_counter() - started)
    return statistics.median(timings), max(timings)


def main():
    args = parse_args()
    url, postgres = database_url(args)
    if postgres and not args.reuse:
        create_postgres_database(postgres)
    start(url)
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from articles.models import Article

    if not args.reuse:
        started = time.perf_counter()
        seed(args.articles, args.batch_size)
        print(f"生成 {time.perf_counter() - started:.0f} 秒")
    print(f"文章 {Article.objects.count()} 篇，已发布 {Article.objects.published().count()} 篇")
    user, _ = get_user_model().objects.get_or_create(
        username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(user)
    pages = [("检查总览", reverse("admin:inspections_dashboard_changelist"))]
    stats = reverse("admin:inspections_dashboard_stats")
    pages += [("发布统计（本年）", stats), ("发布统计 Excel", stats + "?format=xlsx")]
    pages.append(("后台首页（含警示）", reverse("admin:index")))
    for name, page in pages:
        median, worst = time_page(client, page, args.repeat)
        print(f"{name}：中位数 {median * 1000:.0f} 毫秒，最慢 {worst * 1000:.0f} 毫秒")
    if connection.vendor == "sqlite" and not (args.keep or args.reuse):
        connection.close()
        files.remove_sqlite(connection.settings_dict["NAME"])


if __name__ == "__main__":
    main()
