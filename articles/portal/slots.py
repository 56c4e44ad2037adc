"""What the recommendation slots (推荐位) show readers: the ids of each slot's current
articles in the editors' order, at most the slot's size per site, kept per content
generation.

A placement's end time moves the generation when it passes (``_upcoming_change`` in
articles/caching/freshness.py), and every change to placements or to published
articles moves the ``lists`` counter the kept ids are filed under.
"""

from django.db.models import F, Window
from django.db.models.functions import RowNumber

from articles.models import SlotPlacement

SLOT_IDS = "slot-ids"
ORDER = [F("position").asc(), F("created_at").desc(), F("id").desc()]


def _build():
    """{slot key: (size, [(article id, its site id)] in order)}.

    Each site's home shows its own articles of a slot (views.py), so the slot's size is
    counted per site of the articles: a county that pushes ahead of the city takes none
    of the city's places. (The main site also shows the county articles it adopted,
    counted with their county's.)
    """
    ranked = (
        SlotPlacement.objects.current()
        .annotate(
            place=Window(
                RowNumber(),
                partition_by=[F("slot_id"), F("article__site_id")],
                order_by=ORDER,
            )
        )
        .filter(place__lte=F("slot__size"))
        .values_list("slot__key", "slot__size", "article_id", "article__site_id", "position")
        .order_by("slot__key", *ORDER)
    )
    slots = {}
    for key, size, article_id, site_id, _ in ranked:
        slots.setdefault(key, (size, []))[1].append((article_id, site_id))
    return slots


def slot_ids(context):
    """{slot key: (size, [(article id, site id)] in order)} for every slot in use."""
    return context.cached(SLOT_IDS, _build)
