"""Builds the demo site from ``content.json``, which ships with the project.

The demo goes only into a site without content of its own, and only once (``DemoLoad``
records it): loading it again never brings back what an administrator deleted, never
trips over what they added (two friendly links may share a name) and never overwrites
what editors changed.
"""

import io
import json
from datetime import datetime
from pathlib import Path

import qrcode
from django.core.files.base import ContentFile
from django.dispatch import Signal
from django.utils import timezone
from PIL import Image, ImageDraw

from articles.models import (
    Article,
    Channel,
    FriendlyLink,
    RelatedArticle,
    SiteSettings,
    Slot,
    SlotPlacement,
    Source,
    slots,
)
from articles.ops.models import DemoLoad

CONTENT = Path(__file__).with_name("content.json")
# Sent once the demo's content is in, for the layers above to add theirs (``loader``,
# ``channels`` by slug, ``sources`` by name, ``articles`` by key).
demo_loaded = Signal()

SITE = {
    "site_name": "清廉桂林",
    "description": "清廉桂林（演示站点）：发布纪检监察工作动态、审查调查信息和廉洁文化。",
    "organizer": "清廉桂林网站（演示）",
    "undertaker": "清廉桂林网站编辑部（演示）",
    "contact": "联系电话：0773-0000000（演示）",
    "icp_number": "演示站点，无备案号",
    "police_number": "演示站点，无公安备案号",
    "site_code": "0000000000",
    "weibo_url": "https://weibo.com/",
    "report_enabled": True,
    "report_url": "https://www.12388.gov.cn/",
    "report_phone": "0773-12388",
}

FRIENDLY_LINKS = [
    ("中央纪委国家监委网站", "https://www.ccdi.gov.cn/"),
    ("中国政府网", "https://www.gov.cn/"),
    ("广西壮族自治区人民政府", "http://www.gxzf.gov.cn/"),
    ("桂林市人民政府", "https://www.guilin.gov.cn/"),
]


# A site holding any of these has content of its own: the demo is not mixed into it.
CONTENT_MODELS = [Article, Channel, Source, FriendlyLink]


def load_content():
    return json.loads(CONTENT.read_text(encoding="utf-8"))


def existing_content():
    """{verbose name plural: count} of what the site already holds, empty if nothing."""
    counts = {model._meta.verbose_name_plural: model.objects.count() for model in CONTENT_MODELS}
    return {name: count for name, count in counts.items() if count}


def refusal():
    """Why the demo may not be loaded into this site, or "" when it may."""
    done = DemoLoad.objects.order_by("loaded_at").first()
    if done is not None:
        when = timezone.localtime(done.loaded_at)
        return (
            f"it was loaded into this site once already ({when:%Y-%m-%d %H:%M}); what "
            "administrators deleted, added or changed since stays as they left it"
        )
    content = existing_content()
    if content:
        held = "，".join(f"{name} {count}" for name, count in content.items())
        return f"the site has content of its own ({held}); the demo is not mixed into it"
    return ""


