"""Publication statistics and the figures of the 年度工作报表 that a CMS can know.

Counted: articles published (and not since deleted) whose publication time falls in the
year, whether or not they have been taken offline since — what was published that year.
Every table is one grouped query; the page, its charts and the Excel file all read the
same ``Statistics`` object, so their numbers cannot differ.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Min
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils import timezone

from articles.models import Article, Channel, ColumnType

COUNTED = [Article.Status.PUBLISHED, Article.Status.OFFLINE]

# The 年度工作报表's categories of published information, by column type.
REPORT_GROUPS = [
    ("概况类信息", [ColumnType.OVERVIEW, ColumnType.FUNCTIONS, ColumnType.LEADERS]),
    ("政务动态信息", [ColumnType.WORK_NEWS, ColumnType.NOTICES]),
    (
        "信息公开目录信息",
        [ColumnType.DISCLOSURE, ColumnType.POLICY_DOCUMENTS, ColumnType.PERSONNEL, ColumnType.DATA],
    ),
    ("解读信息", [ColumnType.POLICY_INTERPRETATION]),
    ("回应关切信息", [ColumnType.RESPONSES]),
    ("专栏专题信息", [ColumnType.SPECIAL]),
]


@dataclass
class Table:
    key: str
    title: str
    rows: list = field(default_factory=list)  # (label, count)

    @property
    def total(self):
        return sum(count for _, count in self.rows)


@dataclass
class Statistics:
    year: int
    tables: list
    report: list  # (label, value)
    years: list

    def table(self, key):
        return next(t for t in self.tables if t.key == key)


def counted(channels=None):
    articles = Article.objects.filter(status__in=COUNTED, published_at__lte=timezone.now())
    if channels is not None:
        articles = articles.filter(channel__in=channels)
    return articles


def _grouped(articles, *fields):
    return articles.values(*fields).annotate(n=Count("id")).order_by()


def build(year=None, channels=None):
    """Every table for ``year`` (this year by default); ``channels`` narrows it to a site's."""
    tz = timezone.get_current_timezone()
    year = year or timezone.localtime().year
    every_year = counted(channels)
    in_year = every_year.filter(published_at__year=year)

    months = dict.fromkeys(range(1, 13), 0)
    for row in _grouped(in_year.annotate(m=ExtractMonth("published_at", tzinfo=tz)), "m"):
        months[row["m"]] = row["n"]
    by_year = sorted(
        (row["y"], row["n"])
        for row in _grouped(every_year.annotate(y=ExtractYear("published_at", tzinfo=tz)), "y")
    )
    tree = Channel.objects.tree()
    per_channel = {r["channel"]: r["n"] for r in _grouped(in_year, "channel")}
    per_type = {
        r["channel__column_type"]: r["n"] for r in _grouped(in_year, "channel__column_type")
    }
    per_source = _grouped(in_year, "source__name")
    per_editor = _grouped(in_year, "created_by__username")
    tables = [
        Table("month", f"{year} 年各月", [(f"{m} 月", n) for m, n in months.items()]),
        Table(
            "quarter",
            f"{year} 年各季度",
            [
                (f"第{q}季度", sum(months[m] for m in range(3 * q - 2, 3 * q + 1)))
                for q in (1, 2, 3, 4)
            ],
        ),
        Table("year", "各年", [(f"{y} 年", n) for y, n in by_year]),
        Table(
            "channel",
            f"{year} 年各栏目",
            [
                (channel.name, per_channel[channel.pk])
                for channel, _ in tree.walk()
                if channel.pk in per_channel
            ],
        ),
        Table(
            "type",
            f"{year} 年各栏目类型",
            [(t, per_type[t]) for t in ColumnType.values if t in per_type],
        ),
        Table(
            "source",
            f"{year} 年各来源",
            _sorted((r["source__name"] or "本站", r["n"]) for r in per_source),
        ),
        Table(
            "editor",
            f"{year} 年各编辑（创建人）",
            _sorted((r["created_by__username"] or "未记录", r["n"]) for r in per_editor),
        ),
    ]
    years = [y for y, _ in by_year] or [year]
    return Statistics(year, tables, annual_report(year, in_year, per_type, tree), years)


def _sorted(rows):
    return sorted(rows, key=lambda row: (-row[1], row[0]))


def annual_report(year, in_year, per_type, tree):
    """The figures of the 年度工作报表's 信息发布 and 专栏专题 parts, as the form lists them."""
    rows = [("信息发布总数（条）", in_year.count())]
    for label, types in REPORT_GROUPS:
        rows.append((f"　其中：{label}（条）", sum(per_type.get(t, 0) for t in types)))
    firsts = counted().values("channel").annotate(first=Min("published_at")).order_by()
    first_years = {r["channel"]: timezone.localtime(r["first"]).year for r in firsts}
    channels = list(tree)
    opened = [c for c in channels if _first_year(tree, c, first_years) == year]
    maintained = [c for c in channels if (_first_year(tree, c, first_years) or year + 1) <= year]
    special = [c for c in channels if c.column_type == ColumnType.SPECIAL]
    rows += [
        ("栏目维护数量（个）", len(maintained)),
        ("　其中本年新开设（个）", len(opened)),
        ("专栏专题维护数量（个）", len([c for c in special if c in maintained])),
        ("专栏专题新开设数量（个）", len([c for c in special if c in opened])),
        ("年底仍无内容的栏目（个）", len(channels) - len(maintained)),
    ]
    return rows


def _first_year(tree, channel, first_years):
    years = [first_years[pk] for pk in tree.descendant_ids(channel) if pk in first_years]
    return min(years) if years else None
