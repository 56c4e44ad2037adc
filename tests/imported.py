"""What an import wrote, for the importer's tests that run it twice."""

from articles.importer.models import ImportedRecord, OldAddress
from articles.models import (
    Article,
    Attachment,
    Channel,
    Placement,
    RelatedArticle,
    Site,
    SlotPlacement,
    Source,
)


def snapshot():
    """Everything an import writes, as plain values (ImportedRecord's times aside)."""
    return {
        "articles": list(Article.objects.order_by("pk").values()),
        "channels": list(Channel.objects.order_by("pk").values()),
        "sites": list(Site.objects.order_by("pk").values()),
        "sources": list(Source.objects.order_by("pk").values()),
        "attachments": list(Attachment.objects.order_by("pk").values()),
        "related": list(RelatedArticle.objects.order_by("pk").values()),
        "placements": list(Placement.objects.order_by("pk").values()),
        "slots": list(SlotPlacement.objects.order_by("pk").values()),
        "addresses": list(OldAddress.objects.order_by("pk").values()),
        "records": list(
            ImportedRecord.objects.order_by("pk").values("key", "target_id", "fingerprint")
        ),
    }
