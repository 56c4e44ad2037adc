from django.apps import AppConfig


class PortalConfig(AppConfig):
    """What readers get: public views, feeds, sitemaps, QR codes, page furniture."""

    name = "articles.portal"
    label = "portal"
    verbose_name = "公开页面"
