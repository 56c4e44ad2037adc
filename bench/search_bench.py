"""How fast site search is with many articles: seeds a separate database, then times queries.

    .venv/bin/python bench/search_bench.py --articles 100000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/qinglian .venv/bin/python \\
        bench/search_bench.py --articles 100000

SQLite: a temporary file (kept with --keep, for --reuse). PostgreSQL: the server and
user of DATABASE_URL, database ``qinglian_bench`` (dropped and created again unless
--reuse); ``--name`` picks another name, for several people benchmarking on one machine.
The articles are generated, 800–1500 Chinese characters each: clauses of the
demo content (common words such as 监督, 纪委) mixed with words made of the 3,755 common
characters, drawn with a Zipf distribution so that some are everywhere and most are
rare, plus a few words planted in a known share of the articles. They are written with
bulk inserts, which index each batch through the write path (``articles_written``), and
then checked by ``articles.search.index.rebuild``, the code behind
``manage.py rebuild_search_index`` (which rewrites no unchanged row).

Each query is then run as a reader runs it — the search view, rendering the first page
(or the page asked), counting, ranking, snippets and highlighting included — once to
warm up and then --repeat times. Printed: median and 95th percentile per query, and
over all of them.
"""

import argparse
import itertools
import os
import random
import re
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import files  # noqa: E402 (the checkout is on the path only now)
from bench.django_start import start  # noqa: E402

BENCH_DB_NAME = "qinglian_bench"
SEED = 20211208
PLACES = [
    "七星区", "秀峰区", "叠彩区", "象山区", "雁山区", "临桂区", "阳朔县", "灵川县", "全州县",
    "兴安县", "永福县", "灌阳县", "龙胜", "资源县", "平乐县", "荔浦市", "恭城", "桂林市",
]  # fmt: skip
# Words planted in a known share of the articles, made of characters nothing else uses.
PLANTED = {"鑫淼": 0.0005, "彧": 0.001, "犇骉": 0.01}
# (label, query, extra GET parameters)
QUERIES = [
    ("1 字 常见", "监", {}),
    ("1 字 常见", "的", {}),
    ("1 字 少见", "彧", {}),
    ("2 字 常见", "监督", {}),
    ("2 字 常见", "纪委", {}),
    ("2 字 较常见", "巡察", {}),
    ("2 字 少见", "鑫淼", {}),
    ("2 字 较少见", "犇骉", {}),
    ("2 字 无结果", "龘靐", {}),
    ("多词", "双减 监督", {}),
    ("多词", "巡察 整改 反馈", {}),
    ("长词", "纪委监委", {}),
    ("长词", "中央八项规定精神", {}),
    ("拉丁/数字", "12388", {}),
    ("繁体", "監督", {}),
    ("繁体", "紀委監委", {}),
    ("栏目+日期", "监督", {"channel": "qinglian", "start": "2023-01-01", "end": "2023-12-31"}),
    ("第 10 页", "监督", {"page": "10"}),
]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=30, help="timed runs of each query")
    parser.add_argument("--batch-size", type=int, default=1000)
    parser.add_argument("--reuse", action="store_true", help="use the database already seeded")
    parser.add_argument("--keep", action="store_true", help="keep the SQLite file afterwards")
    parser.add_argument(
        "--name",
        default=BENCH_DB_NAME,
        help="the benchmark database (PostgreSQL) or file name prefix (SQLite)",
    )
    parser.add_argument(
        "--query",
        action="append",
        metavar="QUERYSTRING",
        help="time this search instead of the built-in list, written as the address's "
        "query string (q=巡察&channel=qinglian&page=3); may be repeated",
    )
    return parser.parse_args()


