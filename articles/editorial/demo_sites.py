"""The demo as a site group (docs/sites.md): the city's main site, 七星区 on
qixing.localhost and 恭城 on gongcheng.localhost, each with channels of its own and
the city's 新闻廉播 and 通知公告 carried; the seed article written by 七星区 and adopted
by the city into 清廉之窗 > 基层风采; and a few submissions in each state, so that the
adoption statistics show something real. All demo text is our own.
"""

from datetime import datetime, timedelta

from articles.editorial.models import AuditEntry
from articles.editorial.submissions import Submission
from articles.models import Article, Channel, Placement, Site, SiteSettings, Source

SEED = "qixing-shuangjian"
CARRIED = ["xinwen", "tongzhi"]
COUNTIES = [
    {
        "name": "七星区",
        "hosts": "qixing.localhost",
        "source": "七星区纪委监委",
        "site_name": "清廉七星",
        "channels": [("qixing-dongtai", "七星动态"), ("qixing-tougao", "通讯员投稿")],
    },
    {
        "name": "恭城",
        "hosts": "gongcheng.localhost",
        "source": "恭城瑶族自治县纪委监委",
        "site_name": "清廉恭城",
        "channels": [("gongcheng-dongtai", "恭城动态"), ("gongcheng-yaoxiang", "廉洁瑶乡")],
    },
]
# (county, local channel, title, paragraph, city channel, fate, reason)
SUBMITTED = [
    (
        "七星区",
        "qixing-dongtai",
        "七星区：开展新提任干部廉政谈话",
        "七星区纪委监委近日对今年新提任的科级干部开展集体廉政谈话，结合身边典型案例讲解"
        "纪律要求，引导大家把好权力关、交友关、亲情关。",
        "jiceng",
        "pending",
        "",
    ),
    (
        "七星区",
        "qixing-tougao",
        "七星区：社区“微权力”清单上墙",
        "七星区在各社区推行“微权力”清单，把低保审核、资金使用等事项的办理流程和监督电话"
        "公布在社区服务大厅，方便群众查询和监督。",
        "jiceng",
        "returned",
        "事例偏少，请补充一两个社区的具体做法和群众反映后再报送。",
    ),
    (
        "恭城",
        "gongcheng-dongtai",
        "恭城：聚焦乡村振兴资金开展专项监督",
        "恭城瑶族自治县纪委监委围绕衔接推进乡村振兴补助资金开展专项监督，深入乡镇核查项目"
        "台账，督促相关部门整改发现的问题。",
        "jiceng",
        "adopted",
        "",
    ),
    (
        "恭城",
        "gongcheng-yaoxiang",
        "恭城：瑶乡廉洁文化进村寨",
        "恭城把廉洁文化融入瑶族油茶、山歌等本地习俗，在村寨文化广场设置廉洁文化墙，"
        "让群众在日常生活中感受清风正气。",
        "jiceng",
        "pending",
        "",
    ),
    (
        "恭城",
        "gongcheng-dongtai",
        "恭城：整治群众身边不正之风",
        "恭城瑶族自治县纪委监委梳理群众反映强烈的问题线索，对办事推诿、吃拿卡要等作风问题"
        "集中督办，并通报典型问题。",
        "jiceng",
        "returned",
        "与本月已采用的稿件内容重复。",
    ),
]


def load(sender, loader, channels, sources, articles, **kwargs):
    if SEED not in articles or any(slug not in channels for slug in [*CARRIED, "jiceng"]):
        return  # content of another shape (a benchmark's): no site group to show
    main = Site.main()
    main.name = "桂林市"
    main.source = sources.get("桂林市纪委监委")
    main.save()
    sites, local = {}, dict(channels)
    for position, item in enumerate(COUNTIES, start=1):
        source = sources.get(item["source"]) or Source.objects.create(name=item["source"])
        site = Site.objects.create(
            name=item["name"], hosts=item["hosts"], source=source, position=position
        )
        site.carried_channels.set([channels[slug] for slug in CARRIED])
        SiteSettings.objects.create(
            site=site,
            site_name=item["site_name"],
            description=f"{item['site_name']}（演示站点）：{item['source']}的工作动态。",
            organizer=f"{item['source']}（演示）",
            # A county commission's site has its 监督举报 entrance too; the number is the
            # city's area code with 12388, as the city's demo settings have it.
            report_enabled=True,
            report_phone="0773-12388",
        )
        loader.note("站点", site)
        for index, (slug, name) in enumerate(item["channels"]):
            local[slug] = Channel.objects.create(name=name, slug=slug, site=site, position=index)
            loader.note("栏目", local[slug])
        sites[item["name"]] = site
    seed = articles[SEED]
    qixing = sites["七星区"]
    _move(seed, qixing, local["qixing-dongtai"])
    _submission(seed, qixing, channels["jiceng"], "adopted", "", seed.published_at)
    for number, (county, slug, title, text, target, fate, reason) in enumerate(SUBMITTED):
        site = sites[county]
        when = seed.published_at + timedelta(days=30 * (number + 1))
        article = Article.objects.create(
            title=title,
            channel=local[slug],
            site=site,
            source=site.source,
            body=f"<p>{text}</p>",
            published_at=min(when, datetime.now(tz=when.tzinfo)),
            status=Article.Status.PUBLISHED,
        )
        _submission(article, site, channels[target], fate, reason, article.published_at)
        loader.note("报送稿件", article)


def _move(article, site, channel):
    """The seed belongs to the county that wrote it, in its own channel."""
    article.site, article.channel = site, channel
    article.save(update_fields=["site", "channel"])


def _submission(article, site, channel, fate, reason, when):
    submission = Submission.objects.create(
        article=article,
        site=site,
        channel=channel,
        status=fate,
        submitted_at=when - timedelta(days=1),
        decided_at=None if fate == "pending" else when,
        reason=reason,
    )
    steps = [(AuditEntry.Action.SUBMIT_UP, f"报送到“{channel}”", submission.submitted_at)]
    if fate == "adopted":
        Placement.objects.create(article=article, channel=channel, placed_at=when)
        steps.append((AuditEntry.Action.ADOPT, f"{site}报送，采用到“{channel}”", when))
    elif fate == "returned":
        steps.append((AuditEntry.Action.RETURN, f"{site}报送到“{channel}”，退回：{reason}", when))
    for action, note, at in steps:
        AuditEntry.objects.create(
            created_at=at,
            action=action,
            article_id=article.pk,
            article_title=article.title,
            note=note,
            username="演示",
        )
    return submission
