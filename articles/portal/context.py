"""What every public page needs, built once per request: ``page_context(request)``.

The channel tree, the site settings, the friendly links and the content generation they
were read for — later the current site — in one object, read from the cache in one round
trip and kept on the request as ``request.page_context`` (as Django's sites framework
keeps ``request.site``). Views, feeds, lists and the context processor take what they
need from it instead of each reading the cache.
"""

from functools import cached_property

from articles.caching import freshness
from articles.models import Channel, FriendlyLink, SiteSettings

# Every page shows these: read in one round trip.
FURNITURE = ("channel-tree", "site-settings", "friendly-links")


class PageContext:
    def __init__(self, request, also=()):
        self.generation = freshness.generation(request)
        # Values derived from published articles (lists, linked ids) go stale with them
        # too; the furniture only with the generation.
        self.content_generation = freshness.content_generation(request)
        names = [*FURNITURE, *also]
        found = freshness.read_many([self._key(name) for name in names])
        self._read = {name: found.get(self._key(name)) for name in names}

    def _key(self, name):
        generation = self.generation if name in FURNITURE else self.content_generation
        return freshness.key(generation, name)

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
        return self.cached("channel-tree", Channel.objects.tree)

    @cached_property
    def settings(self):
        return self.cached("site-settings", SiteSettings.load)

    @cached_property
    def friendly_links(self):
        return self.cached("friendly-links", lambda: list(FriendlyLink.objects.all()))


def page_context(request, also=()):
    """The request's page context, built on first use; ``also``: names of other cached
    values to read in the same round trip when it is built."""
    context = getattr(request, "page_context", None)
    if context is None:
        context = request.page_context = PageContext(request, also)
    return context


def has_page_context(request):
    return getattr(request, "page_context", None) is not None
