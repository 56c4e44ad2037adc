"""Publication times that do not match reality, found in the revisions and flagged with
who set them.

django-reversion keeps every save of an article from the admin (who, when, every
field), so the history says when a time was changed and by whom:

- moved back: after the article had gone live, a save set its publication time earlier
  than it was (by more than ``MOVED_BACK_TOLERANCE``), making it look older than it is;
- before created: a save published it with a time more than ``BEFORE_CREATED_TOLERANCE``
  before the article was created (the form's default time is taken when the form is
  opened, a little before the article is created; that is not flagged).

Articles loaded without revisions (imports, the demo) are not judged: nobody set their
times in the admin. Each saved revision is checked as it is committed; the
check_publication_times command goes over the whole history.
"""

from datetime import timedelta

from reversion.models import Version
from reversion.signals import post_revision_commit

from articles.editorial.models import AuditEntry
from articles.inspections.models import TimeFlag
from articles.models import Article

MOVED_BACK_TOLERANCE = timedelta(hours=1)
BEFORE_CREATED_TOLERANCE = timedelta(days=1)
PUBLISHED = Article.Status.PUBLISHED


def _who(article_id, revision):
    """The user of the revision; else whoever last published it by then (audit trail)."""
    if revision.user is not None:
        return revision.user, revision.user.get_username()
    entry = (
        AuditEntry.objects.filter(
            article_id=article_id,
            action__in=[AuditEntry.Action.PUBLISH, AuditEntry.Action.SCHEDULE],
            created_at__lte=revision.date_created + timedelta(seconds=5),
        )
        .order_by("-created_at")
        .first()
    )
    return (entry.user, entry.username) if entry else (None, "")


def flags_in_history(article_id):
    """The flags the saved versions of one article call for (unsaved)."""
    versions = (
        Version.objects.get_for_object_reference(Article, article_id)
        .select_related("revision", "revision__user")
        .order_by("pk")
    )
    flags = []
    went_live = False
    previous = None
    for version in versions:
        data = version.field_dict
        when, status, created = data.get("published_at"), data.get("status"), data.get("created_at")
        if when is None:
            continue
        changed = previous is None or when != previous
        kind = None
        if went_live and previous is not None and when < previous - MOVED_BACK_TOLERANCE:
            kind = TimeFlag.Kind.MOVED_BACK
        elif (
            changed
            and status == PUBLISHED
            and created is not None
            and when < created - BEFORE_CREATED_TOLERANCE
        ):
            kind = TimeFlag.Kind.BEFORE_CREATED
        if kind is not None:
            user, username = _who(article_id, version.revision)
            flags.append(
                TimeFlag(
                    article_id=article_id,
                    kind=kind,
                    old_time=previous,
                    new_time=when,
                    changed_at=version.revision.date_created,
                    user=user,
                    username=username,
                    revision_id=version.revision_id,
                )
            )
        went_live = went_live or (status == PUBLISHED and when <= version.revision.date_created)
        previous = when
    return flags


def record(article_id):
    """Keep the flags of one article's history; returns how many are new."""
    if not Article.objects.filter(pk=article_id).exists():
        return 0
    new = 0
    for flag in flags_in_history(article_id):
        _, created = TimeFlag.objects.get_or_create(
            article_id=flag.article_id,
            kind=flag.kind,
            revision_id=flag.revision_id,
            defaults={
                "old_time": flag.old_time,
                "new_time": flag.new_time,
                "changed_at": flag.changed_at,
                "user": flag.user,
                "username": flag.username,
            },
        )
        new += created
    return new


def _revision_committed(sender, revision, versions, **kwargs):
    model = Article._meta.label_lower
    for version in versions:
        if version.content_type.model_class()._meta.label_lower == model:
            record(int(version.object_id))


def connect_signals():
    post_revision_commit.connect(_revision_committed, dispatch_uid="inspections.times")
