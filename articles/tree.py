"""The channel tree, held in memory once loaded.

Channels are few (tens to a few hundred), so the tree is read with one query and
walked in Python instead of asking the database level by level.
"""


class ChannelTree:
    def __init__(self, channels):
        self.channels = list(channels)
        self.by_id = {c.pk: c for c in self.channels}
        self._by_slug = {c.slug: c for c in self.channels}
        self._children = {}
        self.roots = []
        for channel in self.channels:
            if channel.parent_id in self.by_id:
                self._children.setdefault(channel.parent_id, []).append(channel)
            else:
                self.roots.append(channel)

    def __iter__(self):
        return iter(self.channels)

    def by_slug(self, slug):
        return self._by_slug.get(slug)

    def children(self, channel_or_id):
        return self._children.get(_pk(channel_or_id), [])

    def ancestors(self, channel_or_id):
        """From the top channel down to the parent; never loops on bad data."""
        chain = []
        seen = {_pk(channel_or_id)}
        channel = self.by_id.get(_pk(channel_or_id))
        while channel is not None and channel.parent_id in self.by_id:
            if channel.parent_id in seen:
                break
            seen.add(channel.parent_id)
            channel = self.by_id[channel.parent_id]
            chain.append(channel)
        return chain[::-1]

    def top(self, channel_or_id):
        ancestors = self.ancestors(channel_or_id)
        return ancestors[0] if ancestors else self.by_id.get(_pk(channel_or_id))

    def descendant_ids(self, channel_or_id):
        """The channel's own id and every id below it."""
        start = _pk(channel_or_id)
        ids, stack = [], [start]
        while stack:
            pk = stack.pop()
            if pk in ids:
                continue
            ids.append(pk)
            stack.extend(c.pk for c in self._children.get(pk, []))
        return ids

    def walk(self):
        """Every channel with its depth, parents before children, siblings in order."""
        seen = set()
        stack = [(c, 0) for c in reversed(self.roots)]
        while stack:
            channel, depth = stack.pop()
            if channel.pk in seen:
                continue
            seen.add(channel.pk)
            yield channel, depth
            stack.extend((c, depth + 1) for c in reversed(self._children.get(channel.pk, [])))

    @property
    def nav_roots(self):
        return [c for c in self.roots if c.show_in_nav]


def _pk(channel_or_id):
    return getattr(channel_or_id, "pk", channel_or_id)
