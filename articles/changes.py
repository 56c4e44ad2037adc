"""The one write path of content, announced to the parts that derive from it.

Content modules know nothing of search, caches or the 繁體 version; they say what they
wrote, and those parts (articles.search, articles.caching …) listen.
"""

from django.dispatch import Signal

# Sent inside the transaction, once per ``Article.save()`` and once per bulk write, with
# ``ids``: the ids of the articles written. Site search indexes them in one batch.
articles_written = Signal()

# Sent with ``articles_written`` when the write changes what readers see or will see:
# some of the articles are published, or were when they were read (a draft, a pending
# or an offline article changes nothing a reader can see). ``ids`` as above; ``times``,
# the scheduled publication and end times among them (timestamps), for pages to turn
# fresh when those pass; ``channels``, the ids of their channels, now and as read (a
# move changes both). The page cache listens (articles/caching/apps.py).
public_articles_written = Signal()
