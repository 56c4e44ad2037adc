"""Which site a request is for, by its host name: ``request.site``.

As Django's ``CurrentSiteMiddleware`` sets ``request.site``, ``SiteMiddleware`` finds
the site (articles/models/sites.py) whose host names include the request's. The sites
and their settings are read in one query per content generation and kept like the
channel tree (articles/caching/freshness.py): a saved site or setting moves the
generation, so a new host name answers at once on every process.

A host name no site claims is answered as the main site, or refused with 400 when the
setting ``QINGLIAN_UNKNOWN_HOST`` is "reject" — never as another county.
"""

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpResponseBadRequest
from django.http.request import split_domain_port

from articles import paths
from articles.caching import freshness
from articles.models import Site, SiteSettings


class Directory:
    """Every site of the group, by host name and by id, with its settings."""

    def __init__(self, sites):
        self.sites = list(sites)
        saved_main = next((s for s in self.sites if s.is_main), None)
        # A database with no site row yet (the data migration makes one) is one site.
        self.main = saved_main or Site(name="", is_main=True)
        self.by_host = {host: s for s in self.sites for host in s.host_list}
        self.by_id = {s.pk: s for s in self.sites}
        self._settings = {s.pk: s.settings for s in self.sites if hasattr(s, "settings")}

    def for_host(self, host):
        """The site answering on ``host`` (``name[:port]``), or None."""
        domain, _ = split_domain_port(host.lower())
        return self.by_host.get(host.lower()) or self.by_host.get(domain)

    def settings_of(self, site):
        """The site's settings; a site without a row yet shows the defaults."""
        found = self._settings.get(site.pk)
        return found if found is not None else SiteSettings(site=site if site.pk else None)


def directory(request=None):
    """The sites as of the current generation, read once per generation."""
    key = freshness.key(freshness.generation(request), "sites")
    found = freshness.read(key)
    if found is None:
        found = Directory(Site.objects.select_related("settings"))
        freshness.write(key, found)
    return found


def site_for(request):
    """The site ``request`` is for, or None when its host is refused. With the
    database down, the main site: the views answer with the 503 page as before."""
    try:
        sites = directory(request)
    except DatabaseError:
        sites = Directory([])
    found = sites.for_host(request.get_host())
    if found is not None:
        return found
    if getattr(settings, "QINGLIAN_UNKNOWN_HOST", "main") == "reject" and sites.by_host:
        return None
    return sites.main


class SiteMiddleware:
    """Sets ``request.site`` and serves its origin (articles/paths.py) for the request;
    inside the page cache, which keeps pages by host name: a cached page needs no site."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        site = site_for(request)
        if site is None:
            return HttpResponseBadRequest(
                "未知的网站域名。", content_type="text/plain; charset=utf-8"
            )
        request.site = site
        token = paths.activate_site(site)
        try:
            return self.get_response(request)
        finally:
            paths.deactivate_site(token)
