from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from articles.portal import feeds, qr, sitemaps, views

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("channel/<slug:slug>/", views.channel_detail, name="channel"),
    path("article/<int:pk>/", views.article_detail, name="detail"),
    path("search/", views.search, name="search"),
    path("article/<int:pk>/qr.png", qr.article_qr, name="qr"),
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
