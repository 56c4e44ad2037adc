"""PHPCMS recommendation positions (推荐位) → the site's slots and what is pushed there.

A position whose name says 头条 is the home page's headlines, one that says 焦点图 or
幻灯 its carousel (the two slots the home page knows); any other becomes a slot of its
own, found again by its posid. PHPCMS shows a larger listorder first; a slot shows the
smaller position first: the order is kept as ranks 1, 2, 3…
"""

from articles.models import Slot, SlotPlacement
from articles.models.slots import CAROUSEL, HEADLINES

KNOWN = ((("头条",), HEADLINES, "首页头条"), (("焦点图", "幻灯"), CAROUSEL, "首页轮播"))


def slot_for(position, slots):
    """The Slot of a v9_position row (``slots``: those found so far, by posid)."""
    if position.posid in slots:
        return slots[position.posid]
    key, name = f"phpcms-{position.posid}", position.name.strip()[:50] or "推荐位"
    for words, known_key, known_name in KNOWN:
        if any(word in position.name for word in words):
            key, name = known_key, known_name
    slot = Slot.objects.filter(key=key).first()
    if slot is None:
        if Slot.objects.filter(name=name).exists():  # an administrator's slot of that name
            name = f"{name[:40]}（{position.posid}）"
        slot = Slot.objects.create(key=key, name=name)
    slots[position.posid] = slot
    return slot


def write_slot_placements(entries, report):
    """``entries``: (position, article id) in PHPCMS's order (listorder, larger first)."""
    slots, ranks = {}, {}
    for position, article_id in entries:
        slot = slot_for(position, slots)
        rank = ranks[slot.pk] = ranks.get(slot.pk, 0) + 1
        placement = SlotPlacement.objects.filter(slot=slot, article_id=article_id).first()
        if placement is None:
            SlotPlacement.objects.create(slot=slot, article_id=article_id, position=rank)
            report.count("placement", "created")
        elif placement.position != rank:
            placement.position = rank
            placement.save(update_fields=["position"])
            report.count("placement", "updated")
        else:
            report.count("placement", "unchanged")