class DemoLoader:
    def __init__(self, log=lambda message: None, dry_run=False):
        self.log = log
        self.dry_run = dry_run
        self.created = 0

    def run(self, data=None):
        """Load the demo and record it; ``refusal()`` says first whether it may."""
        data = data or load_content()
        sources = {item["name"]: self.source(item) for item in data["sources"]}
        channels = {}
        for position, item in enumerate(data["channels"]):
            self.channel(item, None, position, channels)
        articles = {item["key"]: self.article(item, channels, sources) for item in data["articles"]}
        for item in data["articles"]:
            for position, key in enumerate(item.get("related", [])):
                RelatedArticle.objects.create(
                    article=articles[item["key"]], related=articles[key], position=position
                )
                self.created += 1
        self.site_settings()
        for position, (name, url) in enumerate(FRIENDLY_LINKS):
            link = FriendlyLink.objects.create(name=name, url=url, position=position)
            self._note("友情链接", link)
        # The desk adds the site group and its submissions (articles/editorial/demo_sites.py).
        demo_loaded.send(
            DemoLoader, loader=self, channels=channels, sources=sources, articles=articles
        )
        DemoLoad.objects.create(created=self.created)
        return self.created

    def source(self, item):
        source = Source.objects.create(name=item["name"], url=item.get("url", ""))
        self._note("来源", source)
        return source

    def channel(self, item, parent, position, channels):
        channel = Channel.objects.create(
            slug=item["slug"],
            name=item["name"],
            parent=parent,
            position=position,
            description=item.get("description", ""),
            keywords=item.get("keywords", ""),
            column_type=item.get("column_type", Channel._meta.get_field("column_type").default),
            show_in_nav=item.get("show_in_nav", True),
        )
        self._note("栏目", channel)
        channels[channel.slug] = channel
        for child_position, child in enumerate(item.get("children", [])):
            self.channel(child, channel, child_position, channels)

    def article(self, item, channels, sources):
        channel = channels[item["channel"]]
        article = Article.objects.create(
            title=item["title"],
            channel=channel,
            source=sources.get(item.get("source")),
            author=item.get("author", ""),
            summary=item.get("summary", ""),
            body=item["body"],
            external_url=item.get("external_url", ""),
            published_at=datetime.fromisoformat(item["published_at"]),
            status=Article.Status.PUBLISHED,
            is_pinned=item.get("pinned", False),
        )
        if item.get("featured", False):
            self.place(article, slots.HEADLINES)
        if item.get("carousel", False):
            self.place(article, slots.CAROUSEL)
        if (item.get("featured") or item.get("carousel")) and not self.dry_run:
            article.cover.save(f"{item['key']}.png", ContentFile(cover_image(item["key"])))
            article.cover_alt = f"{article.title}（示意图）"
            article.save(update_fields=["cover", "cover_alt"])
        self._note("文章", article)
        return article

    def place(self, article, key):
        """Push ``article`` into the slot ``key``, after those already there."""
        slot = Slot.objects.filter(key=key).first()
        if slot is not None:
            SlotPlacement.objects.create(
                slot=slot, article=article, position=slot.placements.count()
            )

    def site_settings(self):
        """Fill the settings only while nobody has touched them."""
        settings = SiteSettings.load()
        if not _untouched(settings):
            return
        for field, value in SITE.items():
            setattr(settings, field, value)
        if self.dry_run:
            settings.save()
        else:
            settings.wechat_qr.save(
                "wechat.png", ContentFile(qr_image("清廉桂林 微信公众号（演示）"))
            )
        self._note("网站设置", settings)

    def note(self, kind, obj):
        self._note(kind, obj)

    def _note(self, kind, obj):
        self.created += 1
        self.log(f"新建{kind}：{obj}")


def _untouched(settings):
    blank = SiteSettings()
    return all(
        getattr(settings, field.attname) == getattr(blank, field.attname)
        for field in SiteSettings._meta.concrete_fields
        if not field.primary_key and field.name != "site"
    )


def _png(image):
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def cover_image(key, size=(960, 540)):
    """A quiet red-and-gold illustration, different for each article."""
    seed = sum(key.encode())
    image = Image.new("RGB", size, (181, 18, 27))
    draw = ImageDraw.Draw(image)
    width, height = size
    for i in range(6):
        radius = 80 + ((seed * (i + 3)) % 260)
        x = (seed * (i + 7) * 37) % width
        y = (seed * (i + 11) * 53) % height
        draw.ellipse(
            (x - radius, y - radius, x + radius, y + radius), outline=(230, 180, 80), width=6
        )
    draw.rectangle((0, height - 90, width, height), fill=(140, 13, 20))
    return _png(image)


def qr_image(text):
    return _png(qrcode.make(text, box_size=6, border=2).get_image().convert("RGB"))
