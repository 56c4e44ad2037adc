"""The editorial workflow: who may move an article from which state to which.

Every change of state goes through here, whether it comes from an admin action, a
button on the change page or the status field, so the rules, the permission checks
and the audit trail live in one place. The admin only decides what to show; these
functions refuse what a user may not do, whatever the request says.

    draft ──submit──▶ pending ──publish──▶ published ──unpublish──▶ offline
      ▲  ◀─withdraw──    │                   ▲                        │
      │  ◀──reject───────┘ (with a reason)   └────────publish─────────┤
      └──────────────────────────redraft──────────────────────────────┘
"""

from dataclasses import dataclass

import reversion
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from articles.editorial.models import AuditEntry
from articles.models import Article

Status = Article.Status


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: tuple
    target: str
    permission: str
    done: str
    needs_note: bool = False

    @property
    def perm(self):
        return f"articles.{self.permission}"


TRANSITIONS = {
    t.name: t
    for t in (
        Transition(
            "submit", "提交审核", (Status.DRAFT,), Status.PENDING, "submit_article", "已提交审核"
        ),
        Transition(
            "withdraw", "撤回", (Status.PENDING,), Status.DRAFT, "submit_article", "已撤回为草稿"
        ),
        Transition(
            "publish",
            "发布",
            (Status.DRAFT, Status.PENDING, Status.OFFLINE),
            Status.PUBLISHED,
            "publish_article",
            "已发布",
        ),
        Transition(
            "reject",
            "驳回",
            (Status.PENDING,),
            Status.DRAFT,
            "reject_article",
            "已驳回",
            needs_note=True,
        ),
        Transition(
            "unpublish",
            "下线",
            (Status.PUBLISHED,),
            Status.OFFLINE,
            "unpublish_article",
            "已下线",
        ),
        Transition(
            "redraft", "转为草稿", (Status.OFFLINE,), Status.DRAFT, "submit_article", "已转为草稿"
        ),
    )
}


class TransitionError(Exception):
    """The transition is allowed to the user but not possible for this article now."""


def get(name):
    """The transition called ``name``; an unknown name is refused like a forbidden one."""
    try:
        return TRANSITIONS[name]
    except KeyError:
        raise PermissionDenied(f"没有“{name}”这个操作。") from None


def may(user, transition):
    return user.has_perm(transition.perm)


def available(user, article):
    """The transitions ``user`` may take on ``article`` in its present state."""
    return [
        t
        for t in TRANSITIONS.values()
        if article.status in t.sources and may(user, t) and not _not_theirs(user, t, article)
    ]


def binds_version(name):
    """Whether taking transition ``name`` from a confirmation page binds the version shown:
    publishing must put out exactly what the reviewer read."""
    return name == "publish"


def submitter_id(article):
    """Who submitted ``article`` for review last (its author when no submission is recorded)."""
    submitted = (
        AuditEntry.objects.filter(article_id=article.pk, action=AuditEntry.Action.SUBMIT)
        .order_by("-created_at", "-id")
        .values_list("user_id", flat=True)
        .first()
    )
    return submitted if submitted is not None else article.created_by_id


def _not_theirs(user, transition, article):
    """Withdrawing is for one's own submission; a reviewer may send back any article."""
    if transition.name != "withdraw" or article is None or article.pk is None:
        return False
    if user.has_perm(TRANSITIONS["publish"].perm):
        return False
    return submitter_id(article) != user.pk


def for_status_change(from_state, to_state):
    """The transition a change of the status field amounts to, or None."""
    for t in TRANSITIONS.values():
        if from_state in t.sources and t.target == to_state:
            return t
    return None


class VersionMoved(TransitionError):
    """The article was saved again after the user looked at the version they confirmed."""


def check(
    user,
    transition,
    from_state,
    *,
    note="",
    published_at=None,
    unpublish_at=None,
    article=None,
):
    """Refuse the transition unless ``user`` may take it from ``from_state`` now.

    Raises PermissionDenied for a missing permission (the request was forged or the
    role changed) and TransitionError, with a message for the editor, otherwise.
    """
    if not may(user, transition):
        raise PermissionDenied(f"你没有“{transition.label}”的权限。")
    if _not_theirs(user, transition, article):
        raise TransitionError("只能撤回自己提交的稿件；这篇是别人提交的，请联系审核人员。")
    if from_state not in transition.sources:
        raise TransitionError(f"“{Status(from_state).label}”状态的文章不能{transition.label}。")
    if transition.needs_note and not note.strip():
        raise TransitionError(f"{transition.label}时请填写理由。")
    ends_too_soon = unpublish_at is not None and unpublish_at <= max(
        timezone.now(), published_at or timezone.now()
    )
    if transition.target == Status.PUBLISHED and ends_too_soon:
        raise TransitionError(
            "下线时间已过或早于发布时间，发布后读者也看不到。请修改或清空下线时间。"
        )


