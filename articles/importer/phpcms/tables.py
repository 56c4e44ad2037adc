"""What is read from each PHPCMS v9 table, as plain values.

Columns are looked up by name, never by position: admin-added fields are appended to a
model's tables, and models made later differ from the installed news model. A column
that is absent reads as its PHPCMS default.
"""

from dataclasses import dataclass, field

import pymysql.cursors

from articles.importer.phpcms.connection import quoted
from articles.importer.phpcms.phparray import PHPArrayError, parse_setting


def _text(value):
    if value is None:
        return ""
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def _int(value, default=0):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _setting(value, problems, what):
    try:
        return parse_setting(value)
    except PHPArrayError as exc:
        problems.append(f"{what}：setting 无法解析（{exc}），按空设置处理")
        return {}


@dataclass
class Site:
    siteid: int
    name: str
    dirname: str
    domain: str
    setting: dict


@dataclass
class Category:
    catid: int
    siteid: int
    type: int  # 0 list of articles, 1 single page, 2 external link
    modelid: int
    parentid: int
    name: str
    catdir: str
    parentdir: str
    description: str
    url: str
    listorder: int
    ismenu: bool
    setting: dict


@dataclass
class Model:
    modelid: int
    siteid: int
    name: str
    tablename: str


@dataclass
class CopyFrom:
    id: int
    siteid: int
    sitename: str
    siteurl: str


@dataclass
class Item:
    """One row of a content model (main and data table together)."""

    modelid: int
    id: int
    catid: int
    title: str
    style: str
    thumb: str
    keywords: str
    description: str
    url: str
    listorder: int
    status: int
    islink: bool
    username: str
    inputtime: int
    updatetime: int
    content: str
    paginationtype: int
    relation: str
    copyfrom: str
    author: str
    extra: dict = field(default_factory=dict)
    # Bytes per page of an automatically paginated article (paginationtype 1).
    maxcharperpage: int = 0


@dataclass
class Page:
    catid: int
    title: str
    style: str
    keywords: str
    content: str
    updatetime: int


@dataclass
class Position:
    posid: int
    siteid: int
    name: str


@dataclass
class Placement:
    posid: int
    modelid: int
    id: int
    catid: int
    listorder: int
    data: dict


@dataclass
class Attachment:
    aid: int
    siteid: int
    filename: str
    filepath: str
    fileext: str
    isimage: bool
    status: int


