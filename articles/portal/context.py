"""What every public page needs, built once per request: ``page_context(request)``.

The site (``request.site``), its channel tree, settings and friendly links, and the
content generation they were read for, in one object, read from the cache in one round
trip and kept on the request as ``request.page_context`` (as Django's sites framework
keeps ``request.site``). Views, feeds, lists and the context processor take what they
need from it instead of each reading the cache.
"""

from functools import cached_property

from articles.caching import freshness
from articles.caching.sites import directory
from articles.models import Channel, FriendlyLink

# Every page shows these: read in one round trip (the settings come with the site).
FURNITURE = ("channel-tree", "friendly-links")


class PageContext:
    def __init__(self, request, also=()):
        self.generation = freshness.generation(request)
        # Values derived from published articles (lists, linked ids) go stale with them
        # too; the furniture only with the generation.
        self.content_generation = freshness.content_generation(request)
        self.sites = directory(request)
        # (A request that did not pass the site middleware, e.g. a test's, is the main site's.)
        self.site = getattr(request, "site", None) or self.sites.main
        names = [*FURNITURE, *also]
        found = freshness.read_many([self._key(name) for name in names])
        self._read = {name: found.get(self._key(name)) for name in names}

    def _key(self, name):
        if name in FURNITURE:
            # Each site has its own tree and links.
            return freshness.key(self.generation, f"{name}@{self.site.pk}")
        return freshness.key(self.content_generation, name)

    def lookup(self, name):
        """The value cached under ``name`` for this page's content, or None."""
        if name in self._read:
            return self._read[name]
        value = self._read[name] = freshness.read(self._key(name))
        return value

    def keep(self, name, value):
        """Cache ``value`` under ``name`` for as long as the content stays as it is."""
        freshness.write(self._key(name), value)
        self._read[name] = value

    def cached(self, name, build):
        value = self.lookup(name)
        if value is None:
            value = build()
            self.keep(name, value)
        return value

    @cached_property
    def tree(self):
        return self.cached("channel-tree", lambda: Channel.objects.tree_of(self.site))

    @cached_property
    def settings(self):
        return self.sites.settings_of(self.site)

    @cached_property
    def friendly_links(self):
        return self.cached("friendly-links", self._read_friendly_links)

    def _read_friendly_links(self):
        # Built only when not kept: a query's construction costs a page served from
        # the kept list more than the rest of its furniture.
        site = self.site.pk if self.site.pk and not self.site.is_main else None
        links = FriendlyLink.objects.filter(site_id=site) if site else FriendlyLink.objects.all()
        if not site:
            links = links.filter(site__isnull=True) | links.filter(site__is_main=True)
        return list(links)

    @property
    def main_id(self):
        return self.sites.main.pk


def page_context(request, also=()):
    """The request's page context, built on first use; ``also``: names of other cached
    values to read in the same round trip when it is built."""
    context = getattr(request, "page_context", None)
    if context is None:
        context = request.page_context = PageContext(request, also)
    return context


def has_page_context(request):
    return getattr(request, "page_context", None) is not None
