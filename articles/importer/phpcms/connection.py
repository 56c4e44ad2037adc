"""The connection to a PHPCMS v9 database and its table prefix.

PyMySQL speaks MySQL's protocol in pure Python: a newsroom's server needs no compiler
and no MySQL client library to run the import (docs/dependencies.md).
"""

import re
from urllib.parse import unquote, urlsplit

import pymysql
import pymysql.cursors

IDENTIFIER = re.compile(r"[A-Za-z0-9_]+")


class SourceError(Exception):
    """The PHPCMS database cannot be read as one (bad URL, no such tables…)."""


def connect(url):
    """A PyMySQL connection for ``mysql://user:pass@host:port/database``.

    The connection speaks utf8mb4 whatever the tables' charset: the server converts a
    GBK edition's text on the way out, as the dump's own ``SET NAMES`` would.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("mysql", "mariadb") or not parts.path.strip("/"):
        raise SourceError("数据库地址应形如 mysql://用户名:密码@主机:端口/数据库名")
    try:
        return pymysql.connect(
            host=parts.hostname or "127.0.0.1",
            port=parts.port or 3306,
            user=unquote(parts.username or "root"),
            password=unquote(parts.password or ""),
            database=unquote(parts.path.strip("/")),
            charset="utf8mb4",
            cursorclass=pymysql.cursors.DictCursor,
            connect_timeout=10,
        )
    except pymysql.MySQLError as exc:
        raise SourceError(f"无法连接 PHPCMS 数据库：{exc}") from exc


def table_names(connection):
    with connection.cursor(pymysql.cursors.Cursor) as cursor:
        cursor.execute("SHOW TABLES")
        return {row[0] for row in cursor.fetchall()}


def detect_prefix(tables):
    """The prefix P for which P+site, P+category and P+model all exist ('v9_' usually)."""
    found = sorted(
        name[: -len("site")]
        for name in tables
        if name.endswith("site")
        and {name[: -len("site")] + t for t in ("category", "model")} <= tables
    )
    if not found:
        raise SourceError(
            "找不到 PHPCMS v9 的数据表（site、category、model），请用 --prefix 指定表前缀。"
        )
    if len(found) > 1:
        raise SourceError(
            f"找到多组 PHPCMS 数据表（{', '.join(found)}），请用 --prefix 指定表前缀。"
        )
    return found[0]


def quoted(name, tables):
    """``name`` as a SQL identifier, only when it is a table that exists: model table
    names come from the database itself and are never trusted into a query."""
    if name not in tables or not IDENTIFIER.fullmatch(name):
        raise SourceError(f"数据表 {name!r} 不存在")
    return f"`{name}`"
