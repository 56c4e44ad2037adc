"""A site group at scale: 20 sites over 100,000 articles (docs/sites.md).

    .venv/bin/python bench/sites_bench.py --articles 100000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/qinglian_sites \\
        .venv/bin/python bench/sites_bench.py --articles 100000

SQLite: a temporary file; PostgreSQL: database ``qinglian_sites_bench`` on the server of
DATABASE_URL (dropped and created again unless --reuse). Seeded: the demo's channel tree
(shared), the main site and 19 county sites with two channels each, carrying 新闻廉播
and 通知公告; --articles generated articles (bench/corpus.py), those in a county's
channel written by that county; one county article in three submitted to a city channel
(three in five adopted and placed there, one returned, one pending).

Printed: the 信息采用统计 page for the busiest year and its Excel file, as an
administrator fetches them (median and worst of --repeat); and, for the main site and a
county, the queries and time of the home, a channel and an article page rendered by a
process that has rendered nothing yet (the query budgets of tests/test_queries.py).
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import files  # noqa: E402 (the checkout is on the path only now)
from bench.django_start import start  # noqa: E402

BENCH_DB_NAME = "qinglian_sites_bench"
COUNTIES = 19


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--batch-size", type=int, default=2000)
    parser.add_argument("--reuse", action="store_true", help="use the database already seeded")
    parser.add_argument(
        "--short-bodies",
        action="store_true",
        help="one paragraph per article: seeds several times faster; the pages and "
        "statistics measured read no body text",
    )
    return parser.parse_args()


def database_url(args):
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        parts = urlsplit(url)
        if not args.reuse:
            import psycopg

            admin = urlunsplit(parts._replace(path="/postgres"))
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {BENCH_DB_NAME}")
                conn.execute(f"CREATE DATABASE {BENCH_DB_NAME}")
        return urlunsplit(parts._replace(path="/" + BENCH_DB_NAME))
    path = Path(tempfile.gettempdir()) / f"qinglian_sites_bench_{args.articles}.sqlite3"
    if not args.reuse:
        files.remove_sqlite(path)
    return f"sqlite:///{path}"


def seed(count, batch_size, short_bodies=False):
    from django.db import connection
    from tqdm import tqdm

    from articles.editorial.submissions import Submission
    from articles.models import Article, Channel, Placement, Site, Source
    from articles.ops.demo.loader import DemoLoader, load_content
    from bench.corpus import generate

    DemoLoader().run({**load_content(), "articles": []})
    shared = list(Channel.objects.all())
    carried = [c for c in shared if c.slug in ("xinwen", "tongzhi")]
    local = []
    for i in range(1, COUNTIES + 1):
        site = Site.objects.create(
            name=f"县区{i:02d}",
            hosts=f"county{i}.localhost",
            source=Source.objects.create(name=f"县区{i:02d}纪委监委"),
            position=i,
        )
        site.carried_channels.set(carried)
        local += [
            Channel.objects.create(name=f"县区{i:02d}动态", slug=f"county{i}-news", site=site),
            Channel.objects.create(name=f"县区{i:02d}投稿", slug=f"county{i}-mail", site=site),
        ]
    sources = list(Source.objects.all())
    # About half the articles are the city's, half the counties'.
    rows = generate(count, shared * (len(local) // len(shared) + 1) + local, sources)
    if short_bodies:
        rows = ({**row, "body": row["body"].split("\n", 1)[0]} for row in rows)
    with tqdm(total=count, desc="文章", unit="篇") as bar:
        while True:
            batch = [
                Article(status=Article.Status.PUBLISHED, site_id=row["channel"].site_id, **row)
                for _, row in zip(range(batch_size), rows, strict=False)
            ]
            if not batch:
                break
            Article.objects.bulk_create(batch)
            bar.update(len(batch))
    targets = [c for c in shared if c.parent_id is not None] or shared
    county_articles = Article.objects.filter(site__isnull=False).values_list(
        "pk", "site_id", "published_at"
    )
    submissions, placements = [], []
    fates = ["adopted", "adopted", "adopted", "returned", "pending"]
    for n, (pk, site_id, published_at) in enumerate(county_articles.order_by("pk")[::3]):
        fate, channel = fates[n % 5], targets[n % len(targets)]
        submissions.append(
            Submission(
                article_id=pk,
                site_id=site_id,
                channel=channel,
                status=fate,
                submitted_at=published_at - timedelta(hours=1),
                decided_at=None if fate == "pending" else published_at,
            )
        )
        if fate == "adopted":
            placements.append(Placement(article_id=pk, channel=channel))
    Submission.objects.bulk_create(submissions, batch_size=batch_size)
    Placement.objects.bulk_create(placements, batch_size=batch_size)
    print(f"报送 {len(submissions)} 篇，采用 {len(placements)} 篇")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def time_page(client, url, repeat, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, (url, response.status_code)
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        client.get(url, **headers)
        timings.append(time.perf_counter() - started)
    return statistics.median(timings), max(timings)


def cold_page(client, url, host):
    """Queries and time of a page rendered by a process that has rendered nothing."""
    from django.core.cache import caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from articles.caching import memo

    for each in caches.all():
        each.clear()
    memo.reset()
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(url, HTTP_HOST=host)
        took = time.perf_counter() - started
    assert response.status_code == 200, (url, host, response.status_code)
    return len(queries), took


def main():
    args = parse_args()
    start(database_url(args), ALLOWED_HOSTS="testserver,.localhost")
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.db.models import Count
    from django.db.models.functions import ExtractYear
    from django.test import Client
    from django.urls import reverse

    from articles.caching import view_counts
    from articles.editorial.submissions import Submission
    from articles.models import Article, Channel, Site

    if not args.reuse:
        started = time.perf_counter()
        seed(args.articles, args.batch_size, args.short_bodies)
        print(f"生成 {time.perf_counter() - started:.0f} 秒")
    print(f"站点 {Site.objects.count()} 个，文章 {Article.objects.count()} 篇")
    busiest = (
        Submission.objects.annotate(year=ExtractYear("submitted_at"))
        .values("year")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    user, _ = get_user_model().objects.get_or_create(
        username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    admin = Client()
    admin.force_login(user)
    stats = reverse("admin:inspections_dashboard_adoption") + f"?period=year&year={busiest['year']}"
    print(f"统计年份 {busiest['year']}，该年报送 {busiest['n']} 篇")
    for name, page in [
        ("信息采用统计（一年）", stats),
        ("信息采用统计 Excel", stats + "&format=xlsx"),
    ]:
        median, worst = time_page(admin, page, args.repeat)
        print(f"{name}：中位数 {median * 1000:.0f} 毫秒，最慢 {worst * 1000:.0f} 毫秒")
    reader = Client()
    county = Site.objects.filter(is_main=False).order_by("position").first()
    for host, site in [("testserver", None), (county.host_list[0], county)]:
        channel = Channel.objects.filter(site=site).order_by("pk").first()
        article = Article.objects.published().filter(channel__site=site).order_by("-pk").first()
        for name, url in [
            ("首页", "/"),
            ("栏目", channel.get_absolute_url()),
            ("文章", article.get_absolute_url()),
        ]:
            queries, took = cold_page(reader, url, host)
            print(f"{host} {name}：{queries} 次查询，{took * 1000:.0f} 毫秒（首次渲染）")
    # The views these renders counted go to the database now, not at exit after it is gone.
    view_counts.flush()
    if connection.vendor == "sqlite" and not args.reuse:
        connection.close()
        files.remove_sqlite(connection.settings_dict["NAME"])


if __name__ == "__main__":
    main()
