"""How articles are read: the one visibility rule (``published()``) and the named
queries of the public pages, and the batch write that announces itself once."""

from django.db import models
from django.db.models.expressions import RawSQL
from django.utils import timezone

from articles import changes
from articles.models.placements import Placement

# The order of channel lists (and of their index, ``article_channel_list``).
LIST_ORDER = ("-is_pinned", "-weight", "-published_at", "-id")


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """The one visibility rule: published, its time has come and its end time has not."""
        now = timezone.now()
        return self.filter(
            models.Q(unpublish_at__isnull=True) | models.Q(unpublish_at__gt=now),
            status=self.model.Status.PUBLISHED,
            published_at__lte=now,
        )

    def in_channel(self, tree, channel):
        """Articles of ``channel`` and of every channel below it, and those placed
        there too (``also_in``)."""
        ids = tree.descendant_ids(channel.pk)
        placed = Placement.objects.filter(channel_id__in=ids).values("article_id")
        return self.filter(models.Q(channel_id__in=ids) | models.Q(pk__in=placed))

    def shown_in(self, channel_ids, main_id):
        """Those a site shows in ``channel_ids`` (channels of its tree): filed there
        (in a shared channel, only the main site's: ``placed_here``) or placed there."""
        placed = Placement.objects.filter(channel_id__in=channel_ids).values("article_id")
        owner = (
            models.Q(channel__site__isnull=False)
            | models.Q(site__isnull=True)
            | models.Q(site_id=main_id)
        )
        return self.filter((models.Q(channel_id__in=channel_ids) & owner) | models.Q(pk__in=placed))

    def for_list(self):
        """What a list of articles shows: pinned first, then by the editors' weight
        (排序, larger first), then newest first."""
        return self.select_related("channel", "source").defer("body").order_by(*LIST_ORDER)

    def for_detail(self):
        """What the article page shows of the article itself, with how many files are
        attached to it: the page reads them (in one query) only when there are some."""
        from articles.models.attachments import Attachment

        # Raw SQL, not a Subquery: the page is rendered on every cache miss, and the
        # ORM's subquery costs more to build than the database takes to count.
        files, articles = Attachment._meta.db_table, self.model._meta.db_table
        count = RawSQL(
            f'SELECT COUNT(*) FROM "{files}" WHERE "{files}"."article_id" = "{articles}"."id"', ()
        )
        return self.select_related("source").annotate(attachment_count=count)

    def before(self, article):
        """Those of ``article``'s channel listed before it in time, nearest first: the
        first is its previous (one step along the article_channel_time index)."""
        same_time = models.Q(published_at=article.published_at, pk__lt=article.pk)
        return self.filter(
            models.Q(published_at__lt=article.published_at) | same_time,
            channel_id=article.channel_id,
        ).order_by("-published_at", "-id")

    def after(self, article):
        """Those of ``article``'s channel after it in time, nearest first."""
        same_time = models.Q(published_at=article.published_at, pk__gt=article.pk)
        return self.filter(
            models.Q(published_at__gt=article.published_at) | same_time,
            channel_id=article.channel_id,
        ).order_by("published_at", "id")

    def related_to(self, article):
        """The articles ``article`` links to as related (in no order: see
        ``RelatedArticle.position``)."""
        links = self.model.related_links.rel.related_model.objects.filter(article_id=article.pk)
        return self.filter(pk__in=links.values("related_id"))

    def bulk_create(self, objs, *args, **kwargs):
        """Saved as ``save()`` saves, and announced once for the whole batch."""
        objs = list(objs)
        for article in objs:
            article.prepare_for_save()
        created = super().bulk_create(objs, *args, **kwargs)
        ids = [a.pk for a in created if a.pk is not None]
        changes.articles_written.send(self.model, ids=ids)
        public = [a for a in created if a.status == self.model.Status.PUBLISHED]
        if public:
            changes.public_articles_written.send(
                self.model,
                ids=[a.pk for a in public if a.pk is not None],
                times=[t for a in public for t in a.scheduled_times()],
                channels=sorted({a.channel_id for a in public}),
            )
        for article in created:
            article.channel_id_when_read = article.channel_id
        return created
