"""The 信息采用统计 page of the inspections: ranking, charts, Excel (adoption.py)."""

from datetime import date
from urllib.parse import quote

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone

from articles.editorial.submissions import ADOPT_PERMISSION
from articles.inspections import adoption, adoption_export, charts

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _number(value, default=None):
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 4 else default


def _day(value):
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def adoption_view(modeladmin, request):
    """?period=month|quarter|year|range, &year=, &number= (month or quarter), &start=,
    &end= (a range); &format=xlsx for the workbook."""
    if not (modeladmin.has_view_permission(request) or request.user.has_perm(ADOPT_PERMISSION)):
        raise PermissionDenied
    get = request.GET
    kind = get.get("period", "year") if get.get("period") in adoption.PERIODS else "year"
    this_year = timezone.localdate().year
    year = _number(get.get("year", ""), this_year)
    numbers = adoption.build(
        kind,
        year=year if 2000 <= year <= 2999 else this_year,
        number=_number(get.get("number", "")),
        start=_day(get.get("start", "")),
        end=_day(get.get("end", "")),
    )
    if get.get("format") == "xlsx":
        response = HttpResponse(adoption_export.workbook(numbers), content_type=XLSX)
        name = quote(f"信息采用统计-{numbers.title}.xlsx")
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
        return response
    # An empty period says where the newest submissions are (one query, only then).
    latest = adoption.latest_year() if not numbers.total.submitted else None
    context = {
        **modeladmin.admin_site.each_context(request),
        "opts": modeladmin.model._meta,
        "title": "信息采用统计",
        "adoption": numbers,
        "charts": [(table, charts.bars(table)) for table in numbers.charts()],
        "periods": adoption.PERIODS,
        "kind": kind,
        "year": year,
        "number": get.get("number", ""),
        "start": get.get("start", ""),
        "end": get.get("end", ""),
        "years": sorted({*range(this_year, this_year - 6, -1), latest or this_year}, reverse=True),
        "latest_year": latest if latest != year or kind != "year" else None,
        "query": get.urlencode(),
    }
    return TemplateResponse(request, "admin/inspections/adoption.html", context)
