"""What joins imported rows once all are written: related articles, recommendation
positions and the old site's addresses."""

from django.db import transaction

from articles.importer.models import OldAddress
from articles.importer.phpcms import addresses, text
from articles.importer.writers.slots import write_slot_placements
from articles.models import RelatedArticle
from articles.search.index import id_list

BATCH = 2000


def write_related(relations, records, report, progress):
    """``relations``: {(modelid, id): 'id|id|…'}. Related articles in the editor's
    order; ids of articles that no longer exist (PHPCMS never cleans them) dropped."""
    wanted = {}
    for (modelid, item_id), value in relations.items():
        article_id = records.target(f"item:{modelid}:{item_id}")
        if article_id is None:
            continue
        related = []
        for other in text.relation(value):
            other_id = records.target(f"item:{modelid}:{other}")
            if other_id is None:
                report.problem(
                    "related", f"文章 {modelid}-{item_id} 的相关文章 {other} 已不存在，已略去"
                )
            elif other_id != article_id and other_id not in related:
                related.append(other_id)
        wanted[article_id] = related
    have_ordered = {}
    links = RelatedArticle.objects.filter(article_id__in=id_list(wanted)).order_by("position")
    for link in links:
        have_ordered.setdefault(link.article_id, []).append(link.related_id)
    changed = [a for a, related in wanted.items() if have_ordered.get(a, []) != related]
    for start in progress(range(0, len(changed), BATCH), "相关文章", unit="批"):
        batch = changed[start : start + BATCH]
        with transaction.atomic():
            RelatedArticle.objects.filter(article_id__in=batch).delete()
            RelatedArticle.objects.bulk_create(
                RelatedArticle(article_id=a, related_id=r, position=n)
                for a in batch
                for n, r in enumerate(wanted[a], start=1)
            )
    report.count("related", "updated", len(changed))
    report.count("related", "unchanged", len(wanted) - len(changed))


def write_placements(positions, placements, records, report):
    """Articles pushed into recommendation positions → slot placements (writers/slots.py)."""
    found = []
    for placement in placements:
        position = positions.get(placement.posid)
        article_id = records.target(f"item:{placement.modelid}:{placement.id}")
        if position is None or article_id is None:
            report.skip(
                "placement",
                f"推荐位 {placement.posid} 中的文章 {placement.modelid}-{placement.id} 不存在",
            )
            continue
        found.append((position, article_id))
    write_slot_placements(found, report)


def write_addresses(entries, report, progress):
    """``entries``: (path, kind, target id, page). A path printed for two things keeps
    the first and is reported."""
    kept = {}
    for path, kind, target_id, page in entries:
        if not path or path == "/":
            continue
        if path in kept and kept[path][:2] != (kind, target_id):
            report.problem("address", f"旧网址 {path} 同时指向两处内容，保留第一处")
            continue
        kept.setdefault(path, (kind, target_id, page))
    existing = {
        p: (k, t, n)
        for p, k, t, n in OldAddress.objects.values_list("path", "kind", "target_id", "page")
    }
    rows = [
        OldAddress(path=p, kind=k, target_id=t, page=n)
        for p, (k, t, n) in kept.items()
        if existing.get(p) != (k, t, n)
    ]
    for start in progress(range(0, len(rows), BATCH), "旧网址", unit="批"):
        with transaction.atomic():
            OldAddress.objects.bulk_create(
                rows[start : start + BATCH],
                update_conflicts=True,
                unique_fields=["path"],
                update_fields=["kind", "target_id", "page"],
            )
    created = sum(1 for r in rows if r.path not in existing)
    report.count("address", "created", created)
    report.count("address", "updated", len(rows) - created)
    report.count("address", "unchanged", len(kept) - len(rows))


def _with_site_folder(found, folder):
    """A subsite's static pages were written under the main site's ``/html/{dirname}``
    (PHPCMS's html.class.php), where its own domain pointed: that path answered on the
    main host too. ``folder``: '/html/xikou', or '' for the main site."""
    if not folder:
        return found
    return found + [(folder + path, *rest) for path, *rest in found]


def article_paths(item, category, rule, pages, article_id, dirs=None, folder=""):
    """The static paths (and a stored static url) of one imported article (``dirs``:
    ``addresses.html_dirs`` of its category; ``folder``: its site's, as above)."""
    found = [
        (path, "article", article_id, page)
        for path, page in addresses.static_article_paths(
            category, item.id, item.inputtime, rule, pages, dirs
        )
    ]
    stored = addresses.path_of(item.url) if not item.islink else ""
    if stored and addresses.parse(stored, {}) is None and stored not in {p for p, *_ in found}:
        found.append((stored, "article", article_id, 1))
    return _with_site_folder(found, folder)


def channel_paths(category, rule, channel_id, dirs=None, folder=""):
    found = [
        (p, "channel", channel_id, n)
        for p, n in addresses.static_channel_paths(category, rule, dirs)
    ]
    stored = addresses.path_of(category.url)
    if stored and addresses.parse(stored, {}) is None and stored not in {p for p, *_ in found}:
        found.append((stored, "channel", channel_id, 1))
    return _with_site_folder(found, folder)
