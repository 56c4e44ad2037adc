from django.apps import AppConfig

# A bulk write of more articles than this moves the whole generation: naming each
# article's scope would cost more than rendering every page again.
BATCH_NAMED = 200


class CachingConfig(AppConfig):
    """The content generation, the page cache, view counts and the resilient Redis cache."""

    name = "articles.caching"
    label = "caching"
    verbose_name = "缓存"

    def ready(self):
        from django.apps import apps
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from articles import changes
        from articles.caching import freshness

        article = apps.get_model("articles", "Article")
        related = apps.get_model("articles", "RelatedArticle")
        # Recommendation slots (推荐位) and what is pushed into them: shown with the lists.
        slotted = {apps.get_model("articles", name) for name in ("Slot", "SlotPlacement")}
        # Everything readers see of these. (Historical models used by migrations are
        # other classes and never match.)
        always_shown = {
            apps.get_model("articles", name)
            for name in (
                "Channel",
                "Source",
                "Site",
                "SiteSettings",
                "FriendlyLink",
                "PhraseCorrection",
            )
        }
        placement = apps.get_model("articles", "Placement")
        carriage = apps.get_model("articles", "Site").carried_channels.through
        published = article.Status.PUBLISHED

        def public_articles_written(sender, ids=(), times=(), channels=(), **kwargs):
            freshness.changed(times, scopes=_article_scopes(ids, channels))

        def _article_scopes(ids, channels):
            """What shows these articles (docs/caching.md): every list, their pages,
            their channels' pages (and so their neighbours'), and the pages that link
            to them; None (everything) for a batch too large to be worth naming."""
            if len(ids) > BATCH_NAMED or not channels:
                return None
            linking = related.objects.filter(related_id__in=ids).values_list("article_id")
            pages = {*ids, *(pk for (pk,) in linking)}
            # The channels they were placed in list them too (adopted, shared).
            placed = placement.objects.filter(article_id__in=ids).values_list("channel_id")
            channels = {*channels, *(pk for (pk,) in placed)}
            return [
                "lists",
                *(f"article:{pk}" for pk in sorted(pages)),
                *(f"channel:{pk}" for pk in sorted(set(channels))),
            ]

        def saved_or_deleted(sender, instance, raw=False, **kwargs):
            if sender in always_shown:
                freshness.changed()
            elif sender is article:
                # Saves announce themselves (public_articles_written); deletions and
                # raw saves (fixtures, reverted versions) do not.
                if raw:
                    freshness.changed()
                elif kwargs.get("signal") is post_delete and instance.status == published:
                    channels = {instance.channel_id, instance.channel_id_when_read} - {None}
                    freshness.changed(scopes=_article_scopes([instance.pk], channels))
            elif sender in slotted:
                until = getattr(instance, "until", None)
                times = [until.timestamp()] if until and not raw else []
                freshness.changed(times, scopes=None if raw else ["lists"])
            elif sender is placement:
                # An article shown in one more (or one less) channel: that channel's
                # lists and the article's page (its breadcrumb may be that channel).
                scopes = [
                    "lists",
                    f"article:{instance.article_id}",
                    f"channel:{instance.channel_id}",
                ]
                freshness.changed(scopes=None if raw else scopes)
            elif sender is related and raw:
                freshness.changed()
            elif sender is related and _published(instance.article):
                # Only the page of the article that links shows its links.
                freshness.changed(scopes=[f"article:{instance.article_id}"])

        def links_changed(sender, instance, action, pk_set=None, **kwargs):
            if action.startswith("post_") and _published(instance):
                pages = {instance.pk, *(pk_set or ())}
                freshness.changed(scopes=[f"article:{pk}" for pk in sorted(pages)])

        def _published(instance):
            return not isinstance(instance, article) or (
                instance.status == published or instance.published_when_read
            )

        changes.public_articles_written.connect(
            public_articles_written, weak=False, dispatch_uid="freshness-articles"
        )
        for signal in (post_save, post_delete):
            signal.connect(saved_or_deleted, weak=False, dispatch_uid=f"freshness-{signal!r}")
        m2m_changed.connect(
            links_changed, sender=related, weak=False, dispatch_uid="freshness-links"
        )
        # The shared channels a county site carries make its whole tree.
        m2m_changed.connect(
            lambda action, **kwargs: action.startswith("post_") and freshness.changed(),
            sender=carriage,
            weak=False,
            dispatch_uid="freshness-carriage",
        )
