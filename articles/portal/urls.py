from django.contrib.sitemaps import views as sitemap_views
from django.urls import path, register_converter
from django.urls.converters import IntConverter

from articles.portal import feeds, qr, reporting, sitemaps, views

app_name = "articles"


class IdConverter(IntConverter):
    """A database id: a number that fits the id column (a larger one matches nothing,
    and answers 404, instead of overflowing the query)."""

    regex = "[0-9]{1,19}"

    def to_python(self, value):
        number = int(value)
        if number >= 2**63:
            raise ValueError(value)
        return number


register_converter(IdConverter, "id")

urlpatterns = [
    path("", views.home, name="home"),
    path("channel/<slug:slug>/", views.channel_detail, name="channel"),
    path("article/<id:pk>/", views.article_detail, name="detail"),
    # Per-part addresses in the shape PHPCMS gave them (…/123_2.html).
    path("article/<id:pk>_<int:part>.html", views.article_part, name="detail-part"),
    path("search/", views.search, name="search"),
    path("jubao/", reporting.report, name="report"),
    path("article/<id:pk>/qr.png", qr.article_qr, name="qr"),
    path("feed/", feeds.SiteFeed(), name="feed"),
    path("channel/<slug:slug>/feed/", feeds.ChannelFeed(), name="channel-feed"),
    path(
        "sitemap.xml",
        sitemaps.index,
        {"sitemaps": sitemaps.SITEMAPS, "sitemap_url_name": "articles:sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": sitemaps.SITEMAPS},
        name="sitemap-section",
    ),
    path("robots.txt", sitemaps.robots_txt, name="robots"),
]
