"""采用 statistics: how many articles each county submitted to the city in a period, how
many the city adopted and returned, the adoption rate, and the same by channel.

A submission counts in the period it was submitted in (its fate as it stands now). Each
table is one grouped query on the ``submission_period`` index; the page, its charts and
the Excel file read the same ``Adoption`` object, so their numbers cannot differ.
"""

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from articles.editorial.submissions import Submission
from articles.inspections.stats import Table
from articles.models import Site

PERIODS = {"month": "月", "quarter": "季度", "year": "年", "range": "自选时段"}
Status = Submission.Status


@dataclass
class Row:
    label: str
    submitted: int = 0
    adopted: int = 0
    returned: int = 0

    @property
    def pending(self):
        return self.submitted - self.adopted - self.returned

    @property
    def rate(self):
        """Adopted of submitted, in per cent with one decimal (0 when none)."""
        return round(100 * self.adopted / self.submitted, 1) if self.submitted else 0.0


@dataclass
class Adoption:
    title: str
    start: date
    end: date  # inclusive
    sites: list = field(default_factory=list)  # Rows, ranked
    channels: list = field(default_factory=list)  # Rows

    @property
    def total(self):
        row = Row("合计")
        for each in self.sites:
            row.submitted += each.submitted
            row.adopted += each.adopted
            row.returned += each.returned
        return row

    def charts(self):
        """(adopted per site, adoption rate per site) as tables for the bar charts."""
        adopted = Table("adopted", "各站点采用篇数", [(r.label, r.adopted) for r in self.sites])
        rates = Table("rate", "各站点采用率（%）", [(r.label, r.rate) for r in self.sites])
        return adopted, rates


def period(kind, year, number=None, start=None, end=None):
    """(title, first day, last day) of a month, quarter, year or chosen range."""
    if kind == "month":
        month = min(max(number or 1, 1), 12)
        last = calendar.monthrange(year, month)[1]
        return f"{year} 年 {month} 月", date(year, month, 1), date(year, month, last)
    if kind == "quarter":
        quarter = min(max(number or 1, 1), 4)
        first = date(year, 3 * quarter - 2, 1)
        last_month = 3 * quarter
        last = date(year, last_month, calendar.monthrange(year, last_month)[1])
        return f"{year} 年第 {quarter} 季度", first, last
    if kind == "range" and start and end:
        start, end = min(start, end), max(start, end)
        return f"{start:%Y-%m-%d} 至 {end:%Y-%m-%d}", start, end
    return f"{year} 年", date(year, 1, 1), date(year, 12, 31)


def _counts(submissions, *group):
    return submissions.values(*group).annotate(
        submitted=Count("id"),
        adopted=Count("id", filter=Q(status=Status.ADOPTED)),
        returned=Count("id", filter=Q(status=Status.RETURNED)),
    )


def build(kind="year", year=None, number=None, start=None, end=None):
    year = year or timezone.localdate().year
    title, first, last = period(kind, year, number, start, end)
    since = timezone.make_aware(datetime.combine(first, time.min))
    until = timezone.make_aware(datetime.combine(last + timedelta(days=1), time.min))
    submissions = Submission.objects.filter(submitted_at__gte=since, submitted_at__lt=until)
    by_site = {r["site_id"]: r for r in _counts(submissions, "site_id").order_by()}
    rows = []
    # Every county is ranked, those that submitted nothing too.
    for site in Site.objects.filter(is_main=False).order_by("position", "id"):
        found = by_site.get(site.pk, {})
        rows.append(
            Row(
                site.name,
                found.get("submitted", 0),
                found.get("adopted", 0),
                found.get("returned", 0),
            )
        )
    rows.sort(key=lambda r: (-r.adopted, -r.rate, r.label))
    channels = [
        Row(r["channel__name"], r["submitted"], r["adopted"], r["returned"])
        for r in _counts(submissions, "channel_id", "channel__name").order_by("channel_id")
    ]
    channels.sort(key=lambda r: (-r.adopted, r.label))
    return Adoption(title, first, last, rows, channels)


def latest_year():
    """The year of the newest submission, or None: where to look when a period is empty."""
    newest = Submission.objects.order_by("-submitted_at").values_list("submitted_at", flat=True)
    found = newest.first()
    return timezone.localtime(found).year if found else None
