"""Which site of the site group an inspection looks at (docs/inspections.md).

Each site is inspected on its own: the main site keeps the shared channels and the
articles without a site (or of the main site); a county keeps its local channels and
its own articles. Group staff choose the site (``?site=``); county staff always get
their own, whatever the address says.
"""

from dataclasses import dataclass

from django.db.models import Q

from articles.models import Channel, Site
from articles.models.sites import county_site_of


@dataclass(frozen=True)
class SiteScope:
    site: Site

    def channels(self):
        """The channels this site keeps up (a queryset, used as a subquery)."""
        if self.site.is_main:
            return Channel.objects.filter(site__isnull=True)
        return Channel.objects.filter(site_id=self.site.pk)

    def owns(self, path=""):
        """Articles of this site, through ``path`` ("article__" from a finding)."""
        if self.site.is_main:
            return Q(**{f"{path}site__isnull": True}) | Q(**{f"{path}site_id": self.site.pk})
        return Q(**{f"{path}site_id": self.site.pk})


def scope_for(user, chosen=""):
    """The site ``user`` inspects: a county's staff their own; the others the site
    chosen by id (``chosen``, from ``?site=``), else the main site."""
    own = county_site_of(user)
    if own is not None:
        return SiteScope(own)
    site = Site.objects.filter(pk=int(chosen)).first() if str(chosen).isdigit() else None
    return SiteScope(site or Site.main())
