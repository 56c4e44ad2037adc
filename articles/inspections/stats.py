"""Publication statistics and the figures of the 年度工作报表 that a CMS can know.

Counted: articles published (and not since deleted) whose publication time falls in the
year, whether or not they have been taken offline since — what was published that year.
Every table is one grouped query; the page, its charts and the Excel file all read the
same ``Statistics`` object, so their numbers cannot differ.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Max, Min, OuterRef, Q, Subquery
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


def build(year=None, channels=None, sites=None):
    """Every table for ``year`` (this year by default); ``channels`` narrows it to a site's.
    ``sites`` (the whole group, for its staff) adds a table with a row per site."""
    tz = timezone.get_current_timezone()
    year = year or timezone.localtime().year
    every_year = counted(channels)

    # Ranges over the (status, published_at) index, not a date function on every row:
    # the functions cost seconds at 100,000 articles on SQLite (bench/inspections_bench.py).
    starts = [datetime(year, m, 1, tzinfo=tz) for m in range(1, 13)] + [
        datetime(year + 1, 1, 1, tzinfo=tz)
    ]
    in_year = every_year.filter(published_at__gte=starts[0], published_at__lt=starts[-1])
    month_counts = in_year.aggregate(
        **{
            str(m): Count(
                "id", filter=Q(published_at__gte=starts[m - 1], published_at__lt=starts[m])
            )
            for m in range(1, 13)
        }
    )
    months = {m: month_counts[str(m)] for m in range(1, 13)}
    by_year = _per_year(every_year, tz)
    tree = Channel.objects.tree()
    # One grouped query for channels, sources and editors; column types follow channels.
    per_channel, per_source, per_editor = Counter(), Counter(), Counter()
    for row in _grouped(in_year, "channel", "source__name", "created_by__username"):
        per_channel[row["channel"]] += row["n"]
        per_source[row["source__name"] or "本站"] += row["n"]
        per_editor[row["created_by__username"] or "未记录"] += row["n"]
    per_type = Counter()
    for pk, n in per_channel.items():
        per_type[tree.by_id[pk].column_type] += n
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
            _sorted(per_source.items()),
        ),
        Table(
            "editor",
            f"{year} 年各编辑（创建人）",
            _sorted(per_editor.items()),
        ),
    ]
    if sites:
        tables.append(_per_site(year, starts, sites))
    # The year shown is always in the chooser, even one a site published nothing in.
    years = sorted({y for y, _ in by_year} | {year})
    wanted = None if channels is None else {getattr(c, "pk", c) for c in channels}
    report = annual_report(year, in_year, per_type, tree, wanted)
    return Statistics(year, tables, report, years)


def _per_site(year, starts, sites):
    """Articles each site of the group published in the year, its own wherever they are
    shown (an adopted county article counts for the county): one grouped query."""
    in_year = counted().filter(published_at__gte=starts[0], published_at__lt=starts[-1])
    per_site = Counter()
    main = next((s for s in sites if s.is_main), None)
    for row in _grouped(in_year, "site"):
        # Articles without a site are the main site's (docs/sites.md).
        per_site[row["site"] if row["site"] is not None else getattr(main, "pk", None)] += row["n"]
    return Table("site", f"{year} 年各站点", [(site.name, per_site[site.pk]) for site in sites])


def _per_year(articles, tz):
    ends = articles.aggregate(first=Min("published_at"), last=Max("published_at"))
    if ends["first"] is None:
        return []
    first, last = (timezone.localtime(ends[k], tz).year for k in ("first", "last"))
    counts = articles.aggregate(
        **{
            str(y): Count(
                "id",
                filter=Q(
                    published_at__gte=datetime(y, 1, 1, tzinfo=tz),
                    published_at__lt=datetime(y + 1, 1, 1, tzinfo=tz),
                ),
            )
            for y in range(first, last + 1)
        }
    )
    return [(y, counts[str(y)]) for y in range(first, last + 1) if counts[str(y)]]


def _sorted(rows):
    return sorted(rows, key=lambda row: (-row[1], row[0]))


def annual_report(year, in_year, per_type, tree, wanted=None):
    """The figures of the 年度工作报表's 信息发布 and 专栏专题 parts, as the form lists them;
    ``wanted`` (channel ids) limits the channels counted to one site's."""
    rows = [("信息发布总数（条）", in_year.count())]
    for label, types in REPORT_GROUPS:
        rows.append((f"　其中：{label}（条）", sum(per_type.get(t, 0) for t in types)))
    first_years = {}
    for status in COUNTED:
        # One step along the (channel, status, published_at) index per channel and status.
        first = (
            Article.objects.filter(channel=OuterRef("pk"), status=status)
            .order_by("published_at")
            .values("published_at")[:1]
        )
        for pk, when in Channel.objects.annotate(first=Subquery(first)).values_list("pk", "first"):
            if when is not None:
                year_of = timezone.localtime(when).year
                first_years[pk] = min(first_years.get(pk, year_of), year_of)
    channels = [c for c in tree if wanted is None or c.pk in wanted]
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
