"""What the dashboard shows: one traffic light per inspection rule, with what fails it.

Every list here is bounded and every figure comes from a grouped query or a table the
checking commands keep, so the page answers in well under a second at 100,000 articles
(bench/inspections_bench.py). ``scope`` (scope.SiteScope) narrows every rule to one site
of the site group: its channels, its home, its articles; None looks at everything.
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch, Q
from django.utils import timezone

from articles.inspections import freshness
from articles.inspections.levels import AMBER, GREEN, LABELS, RED, UNKNOWN, worst
from articles.inspections.models import (
    CheckedLink,
    CheckRun,
    LinkPlace,
    TimeFlag,
    WordingFinding,
    WordingRule,
)

LIST_LIMIT = 200


@dataclass
class Rule:
    key: str
    title: str
    level: str
    summary: str
    rows: list = field(default_factory=list)

    @property
    def label(self):
        return LABELS[self.level]


def home_rule(scope=None):
    latest = freshness.home_latest(scope and scope.site)
    level = freshness.home_level(latest)
    if latest is None:
        summary = "网站还没有任何已发布的文章。"
    else:
        days = (timezone.now() - latest).days
        summary = (
            f"首页最近一次更新是 {timezone.localtime(latest):%Y-%m-%d %H:%M}（{days} 天前），"
            f"要求不超过 {freshness.HOME_LIMIT_DAYS} 天。"
        )
    return Rule("home", "首页更新", level, summary)


def channel_rules(states):
    stale = [s for s in states if s.latest is not None and s.level != GREEN]
    stale.sort(key=lambda s: (s.level != RED, s.days_left if s.days_left is not None else 0))
    over = sum(1 for s in stale if s.level == RED)
    level = worst(s.level for s in stale) if stale else GREEN
    summary = (
        f"{over} 个栏目超过更新期限，{len(stale) - over} 个栏目一周内将到期。"
        if stale
        else "所有栏目都在更新期限内。"
    )
    freshness_rule = Rule("channels", "栏目更新", level, summary, stale)

    empty = [s for s in states if s.latest is None]
    level = GREEN if not empty else AMBER
    if len(empty) >= freshness.EMPTY_CHANNELS_VETO:
        level = RED
    summary = (
        f"{len(empty)} 个空栏目（{freshness.EMPTY_CHANNELS_VETO} 个及以上即单项否决）。"
        if empty
        else "没有空栏目。"
    )
    return [freshness_rule, Rule("empty", "空栏目", level, summary, empty)]


def wording_rule(scope=None):
    findings = WordingFinding.objects.select_related("article", "rule").order_by(
        "rule__severity", "-article__published_at"
    )
    if scope is not None:
        findings = findings.filter(scope.owns("article__"))
    rows = list(findings[:LIST_LIMIT])
    severe = findings.filter(rule__severity=WordingRule.Severity.SEVERE).count()
    total = findings.count()
    if not total:
        level = GREEN if CheckRun.last(CheckRun.Kind.WORDING) else UNKNOWN
        summary = "未发现错敏字。" if level == GREEN else "尚未检查全部文章（check_wording 命令）。"
    else:
        level = RED if severe else AMBER
        summary = f"已发布文章中发现 {total} 处错敏字，其中严重 {severe} 处。"
    return Rule("wording", "错敏字", level, summary, rows)


def links_rule(scope=None):
    links = CheckedLink.objects.all()
    places = LinkPlace.objects.select_related("article")
    if scope is not None:
        # A site's links are those on its articles; the main site's also the furniture.
        here = scope.owns("article__")
        if scope.site.is_main:
            here |= Q(article__isnull=True)
        places = places.filter(here)
        links = links.filter(pk__in=places.values("link_id"))
    dead = links.filter(is_dead=True).prefetch_related(Prefetch("places", queryset=places))
    total = links.count()
    rows = list(dead[:LIST_LIMIT])
    if not CheckRun.last(CheckRun.Kind.LINKS):
        return Rule("links", "死链", UNKNOWN, "尚未检查链接（check_links 命令）。")
    count = dead.count()
    summary = f"{total} 个链接中有 {count} 个无法访问。" if count else f"{total} 个链接都能访问。"
    return Rule("links", "死链", AMBER if count else GREEN, summary, rows)


def times_rule(scope=None):
    flags = TimeFlag.objects.select_related("article", "user")
    if scope is not None:
        flags = flags.filter(scope.owns("article__"))
    count = flags.count()
    rows = list(flags[:LIST_LIMIT])
    summary = f"{count} 处发布时间与实际不符。" if count else "没有发现发布时间与实际不符的文章。"
    return Rule("times", "发布时间", RED if count else GREEN, summary, rows)


def rules(scope=None):
    states = freshness.channel_states(None if scope is None else scope.channels())
    return [
        home_rule(scope),
        *channel_rules(states),
        wording_rule(scope),
        links_rule(scope),
        times_rule(scope),
    ]


def red_titles(scope=None):
    """The titles of the rules that fail now, for the warning on the admin's home."""
    return [rule.title for rule in rules(scope) if rule.level == RED]
