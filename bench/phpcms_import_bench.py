"""How long importing a large PHPCMS v9 site takes: fills a PHPCMS database in MariaDB,
then times ``manage.py import_phpcms`` into a fresh database, and a second run.

    .venv/bin/python bench/phpcms_import_bench.py --articles 100000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/qinglian .venv/bin/python \\
        bench/phpcms_import_bench.py --articles 100000

The PHPCMS side is the test fixture (tests/fixtures/phpcms/) plus ``--articles``
generated rows in its news model: bodies of 800–1500 characters made from the demo
content's sentences (bench/corpus.py), 3 % pending or rejected, every copyfrom form,
three related ids each (some deleted), a hits row each; database
``qinglian_phpcms_bench`` on MariaDB at 127.0.0.1:3306 as root (``--mysql`` for another).
The target: a temporary SQLite file, or on PostgreSQL the server of DATABASE_URL,
database ``--name`` (dropped and created again).
"""

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import files  # noqa: E402 (the checkout is on the path only now)

SEED = 20261203
CATIDS = [3, 10, 11, 12, 22]


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--name", default="qinglian_bench_import")
    parser.add_argument("--mysql", default="mysql://root:@127.0.0.1:3306/qinglian_phpcms_bench")
    parser.add_argument("--reuse-source", action="store_true", help="Keep the PHPCMS side.")
    return parser.parse_args()


def fill_phpcms(url, count):
    import pymysql

    from bench.corpus import sentences
    from tests.phpcms_database import FIXTURES, statements

    parts = urlsplit(url)
    name = parts.path.strip("/")
    options = {"host": parts.hostname, "port": parts.port or 3306, "user": parts.username}
    admin = pymysql.connect(password=parts.password or "", charset="utf8mb4", **options)
    with admin.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS `{name}`")
        cursor.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4")
    db = pymysql.connect(password=parts.password or "", database=name, charset="utf8mb4", **options)
    rng = random.Random(SEED)
    pool = sentences()
    with db.cursor() as cursor:
        for statement in statements((FIXTURES / "city_and_county.sql").read_text("utf-8")):
            cursor.execute(statement)
        start = 1000
        for offset in range(0, count, 2000):
            news, data, hits = [], [], []
            for i in range(start + offset, start + min(offset + 2000, count)):
                paragraphs, length = [], 0
                while length < rng.randint(800, 1500):
                    text = "".join(rng.choice(pool) for _ in range(rng.randint(2, 4)))
                    paragraphs.append(f"<p>\u3000\u3000{text}</p>")
                    length += len(text)
                when = 1_300_000_000 + i * 3000
                status = rng.choices([99, 1, 0], [97, 2, 1])[0]
                copyfrom = rng.choice(["中央纪委国家监委网站|1", "桂林日报|0", "|2", "某报|7", ""])
                relation = "|".join(str(rng.randint(start, i + 10)) for _ in range(3))
                catid = rng.choice(CATIDS)
                news.append(
                    (i, catid, f"第{i}号：{paragraphs[0][5:30]}", "", "", "", status, when, when)
                )
                data.append((i, "\r\n".join(paragraphs), relation, copyfrom))
                hits.append((f"c-1-{i}", catid, rng.randint(0, 5000)))
            cursor.executemany(
                "INSERT INTO v9_news (id, catid, typeid, title, style, keywords, description, "
                "url, status, username, inputtime, updatetime) "
                "VALUES (%s, %s, 0, %s, %s, %s, %s, '', %s, 'admin', %s, %s)",
                news,
            )
            cursor.executemany(
                "INSERT INTO v9_news_data (id, content, groupids_view, paginationtype, "
                "maxcharperpage, template, relation, copyfrom) "
                "VALUES (%s, %s, '', 0, 0, '', %s, %s)",
                data,
            )
            cursor.executemany(
                "INSERT INTO v9_hits (hitsid, catid, views) VALUES (%s, %s, %s)", hits
            )
            db.commit()
    db.close()


def target_url(name):
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg
        from psycopg import sql

        parts = urlsplit(url)
        admin = urlunsplit(parts._replace(path="/postgres"))
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return urlunsplit(parts._replace(path="/" + name))
    path = Path(tempfile.gettempdir()) / f"{name}.sqlite3"
    files.remove_sqlite(path)
    return f"sqlite:///{path}"


def manage(env, *args):
    """Wall time and CPU time (the command's own: SQLite's work included, a database
    server's not) of one manage.py command."""
    started, before = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=env, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return time.perf_counter() - started, cpu


def main():
    args = arguments()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qinglian.settings.dev")
    import django

    django.setup()
    if not args.reuse_source:
        started = time.perf_counter()
        fill_phpcms(args.mysql, args.articles)
        took = time.perf_counter() - started
        print(f"PHPCMS database filled: {args.articles} articles, {took:.0f} s")
    env = {**os.environ, "DATABASE_URL": target_url(args.name)}
    manage(env, "migrate", "--verbosity", "0")
    media = tempfile.mkdtemp(prefix="qinglian-bench-media-")
    env["MEDIA_ROOT"] = media
    report = Path(media) / "report.txt"
    common = ["import_phpcms", args.mysql, "--report", str(report), "--verbosity", "0"]
    first, cpu = manage(env, *common)
    print(f"first run:  {first:.0f} s, CPU {cpu:.0f} s ({args.articles / first:.0f} articles/s)")
    print(report.read_text("utf-8").split("\n\n")[0])
    second, cpu = manage(env, *common)
    print(f"second run: {second:.0f} s, CPU {cpu:.0f} s (nothing changed)")
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
