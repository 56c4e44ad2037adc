"""The one write path of content, announced to the parts that derive from it.

Content modules know nothing of search, caches or the 繁體 version; they say what they
wrote, and those parts (articles.search, articles.caching …) listen.
"""

from django.dispatch import Signal

# Sent inside the transaction, once per ``Article.save()`` and once per bulk write, with
# ``ids``: the ids of the articles written. Site search indexes them in one batch.
articles_written = Signal()
