"""What waits for each user on the admin's home: for a reviewer the articles submitted
for review, oldest first; for an editor their drafts, the drafts returned to them with
the reviewer's reason, and what of theirs was published lately."""

from dataclasses import dataclass, field

from django.db.models import Q

from articles.editorial.models import AuditEntry
from articles.models import Article

Status = Article.Status
SHOWN = 10


@dataclass
class Shelf:
    title: str
    count: int
    articles: list
    list_url: str = ""
    empty: str = ""
    notes: bool = field(default=False)


def _theirs(user):
    """Articles ``user`` wrote or submitted for review."""
    submitted = AuditEntry.objects.filter(user=user, action=AuditEntry.Action.SUBMIT).values(
        "article_id"
    )
    return Q(created_by=user) | Q(pk__in=submitted)


def _shelf(title, queryset, *, list_url="", empty="", notes=False, shown=SHOWN):
    return Shelf(
        title,
        queryset.count(),
        list(queryset.select_related("channel")[:shown]),
        list_url,
        empty,
        notes,
    )


def for_user(user, changelist_url):
    """The shelves of ``user``'s work queue, the most pressing first."""
    shelves = []
    articles = Article.objects.all()
    if user.has_perm("articles.publish_article"):
        shelves.append(
            _shelf(
                "待审核",
                articles.filter(status=Status.PENDING).order_by("updated_at", "pk"),
                list_url=f"{changelist_url}?status__exact={Status.PENDING}",
                empty="没有等待审核的稿件。",
            )
        )
    if user.has_perm("articles.submit_article"):
        mine = articles.filter(_theirs(user))
        drafts = mine.filter(status=Status.DRAFT)
        shelves += [
            _shelf(
                "被驳回，待我修改",
                drafts.exclude(review_note="").order_by("updated_at", "pk"),
                notes=True,
            ),
            _shelf(
                "我的草稿",
                drafts.filter(review_note="").order_by("-updated_at", "-pk"),
                empty="没有未提交的草稿。",
            ),
            _shelf(
                "我的稿件已发布",
                mine.filter(status=Status.PUBLISHED).order_by("-published_at", "-pk"),
                shown=5,
            ),
        ]
    return [s for s in shelves if s.count or s.empty]
