from django.apps import AppConfig


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
        # Everything readers see of these. (Historical models used by migrations are
        # other classes and never match.)
        always_shown = {
            apps.get_model("articles", name)
            for name in ("Channel", "Source", "SiteSettings", "FriendlyLink", "PhraseCorrection")
        }
        published = article.Status.PUBLISHED

        def public_articles_written(sender, times=(), **kwargs):
            freshness.changed(times)

        def saved_or_deleted(sender, instance, raw=False, **kwargs):
            if sender in always_shown:
                freshness.changed()
            elif sender is article:
                # Saves announce themselves (public_articles_written); deletions and
                # raw saves (fixtures, reverted versions) do not.
                if raw or (kwargs.get("signal") is post_delete and instance.status == published):
                    freshness.changed()
            elif sender is related and (raw or _published(instance.article)):
                freshness.changed()

        def links_changed(sender, instance, action, **kwargs):
            if action.startswith("post_") and _published(instance):
                freshness.changed()

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
