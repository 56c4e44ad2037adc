from django.apps import AppConfig


class CachingConfig(AppConfig):
    """The content generation, the page cache, view counts and the resilient Redis cache."""

    name = "articles.caching"
    label = "caching"
    verbose_name = "缓存"

    def ready(self):
        from django.apps import apps
        from django.db import transaction
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from articles.caching import freshness

        # What readers see, or what decides what they see. Historical models used by
        # migrations are other classes and never match.
        shown = {
            apps.get_model("articles", name)
            for name in (
                "Article",
                "Channel",
                "Source",
                "RelatedArticle",
                "SiteSettings",
                "FriendlyLink",
                "PhraseCorrection",
            )
        }

        def content_changed(sender, **kwargs):
            if sender in shown:
                freshness.bump()
                # Again once committed: a page rendered from the old rows in between
                # must not outlive the change.
                transaction.on_commit(freshness.bump)

        for signal in (post_save, post_delete, m2m_changed):
            signal.connect(content_changed, weak=False, dispatch_uid=f"freshness-{signal!r}")
