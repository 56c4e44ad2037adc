"""sitemap.xml: the home page, every channel and every published article, in both scripts."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation

from articles import paths
from articles.models import Article, Channel, Site
from articles.paths import absolute_url, site_origin


class BilingualSitemap(Sitemap):
    # Each address twice, Simplified and /zh-hant/, with hreflang alternates.
    i18n = True
    alternates = True
    x_default = True

    # On the site's origin, whatever host and scheme the request named (articles/paths.py).
    def get_protocol(self, protocol=None):
        return urlsplit(site_origin()).scheme

    def get_domain(self, site=None):
        return urlsplit(site_origin()).netloc


class HomeSitemap(BilingualSitemap):
    changefreq = "hourly"
    priority = 1.0

    def items(self):
        return ["articles:home"]

    def location(self, item):
        return reverse(item)


class ChannelSitemap(BilingualSitemap):
    changefreq = "daily"
    priority = 0.6

    def items(self):
        # The channels of the site being served (articles/models/channels.py).
        # Link channels (转向链接) have no page of their own to list.
        channels = Channel.objects.tree_of(paths.active_site())
        return sorted((c for c in channels if not c.is_external), key=lambda c: c.pk)


class ArticleSitemap(BilingualSitemap):
    changefreq = "monthly"
    priority = 0.8

    def items(self):
        # External-link articles (转向链接) have no page of their own to list.
        articles = Article.objects.published().filter(external_url="")
        site = paths.active_site()
        if site is not None and Site.objects.count() > 1:
            # One site of a group: the articles it shows (their pages answer on it).
            ids = [c.pk for c in Channel.objects.tree_of(site)]
            articles = articles.shown_in(ids, Site.objects.get(is_main=True).pk)
        return articles.only("id", "updated_at").order_by("id")

    def lastmod(self, item):
        return item.updated_at


SITEMAPS = {"home": HomeSitemap, "channels": ChannelSitemap, "articles": ArticleSitemap}


@sitemap_views.x_robots_tag
def index(request, sitemaps, sitemap_url_name):
    """sitemap.xml: Django's index, with each section's address on the site's origin
    (Django's own names the host of the request)."""
    sections = []
    for section, sitemap in sitemaps.items():
        sitemap = sitemap() if callable(sitemap) else sitemap
        url = absolute_url(reverse(sitemap_url_name, kwargs={"section": section}))
        lastmod = sitemap.get_latest_lastmod()
        sections.append(sitemap_views.SitemapIndexItem(url, lastmod))
        sections += [
            sitemap_views.SitemapIndexItem(f"{url}?p={page}", lastmod)
            for page in range(2, sitemap.paginator.num_pages + 1)
        ]
    return TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": sections}, content_type="application/xml"
    )


def robots_txt(request):
    """robots.txt: keep crawlers out of search results and point them at the sitemap.

    The admin is not named: its address may be a secret (ADMIN_URL), and its pages need a
    login anyway.
    """
    with translation.override(settings.LANGUAGE_CODE):
        sitemap = absolute_url(reverse("articles:sitemap"))
    return render(
        request, "robots.txt", {"sitemap_url": sitemap}, content_type="text/plain; charset=utf-8"
    )
