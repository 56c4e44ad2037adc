"""Channel freshness: how long since each channel (with the channels below it) last
had a new article, against its column type's limit, and which channels are empty.

One grouped query over published articles answers for every channel at once, so the
dashboard costs the same at 100 or 100,000 articles (bench/inspections_bench.py).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Max
from django.urls import reverse
from django.utils import timezone

from articles.inspections.levels import AMBER, GREEN, RED
from articles.inspections.models import FreshnessLimit
from articles.models import Article, Channel

# Inspectors fail a site whose home page has not changed for two weeks.
HOME_LIMIT_DAYS = 14
# A channel this close to its limit is shown amber: there is still time to write.
WARNING_DAYS = 7
# Five or more empty channels fail the site outright (单项否决).
EMPTY_CHANNELS_VETO = 5


@dataclass
class ChannelState:
    channel: Channel
    depth: int
    count: int
    latest: datetime | None
    limit_days: int | None
    level: str

    @property
    def age_days(self):
        if self.latest is None:
            return None
        return (timezone.now() - self.latest).days

    @property
    def days_left(self):
        if self.latest is None or self.limit_days is None:
            return None
        return self.limit_days - (timezone.now() - self.latest).days

    @property
    def days_over(self):
        left = self.days_left
        return None if left is None else -left

    @property
    def admin_url(self):
        return reverse("admin:articles_channel_change", args=[self.channel.pk])

    @property
    def articles_url(self):
        url = reverse("admin:articles_article_changelist")
        return f"{url}?channel__id__exact={self.channel.pk}"


def limits():
    """Days allowed per column type; a type without a row (or without days) is not checked."""
    return dict(FreshnessLimit.objects.values_list("column_type", "days"))


def _level(latest, limit_days, now):
    if latest is None:
        return RED
    if limit_days is None:
        return GREEN
    if latest < now - timedelta(days=limit_days):
        return RED
    if latest < now - timedelta(days=max(limit_days - WARNING_DAYS, 0)):
        return AMBER
    return GREEN


def channel_states(channels=None, now=None):
    """Every channel, in the tree's order, with its newest article and its level.

    ``channels`` narrows the check to some channels (a site's, later); a channel's
    articles are its own and those of every channel below it, as its page lists them.
    """
    now = now or timezone.now()
    tree = Channel.objects.tree()
    per_channel = {
        row["channel"]: (row["n"], row["latest"])
        for row in Article.objects.published()
        .values("channel")
        .annotate(n=Count("id"), latest=Max("published_at"))
        .order_by()
    }
    allowed = limits()
    wanted = None if channels is None else {getattr(c, "pk", c) for c in channels}
    states = []
    for channel, depth in tree.walk():
        if wanted is not None and channel.pk not in wanted:
            continue
        count, latest = 0, None
        for pk in tree.descendant_ids(channel):
            n, newest = per_channel.get(pk, (0, None))
            count += n
            if newest is not None and (latest is None or newest > latest):
                latest = newest
        limit_days = allowed.get(channel.column_type)
        states.append(
            ChannelState(channel, depth, count, latest, limit_days, _level(latest, limit_days, now))
        )
    return states


def home_latest():
    """When the home page last changed: the newest article readers can see."""
    return (
        Article.objects.published()
        .order_by("-published_at")
        .values_list("published_at", flat=True)
        .first()
    )


def home_level(latest, now=None):
    return _level(latest, HOME_LIMIT_DAYS, now or timezone.now())
