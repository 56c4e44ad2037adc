"""PHPCMS categories → the channel tree (and single pages → a channel with one article,
external links → a link channel)."""

import html
import re

from django.utils.text import slugify
from pypinyin import lazy_pinyin

from articles.fields import is_web_address
from articles.importer.writers.records import fingerprint
from articles.models import Channel

_TAGS = re.compile(r"<[^>]*>")


def plain(value):
    return re.sub(r"\s+", " ", html.unescape(_TAGS.sub(" ", value))).strip()


def ordered(categories, report):
    """Parents before children; a category whose parent is gone becomes a top level."""
    by_id = {c.catid: c for c in categories}
    children = {}
    for category in categories:
        parent = category.parentid
        if parent and parent not in by_id:
            report.problem(
                "channel",
                f"栏目 {category.catid}「{category.name}」的上级 {parent} 不存在，作为顶级栏目导入",
            )
            parent = 0
        children.setdefault(parent, []).append(category)
    result, queue, seen = [], [0], set()
    while queue:
        for category in sorted(
            children.get(queue.pop(0), []), key=lambda c: (c.listorder, c.catid)
        ):
            if category.catid not in seen:
                seen.add(category.catid)
                result.append(category)
                queue.append(category.catid)
    for category in categories:  # a loop of parents: never reached from the top
        if category.catid not in seen:
            report.problem(
                "channel",
                f"栏目 {category.catid}「{category.name}」的上级形成循环，作为顶级栏目导入",
            )
            category.parentid = 0
            result.append(category)
    return result


def base_slug(category):
    slug = slugify(category.catdir.replace("_", "-"))[:50].strip("-")
    if not slug:
        slug = slugify("-".join(lazy_pinyin(category.name)))[:50].strip("-")
    return slug or f"channel-{category.catid}"


def unique_slug(category, parent_slug, taken):
    """Slugs are one namespace here (/channel/<slug>/); PHPCMS's catdir is unique only
    under one parent, so a clash takes the parent's slug, then the catid."""
    base = base_slug(category)
    for candidate in (base, f"{parent_slug}-{base}"[:60], f"{base}-{category.catid}"[:60]):
        if candidate and candidate.strip("-") and candidate not in taken:
            return candidate
    number = 2
    while f"{base}-{category.catid}-{number}" in taken:
        number += 1
    return f"{base}-{category.catid}-{number}"


def external_url(category, report):
    """A type-2 category's link, or None (reported) when it is not an http(s) address."""
    url = category.url.strip()
    if is_web_address(url):
        return url[:500]
    report.skip(
        "channel",
        f"栏目 {category.catid}「{category.name}」是外部链接，但网址不是 http(s) 网址，"
        f"未导入：{url}",
    )
    return None


def write_channels(categories, records, report, progress, local_site):
    """Create or update one channel per category; returns {catid: channel id} of the
    channels that hold articles (a type-2 category is a link channel, which holds none).
    A county site's categories are its local channels."""
    slugs = dict(Channel.objects.values_list("slug", "pk"))
    taken = set(slugs)
    channel_of = {}
    links = set()
    slug_of = {}
    for category in progress(ordered(categories, report), "栏目"):
        url = ""
        if category.type == 2 and (url := external_url(category, report)) is None:
            continue
        parent_id = channel_of.get(category.parentid)
        fields = {
            "name": plain(category.name)[:50] or f"栏目{category.catid}",
            "parent_id": parent_id,
            "position": category.listorder,
            "description": plain(category.description),
            "keywords": plain(str(category.setting.get("meta_keywords", "")))[:200],
            "show_in_nav": category.ismenu,
            "site_id": local_site.get(category.siteid),
        }
        if url:  # (only then: the digests of channels imported before stay the same)
            fields["external_url"] = url
        key = f"category:{category.catid}"
        facts = {"model": category.modelid, "site": category.siteid, "type": category.type}
        digest = fingerprint(fields, facts)
        record = records.get(key)
        channel = None
        if record and record.target_id:
            channel = Channel.objects.filter(pk=record.target_id).first()
        if channel is None:
            slug = unique_slug(category, slug_of.get(category.parentid, ""), taken)
            channel = Channel.objects.create(slug=slug, **fields)
            taken.add(slug)
            report.count("channel", "created")
        elif record.fingerprint != digest:
            for name, value in {"external_url": "", **fields}.items():
                setattr(channel, name, value)
            channel.save()
            report.count("channel", "updated")
        else:
            report.count("channel", "unchanged")
        records.keep(key, channel.pk, digest, facts, target=channel.slug)
        channel_of[category.catid] = channel.pk
        slug_of[category.catid] = channel.slug
        if url:
            links.add(category.catid)
    return {catid: pk for catid, pk in channel_of.items() if catid not in links}
