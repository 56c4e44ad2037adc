"""PHPCMS sites (v9_site) → the sites of the site group, found again by host name.

PHPCMS's site 1 is its main site: it becomes the main site here (its domain added to
the host names). Every other site becomes a county site answering on its domain's
host; a site an administrator already set up with that host name is used as it is.
A subsite on a folder of the main site's domain gets no host name (an administrator
gives it one).

The first import also names each site as PHPCMS did: its header (网站名称) and the
main site's name in the admin, where they are still what a fresh install starts with;
a later run never renames what an administrator has named since.
"""

from urllib.parse import urlsplit

from articles.models import Site, SiteSettings
from articles.models.sites import host_names

MAIN_SITEID = 1
# What a fresh install puts in every site's header, and calls its main site (migration
# 0012 names it after the header, Site.main() 主站 when there was none).
FRESH_SITE_NAME = SiteSettings._meta.get_field("site_name").default
FRESH_MAIN_NAMES = {"主站", FRESH_SITE_NAME}


def host_of(domain):
    """``http://xq.example.gov.cn/`` → ``xq.example.gov.cn`` ('' when none)."""
    domain = (domain or "").strip()
    if not domain:
        return ""
    netloc = urlsplit(domain if "//" in domain else f"//{domain}").netloc
    return netloc.lower()


def _with_host(site, host):
    if host and host not in site.host_list:
        site.hosts = "\n".join([*site.host_list, host])
        site.save()
    return site


def _named(site, row, first_run):
    """On the first import, the site's names from PHPCMS where nobody has set them."""
    name = row.name.strip()[:50]
    if not first_run or not name:
        return site
    if site.is_main and site.name in FRESH_MAIN_NAMES:
        site.name = name
        site.save(update_fields=["name"])
    settings, made = SiteSettings.objects.get_or_create(site=site, defaults={"site_name": name})
    if not made and settings.site_name == FRESH_SITE_NAME:
        settings.site_name = name
        settings.save(update_fields=["site_name"])
    return site


def write_site(row, record):
    """The Site of one v9_site row (``record``: what an earlier run made of it)."""
    return _named(_write_site(row, record), row, first_run=record is None)


def _write_site(row, record):
    host = host_of(row.domain)
    main = Site.main()
    if row.siteid == MAIN_SITEID:
        return _with_host(main, host)
    if host in main.host_list:
        # A subsite in a folder of the main site's domain (http://www…/xq/): it has
        # no host name of its own to answer on.
        host = ""
    site = Site.objects.filter(pk=record.target_id, is_main=False).first() if record else None
    if site is None and host:
        site = next((s for s in Site.objects.all() if host in host_names(s.hosts)), None)
    if site is None:
        site = Site.objects.create(name=row.name.strip()[:50] or f"站点{row.siteid}", hosts=host)
    return _with_host(site, host)