def first_publication(article, from_state):
    """Whether publishing now would put ``article`` before readers for the first time."""
    if from_state not in (Status.DRAFT, Status.PENDING) or article.pk is None:
        return from_state in (Status.DRAFT, Status.PENDING)
    return not AuditEntry.objects.filter(
        article_id=article.pk, action__in=[AuditEntry.Action.PUBLISH, AuditEntry.Action.SCHEDULE]
    ).exists()


def prepare(article, transition, user, *, note="", from_state=None, time_set=False):
    """Check the transition and change ``article`` in memory; the caller saves it.

    On its first publication an article whose time has come is dated now, the moment
    readers can see it, not when its form was first opened; a time in the future (a
    schedule) or one set in the same save (``time_set``) is kept as chosen.
    """
    from_state = from_state or article.status
    check(
        user,
        transition,
        from_state,
        note=note,
        published_at=article.published_at,
        unpublish_at=article.unpublish_at,
        article=article,
    )
    article.status = transition.target
    now = timezone.now()
    if (
        transition.name == "publish"
        and not time_set
        and article.published_at <= now
        and first_publication(article, from_state)
    ):
        # Whole minutes, as the form shows and sends them back (and pages show them).
        article.published_at = now.replace(second=0, microsecond=0)
    if transition.name == "reject":
        article.review_note = note.strip()
    elif transition.name in ("submit", "publish"):
        # The reviewer's reason was for the version they rejected.
        article.review_note = ""
    return from_state


def action_of(transition, article):
    """The audit action: publishing with a time still to come is scheduling."""
    if transition.name == "publish" and article.published_at > timezone.now():
        return AuditEntry.Action.SCHEDULE
    return AuditEntry.Action(transition.name)


def describe(transition, article, note=""):
    """What the audit trail says about a transition besides who, when and the states."""
    if transition.target == Status.PUBLISHED:
        text = f"发布时间：{_when(article.published_at)}"
        if article.unpublish_at:
            text += f"；下线时间：{_when(article.unpublish_at)}"
        return text
    return note.strip()


def _when(value):
    return date_format(timezone.localtime(value), "Y-m-d H:i")


def record(user, article, action, *, from_state="", to_state="", note=""):
    """Write one line of the audit trail."""
    return AuditEntry.objects.create(
        user=user if user and user.is_authenticated else None,
        username=user.get_username() if user and user.is_authenticated else "",
        action=action,
        article_id=article.pk,
        article_title=article.title[:200],
        from_state=from_state,
        to_state=to_state,
        note=note,
    )


def record_transition(user, article, transition, from_state, note=""):
    return record(
        user,
        article,
        action_of(transition, article),
        from_state=from_state,
        to_state=transition.target,
        note=describe(transition, article, note),
    )


def apply(article, name, user, *, note="", version=None, **changes):
    """Take transition ``name`` on ``article`` for ``user``: save, keep a revision, audit.

    The row is read again under a lock so that an edit saved meanwhile is kept, not
    overwritten by the stale copy in hand. With ``version`` (the version number the
    user was shown and confirmed), any other version is refused: what gets published
    is what the reviewer read. ``changes`` (publication and end times when scheduling)
    are set before the checks. Returns the saved article.
    """
    transition = get(name)
    if not may(user, transition):
        raise PermissionDenied(f"你没有“{transition.label}”的权限。")
    with transaction.atomic(), reversion.create_revision():
        fresh = Article.objects.select_for_update().get(pk=article.pk)
        if version is not None and fresh.version != version:
            raise VersionMoved(
                f"《{fresh.title}》没有{transition.label}：你确认的是第 {version} 版，"
                f"之后又被修改过（现在是第 {fresh.version} 版）。请重新查看后再{transition.label}。"
            )
        for field, value in changes.items():
            setattr(fresh, field, value)
        from_state = prepare(fresh, transition, user, note=note, time_set="published_at" in changes)
        fresh.updated_by = user
        fresh.save()
        reversion.set_user(user)
        reversion.set_comment(transition.label + (f"：{note.strip()}" if note.strip() else ""))
        record_transition(user, fresh, transition, from_state, note)
    return fresh


def apply_many(queryset, name, user, *, note="", versions=None, **changes):
    """Apply a transition to each article it suits.

    With ``versions`` (article id → the version number the user confirmed), each
    article is bound to its confirmed version as in ``apply``. Returns the lists done,
    skipped (the transition does not suit them) and moved (VersionMoved messages).
    """
    transition = get(name)
    if not may(user, transition):
        raise PermissionDenied(f"你没有“{transition.label}”的权限。")
    done, skipped, moved = [], [], []
    for article in queryset.order_by("pk"):
        # An article selected but never shown to the user binds to no version: refused.
        version = None if versions is None else versions.get(article.pk, -1)
        try:
            done.append(apply(article, name, user, note=note, version=version, **changes))
        except VersionMoved as error:
            moved.append(str(error))
        except TransitionError:
            skipped.append(article)
    return done, skipped, moved
