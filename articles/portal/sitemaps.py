"""sitemap.xml: the home page, every channel and every published article, in both scripts."""

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation

from articles.models import Article, Channel


class BilingualSitemap(Sitemap):
    # Each address twice, Simplified and /zh-hant/, with hreflang alternates.
    i18n = True
    alternates = True
    x_default = True


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
        return Channel.objects.order_by("id")


class ArticleSitemap(BilingualSitemap):
    changefreq = "monthly"
    priority = 0.8

    def items(self):
        return Article.objects.published().only("id", "updated_at").order_by("id")

    def lastmod(self, item):
        return item.updated_at


SITEMAPS = {"home": HomeSitemap, "channels": ChannelSitemap, "articles": ArticleSitemap}


def robots_txt(request):
    """robots.txt: keep crawlers out of search results and point them at the sitemap.

    The admin is not named: its address may be a secret (ADMIN_URL), and its pages need a
    login anyway.
    """
    with translation.override(settings.LANGUAGE_CODE):
        sitemap = request.build_absolute_uri(reverse("articles:sitemap"))
    return render(
        request, "robots.txt", {"sitemap_url": sitemap}, content_type="text/plain; charset=utf-8"
    )
