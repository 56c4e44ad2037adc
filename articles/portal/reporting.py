"""监督举报: the page behind the entrance every page shows while 网站设置 turns it on."""

from django.http import Http404
from django.shortcuts import render

from articles.portal.context import page_context


def report(request):
    if not page_context(request).settings.report_enabled:
        raise Http404("未开启监督举报")
    return render(request, "articles/report.html", {})