def bench_database_url(args):
    """The benchmark's own database, next to (never instead of) the configured one."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        parts = urlsplit(url)
        return urlunsplit(parts._replace(path="/" + args.name)), parts
    path = Path(tempfile.gettempdir()) / f"{args.name}_{args.articles}.sqlite3"
    if not args.reuse:
        files.remove_sqlite(path)
    return f"sqlite:///{path}", None


def create_postgres_database(parts, name):
    import psycopg
    from psycopg import sql

    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


# --- generated articles -------------------------------------------------------------


def common_characters():
    """The 3,755 characters of GB 2312 level 1: the everyday characters of Chinese."""
    return [
        bytes([high, low]).decode("gb2312")
        for high in range(0xB0, 0xD8)
        for low in range(0xA1, 0xFF)
        if not (high == 0xD7 and low > 0xF9)
    ]


class Writer:
    """Articles in the house style, from demo clauses and Zipf-distributed words."""

    def __init__(self, rng):
        from articles.ops.demo.loader import load_content
        from articles.sanitize import html_to_text

        self.rng = rng
        content = load_content()
        text = "".join(
            a["title"] + "。" + a["summary"] + html_to_text(a["body"]) for a in content["articles"]
        )
        self.clauses = sorted(
            {c for c in re.split(r"[，。、；：！？“”‘’（）《》\s…—丨:]+", text) if len(c) >= 2}
        )
        planted = set("".join(PLANTED))
        chars = [c for c in common_characters() if c not in planted]
        words = {
            "".join(rng.choice(chars) for _ in range(rng.choice((2, 2, 2, 3, 4))))
            for _ in range(40_000)
        }
        self.words = sorted(words)
        rng.shuffle(self.words)
        rng.shuffle(self.clauses)
        self.word_weights = list(
            itertools.accumulate(1 / (rank + 1) ** 1.05 for rank in range(len(self.words)))
        )
        self.clause_weights = list(
            itertools.accumulate(1 / (rank + 1) ** 0.6 for rank in range(len(self.clauses)))
        )

    def clause(self):
        if self.rng.random() < 0.45:
            return self.rng.choices(self.clauses, cum_weights=self.clause_weights)[0]
        return "".join(
            self.rng.choices(self.words, cum_weights=self.word_weights, k=self.rng.randint(2, 5))
        )

    def sentence(self):
        parts = [self.clause() for _ in range(self.rng.randint(2, 5))]
        if self.rng.random() < 0.08:
            parts.insert(1, f"{self.rng.randint(2015, 2025)}年{self.rng.randint(1, 12)}月")
        if self.rng.random() < 0.02:
            parts.append("举报电话12388")
        return "，".join(parts) + "。"

    def paragraphs(self, length):
        paragraphs, size = [], 0
        while size < length:
            paragraph = "".join(self.sentence() for _ in range(self.rng.randint(2, 4)))
            paragraphs.append(paragraph)
            size += len(paragraph)
        return paragraphs

    def article(self):
        paragraphs = self.paragraphs(self.rng.randint(800, 1500))
        for word, share in PLANTED.items():
            if self.rng.random() < share:
                i = self.rng.randrange(len(paragraphs))
                paragraphs[i] = paragraphs[i][:-1] + f"，{word}。"
        title = f"{self.rng.choice(PLACES)}：{self.clause()} {self.clause()}"[:60]
        body = "\n".join(f"<p>\u3000\u3000{p}</p>" for p in paragraphs)
        return title, paragraphs[0][:150], body


def seed(count, batch_size):
    from django.db import connection
    from tqdm import tqdm

    from articles.models import Article, Channel, Source
    from articles.ops.demo.loader import DemoLoader, load_content

    rng = random.Random(SEED)
    content = load_content()
    DemoLoader().run({**content, "articles": []})
    channels = list(Channel.objects.all())
    sources = list(Source.objects.all())
    writer = Writer(rng)
    newest = datetime(2026, 1, 1, tzinfo=UTC)
    made = 0
    with tqdm(total=count, desc="文章", unit="篇") as bar:
        while made < count:
            batch = []
            for _ in range(min(batch_size, count - made)):
                title, summary, body = writer.article()
                batch.append(
                    Article(
                        title=title,
                        summary=summary,
                        body=body,
                        channel=rng.choice(channels),
                        source=rng.choice(sources),
                        author=rng.choice(["", "", "通讯员 李明", "王芳 张伟"]),
                        status=Article.Status.PUBLISHED
                        if rng.random() < 0.97
                        else rng.choice([Article.Status.DRAFT, Article.Status.OFFLINE]),
                        # Ten years of articles, about 27 a day.
                        published_at=newest - timedelta(seconds=rng.randrange(10 * 365 * 86400)),
                    )
                )
            Article.objects.bulk_create(batch)
            made += len(batch)
            bar.update(len(batch))
    if connection.vendor == "postgresql":
        # What autovacuum would have done by the time a site has this many articles.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def build_index(batch_size):
    from tqdm import tqdm

    from articles.models import Article
    from articles.search.index import rebuild

    with tqdm(total=Article.objects.count(), desc="索引", unit="篇") as bar:
        rebuild(batch_size=batch_size, progress=bar.update, jobs=2)


# --- timing -------------------------------------------------------------------------


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def own_queries(querystrings):
    """QUERIES-shaped entries for searches given on the command line."""
    entries = []
    for querystring in querystrings:
        params = dict(parse_qsl(querystring if "=" in querystring else f"q={querystring}"))
        entries.append(("自定", params.pop("q", ""), params))
    return entries


def time_queries(repeat, queries=QUERIES):
    from django.test import RequestFactory

    from articles.portal import views

    factory = RequestFactory()

    def run(query, extra):
        request = factory.get("/search/", {"q": query, **extra})
        started, cpu = time.perf_counter(), time.process_time()
        response = views.search(request)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        assert response.status_code == 200, response.status_code
        return elapsed * 1000, cpu * 1000

    everything = []
    print(f"\n负载（1/5/15 分钟）：{' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(
        f"\n{'查询':<22}{'类别':<12}{'结果数':>8}{'中位数 ms':>12}{'p95 ms':>10}"
        f"{'本进程 CPU 中位数 ms':>22}"
    )
    for label, query, extra in queries:
        run(query, extra)  # warm-up
        samples = [run(query, extra) for _ in range(repeat)]
        wall = [elapsed for elapsed, _ in samples]
        everything += wall
        name = query + (" " + " ".join(f"{k}={v}" for k, v in extra.items()) if extra else "")
        count = _count(query, extra)
        print(
            f"{name:<22}{label:<12}{count:>8}{statistics.median(wall):>12.1f}"
            f"{percentile(wall, 0.95):>10.1f}{statistics.median(c for _, c in samples):>22.1f}"
        )
    print(
        f"\n全部 {len(everything)} 次：中位数 {statistics.median(everything):.1f} ms，"
        f"p95 {percentile(everything, 0.95):.1f} ms，最慢 {max(everything):.1f} ms"
    )
    print(f"负载（1/5/15 分钟）：{' '.join(f'{x:.2f}' for x in os.getloadavg())}")


def _count(query, extra):
    from articles.models import Channel
    from articles.portal.forms import SearchForm
    from articles.search.results import Results

    form = SearchForm({"q": query, **extra}, Channel.objects.tree())
    parsed, filters = form.search_params()
    results = Results(parsed, filters)
    return f"{results.count()}{'+' if results.is_capped else ''}"


def main():
    args = parse_args()
    url, postgres = bench_database_url(args)
    if postgres and not args.reuse:
        create_postgres_database(postgres, args.name)
    start(url)
    from django.db import connection

    from articles.models import Article

    if not args.reuse:
        started = time.perf_counter()
        seed(args.articles, args.batch_size)
        seeded = time.perf_counter()
        build_index(args.batch_size)
        print(f"生成 {seeded - started:.0f} 秒，建索引 {time.perf_counter() - seeded:.0f} 秒")
    print(f"文章 {Article.objects.count()} 篇，已发布 {Article.objects.published().count()} 篇")
    time_queries(args.repeat, own_queries(args.query) if args.query else QUERIES)
    if connection.vendor == "sqlite" and not (args.keep or args.reuse):
        connection.close()
        files.remove_sqlite(connection.settings_dict["NAME"])


if __name__ == "__main__":
    main()
