"""A PHPCMS v9 database in the MariaDB the tests run beside (127.0.0.1:3306, root).

Each test session creates a database of its own from tests/fixtures/phpcms/*.sql and
drops it at the end. Without a reachable MariaDB the importer's tests are skipped with
the reason, except in CI (``CI=true``), where they fail instead: CI never passes by
skipping them (as the browser tests treat a missing Chromium).
"""

import os
import re
import uuid
from pathlib import Path

import pymysql
import pytest

FIXTURES = Path(__file__).parent / "fixtures" / "phpcms"
HOST = os.environ.get("PHPCMS_TEST_MYSQL_HOST", "127.0.0.1")
PORT = int(os.environ.get("PHPCMS_TEST_MYSQL_PORT", "3306"))
USER = os.environ.get("PHPCMS_TEST_MYSQL_USER", "root")
PASSWORD = os.environ.get("PHPCMS_TEST_MYSQL_PASSWORD", "")


def must_run():
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def server(database=None):
    return pymysql.connect(
        host=HOST, port=PORT, user=USER, password=PASSWORD, database=database,
        charset="utf8mb4", connect_timeout=5,
    )  # fmt: skip


def require_mariadb():
    """A connection to the server; skips (or, in CI, fails) when there is none."""
    try:
        return server()
    except pymysql.MySQLError as exc:
        reason = f"MariaDB/MySQL not reachable at {HOST}:{PORT} as {USER} ({exc})"
        if must_run():
            pytest.fail(
                f"CI=true, and the PHPCMS importer tests cannot run: {reason}", pytrace=False
            )
        pytest.skip(reason)


def statements(sql):
    """The statements of a fixture file (no ';' ends a line inside its strings)."""
    sql = re.sub(r"^--.*$", "", sql, flags=re.MULTILINE)
    return [s.strip() for s in re.split(r";\s*\n", sql) if s.strip()]


def load(name):
    """A fresh database holding fixture ``name``; returns (its URL, a drop function)."""
    admin = require_mariadb()
    database = f"qinglian_phpcms_test_{uuid.uuid4().hex[:10]}"
    with admin.cursor() as cursor:
        cursor.execute(f"CREATE DATABASE `{database}` CHARACTER SET utf8mb4")
    with server(database) as connection, connection.cursor() as cursor:
        for statement in statements((FIXTURES / name).read_text(encoding="utf-8")):
            cursor.execute(statement)
        connection.commit()

    def drop():
        with admin.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS `{database}`")
        admin.close()

    url = f"mysql://{USER}:{PASSWORD}@{HOST}:{PORT}/{database}"
    return url, database, drop


def execute(database, *sql):
    """Change the PHPCMS database as the old site would have, between two imports."""
    with server(database) as connection, connection.cursor() as cursor:
        for statement in sql:
            cursor.execute(statement)
        connection.commit()