class Tables:
    """Reads one PHPCMS database whose tables start with ``prefix``."""

    def __init__(self, connection, prefix, tables):
        self.connection = connection
        self.prefix = prefix
        self.tables = tables
        self.problems = []

    def has(self, name):
        return self.prefix + name in self.tables

    def rows(self, name, order="", stream=False):
        if not self.has(name):
            return []
        sql = f"SELECT * FROM {quoted(self.prefix + name, self.tables)} {order}"
        if stream:
            return self._streamed(sql)
        with self.connection.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchall()

    def _streamed(self, sql, args=None):
        with self.connection.cursor(pymysql.cursors.SSDictCursor) as cursor:
            cursor.execute(sql, args)
            yield from cursor

    def sites(self):
        return [
            Site(
                siteid=_int(r.get("siteid")),
                name=_text(r.get("name")),
                dirname=_text(r.get("dirname")),
                domain=_text(r.get("domain")),
                setting=_setting(r.get("setting"), self.problems, f"站点 {r.get('siteid')}"),
            )
            for r in self.rows("site", "ORDER BY siteid")
        ]

    def categories(self):
        return [
            Category(
                catid=_int(r.get("catid")),
                siteid=_int(r.get("siteid"), 1),
                type=_int(r.get("type")),
                modelid=_int(r.get("modelid")),
                parentid=_int(r.get("parentid")),
                name=_text(r.get("catname")),
                catdir=_text(r.get("catdir")),
                parentdir=_text(r.get("parentdir")),
                description=_text(r.get("description")),
                url=_text(r.get("url")),
                listorder=_int(r.get("listorder")),
                ismenu=bool(_int(r.get("ismenu"), 1)),
                setting=_setting(r.get("setting"), self.problems, f"栏目 {r.get('catid')}"),
            )
            for r in self.rows("category", "ORDER BY catid")
        ]

    def models(self):
        return [
            Model(
                modelid=_int(r.get("modelid")),
                siteid=_int(r.get("siteid"), 1),
                name=_text(r.get("name")),
                tablename=_text(r.get("tablename")),
            )
            for r in self.rows("model", "ORDER BY modelid")
            if _int(r.get("type")) == 0 and not _int(r.get("disabled"))
        ]

    def copyfrom(self):
        return {
            _int(r.get("id")): CopyFrom(
                id=_int(r.get("id")),
                siteid=_int(r.get("siteid"), 1),
                sitename=_text(r.get("sitename")),
                siteurl=_text(r.get("siteurl")),
            )
            for r in self.rows("copyfrom", "ORDER BY id")
        }

    def count_items(self, model):
        name = quoted(self.prefix + model.tablename, self.tables)
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) AS n FROM {name}")
            return cursor.fetchone()["n"]

    def items(self, model):
        """Every row of ``model``, main and data table joined on id, in id order."""
        main = quoted(self.prefix + model.tablename, self.tables)
        data_name = self.prefix + model.tablename + "_data"
        if data_name in self.tables:
            data = quoted(data_name, self.tables)
            sql = f"SELECT m.*, d.* FROM {main} m LEFT JOIN {data} d ON d.id = m.id ORDER BY m.id"
        else:
            sql = f"SELECT m.* FROM {main} m ORDER BY m.id"
        for r in self._streamed(sql):
            yield self._item(model.modelid, r)

    @staticmethod
    def _item(modelid, r):
        known = {
            "id", "catid", "title", "style", "thumb", "keywords", "description", "url",
            "listorder", "status", "islink", "username", "inputtime", "updatetime", "content",
            "paginationtype", "maxcharperpage", "relation", "copyfrom", "author",
        }  # fmt: skip
        return Item(
            modelid=modelid,
            id=_int(r.get("id")),
            catid=_int(r.get("catid")),
            title=_text(r.get("title")),
            style=_text(r.get("style")),
            thumb=_text(r.get("thumb")),
            keywords=_text(r.get("keywords")),
            description=_text(r.get("description")),
            url=_text(r.get("url")),
            listorder=_int(r.get("listorder")),
            status=_int(r.get("status"), 99),
            islink=bool(_int(r.get("islink"))),
            username=_text(r.get("username")),
            inputtime=_int(r.get("inputtime")),
            updatetime=_int(r.get("updatetime")),
            content=_text(r.get("content")),
            paginationtype=_int(r.get("paginationtype")),
            maxcharperpage=_int(r.get("maxcharperpage")),
            relation=_text(r.get("relation")),
            copyfrom=_text(r.get("copyfrom")),
            author=_text(r.get("author")),
            extra={k: v for k, v in r.items() if k not in known and "." not in k},
        )

    def hits(self):
        """Total views by (modelid, id), from ``hitsid = 'c-{modelid}-{id}'``."""
        views = {}
        for r in self.rows("hits", stream=True):
            parts = _text(r.get("hitsid")).split("-")
            if len(parts) == 3 and parts[0] == "c" and parts[1].isdigit() and parts[2].isdigit():
                views[(int(parts[1]), int(parts[2]))] = _int(r.get("views"))
        return views

    def pages(self):
        return {
            _int(r.get("catid")): Page(
                catid=_int(r.get("catid")),
                title=_text(r.get("title")),
                style=_text(r.get("style")),
                keywords=_text(r.get("keywords")),
                content=_text(r.get("content")),
                updatetime=_int(r.get("updatetime")),
            )
            for r in self.rows("page")
        }

    def positions(self):
        return {
            _int(r.get("posid")): Position(
                posid=_int(r.get("posid")),
                siteid=_int(r.get("siteid"), 1),
                name=_text(r.get("name")),
            )
            for r in self.rows("position", "ORDER BY posid")
        }

    def placements(self):
        return [
            Placement(
                posid=_int(r.get("posid")),
                modelid=_int(r.get("modelid")),
                id=_int(r.get("id")),
                catid=_int(r.get("catid")),
                listorder=_int(r.get("listorder")),
                data=_setting(r.get("data"), self.problems, f"推荐位 {r.get('posid')}"),
            )
            for r in self.rows("position_data", "ORDER BY posid, listorder DESC, id DESC")
            if _text(r.get("module")) in ("content", "")
        ]

    def attachments(self):
        return [
            Attachment(
                aid=_int(r.get("aid")),
                siteid=_int(r.get("siteid"), 1),
                filename=_text(r.get("filename")),
                filepath=_text(r.get("filepath")),
                fileext=_text(r.get("fileext")).lower(),
                isimage=bool(_int(r.get("isimage"))),
                status=_int(r.get("status")),
            )
            for r in self.rows("attachment", "ORDER BY aid", stream=True)
        ]

    def urlrules(self):
        """{urlruleid as text: (static?, rule)}."""
        return {
            str(_int(r.get("urlruleid"))): (bool(_int(r.get("ishtml"))), _text(r.get("urlrule")))
            for r in self.rows("urlrule")
        }

    def ids(self, model):
        name = quoted(self.prefix + model.tablename, self.tables)
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT id FROM {name}")
            return cursor.fetchall()
