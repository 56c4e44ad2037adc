"""Reading an article's saved revisions (django-reversion) and showing what changed.

Revisions themselves are kept by django-reversion: ``Article`` is registered with its
related links followed (articles/models.py), and the admin saves one revision per save
or state change. This module only reads them back, for the history's comparison page
and for the message shown when a stale save is refused.
"""

import datetime
import difflib

from django.contrib.contenttypes.models import ContentType
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from reversion.models import Version

from articles.editorial import workflow
from articles.models import Article, Channel, RelatedArticle, Source, TitleColour
from articles.sanitize import html_to_text

# What the comparison shows, in the order of the form. Counters and stamps are left out.
COMPARED_FIELDS = [
    "title",
    "title_colour",
    "title_bold",
    "channel",
    "source",
    "author",
    "summary",
    "body",
    "cover",
    "cover_alt",
    "status",
    "published_at",
    "unpublish_at",
    "is_pinned",
    "weight",
    "external_url",
    "keywords",
]
TEXT_FIELDS = {"title", "author", "summary", "cover_alt"}


def versions_of(article_id):
    """The saved versions of one article, newest first."""
    return (
        Version.objects.get_for_object_reference(Article, article_id)
        .select_related("revision", "revision__user")
        .order_by("-pk")
    )


def version_numbered(article_id, number):
    """The saved version whose optimistic-lock number is ``number``, or None."""
    for version in versions_of(article_id):
        if version.field_dict.get("version") == number:
            return version
    return None


def related_links(version):
    """The related links saved with ``version``, as (position, related article id), sorted."""
    content_type = ContentType.objects.get_for_model(RelatedArticle)
    article_id = int(version.object_id)
    links = []
    for link in version.revision.version_set.filter(content_type=content_type):
        data = link.field_dict
        if data["article_id"] == article_id:
            links.append((data["position"], data["related_id"]))
    return sorted(links)


def _comparable(value):
    # Revisions are serialized as JSON, which keeps milliseconds of a time, not microseconds.
    if isinstance(value, datetime.datetime):
        return value.replace(microsecond=value.microsecond // 1000 * 1000)
    if isinstance(value, FieldFile) or value is None:
        return str(value or "")
    return value


def describe_save(article, added=False):
    """The history's line for a save in the admin: what changed, and the step it took.

    Compares the article as just saved with its last saved version, so a save that
    only submits or publishes says so instead of listing fields the form resent.
    """
    previous = None if added else versions_of(article.pk).first()
    parts = []
    from_state = Article.Status.DRAFT
    if previous is None:
        # An article written by an importer has no version to compare with.
        parts.append("新建" if added else "第一次在后台保存")
    else:
        old = previous.field_dict
        from_state = old.get("status", from_state)
        changed = [
            str(Article._meta.get_field(name).verbose_name)
            for name in COMPARED_FIELDS
            if name != "status"
            and _comparable(old.get(Article._meta.get_field(name).attname))
            != _comparable(getattr(article, Article._meta.get_field(name).attname))
        ]
        current_links = sorted(article.related_links.values_list("position", "related_id"))
        if current_links != related_links(previous):
            changed.append("相关文章")
        if changed:
            parts.append("修改了" + "、".join(changed))
    if article.status != from_state:
        step = workflow.for_status_change(from_state, article.status)
        parts.append(step.label if step else f"状态改为{article.get_status_display()}")
    return "；".join(parts) or "保存（内容没有改动）"


def related_titles(version):
    """The related articles saved with ``version``, in their order, as titles."""
    content_type = ContentType.objects.get_for_model(RelatedArticle)
    article_id = int(version.object_id)
    links = []
    for link in version.revision.version_set.filter(content_type=content_type):
        data = link.field_dict
        if data["article_id"] == article_id:
            links.append((data["position"], link.pk, data["related_id"]))
    links.sort()
    titles = dict(
        Article.objects.filter(pk__in=[r for _, _, r in links]).values_list("pk", "title")
    )
    return [titles.get(related_id, f"（已删除的文章 #{related_id}）") for _, _, related_id in links]


def _display(name, value):
    if value is None or value == "":
        return "（空）"
    if name == "channel":
        return Channel.objects.filter(pk=value).values_list("name", flat=True).first() or value
    if name == "source":
        return Source.objects.filter(pk=value).values_list("name", flat=True).first() or value
    if name == "status":
        return Article.Status(value).label
    if name == "title_colour" and value in TitleColour.values:
        return TitleColour(value).label
    if isinstance(value, bool):
        return "是" if value else "否"
    if name in ("published_at", "unpublish_at"):
        return date_format(timezone.localtime(value), "Y-m-d H:i:s")
    return str(value)


def inline_diff(old, new):
    """Both texts as HTML, with what was removed in <del> and what was added in <ins>."""
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    before, after = [], []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            before.append(escape(old[i1:i2]))
            after.append(escape(new[j1:j2]))
            continue
        if i2 > i1:
            before.append(format_html("<del>{}</del>", old[i1:i2]))
        if j2 > j1:
            after.append(format_html("<ins>{}</ins>", new[j1:j2]))
    return mark_safe("".join(before)), mark_safe("".join(after))


def lines_diff(old_lines, new_lines, within_lines=True):
    """Two lists of lines, compared line by line and then (optionally) within changed lines."""
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    before, after = [], []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        old, new = old_lines[i1:i2], new_lines[j1:j2]
        if tag == "equal":
            before += [escape(line) for line in old]
            after += [escape(line) for line in new]
            continue
        paired = min(len(old), len(new)) if within_lines else 0
        for a, b in zip(old[:paired], new[:paired], strict=True):
            a_html, b_html = inline_diff(a, b)
            before.append(a_html)
            after.append(b_html)
        before += [format_html("<del>{}</del>", line) for line in old[paired:]]
        after += [format_html("<ins>{}</ins>", line) for line in new[paired:]]
    return mark_safe("\n".join(before)), mark_safe("\n".join(after))


def body_lines(html):
    """The body as readers read it, one line per paragraph, heading, list item…"""
    return html_to_text(html or "").splitlines()


def compare(old_version, new_version):
    """Rows for the comparison page: (label, old HTML, new HTML) of each changed field.

    Returns the rows and the labels of the fields that did not change.
    """
    old, new = old_version.field_dict, new_version.field_dict
    rows, unchanged = [], []
    for name in COMPARED_FIELDS:
        field = Article._meta.get_field(name)
        # (A version saved before a field existed holds its default.)
        default = field.get_default()
        a, b = old.get(field.attname, default), new.get(field.attname, default)
        if name == "cover":
            a, b = str(a or ""), str(b or "")
        if a == b:
            unchanged.append(field.verbose_name)
            continue
        if name == "body":
            before, after = lines_diff(body_lines(a), body_lines(b))
            if body_lines(a) == body_lines(b):
                # Same words, different markup: a picture, a link or formatting changed.
                after = mark_safe(f"{after}\n<ins>（文字未变，图片、链接或格式有改动）</ins>")
        elif name in TEXT_FIELDS:
            before, after = inline_diff(a or "", b or "")
        else:
            before, after = _display(name, a), _display(name, b)
        rows.append((field.verbose_name, before, after))
    old_related, new_related = related_titles(old_version), related_titles(new_version)
    if old_related != new_related:
        rows.append(("相关文章", *lines_diff(old_related, new_related, within_lines=False)))
    else:
        unchanged.append("相关文章")
    return rows, unchanged
