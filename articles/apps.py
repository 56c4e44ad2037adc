from axes.apps import AppConfig as AxesConfig
from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    # apps.py holds a second AppConfig (LoginLocksConfig below): without this, Django would
    # not pick this one for "articles", and ready() would never connect the signals.
    default = True
    name = "articles"
    verbose_name = "内容管理"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db import transaction
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from . import freshness, hant, renditions, search

        # What readers see, or what decides what they see. Historical models used by
        # migrations are other classes and never match.
        shown = {
            self.get_model(name)
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

        # Phrase corrections take effect at once; see articles/hant.py.
        hant.connect_signals()
        # Every save of an article re-indexes it for site search; see articles/search.py.
        search.connect_signals()

        # The sizes of an article's images are made when it is saved, not for its first
        # reader (articles/renditions.py); after commit, so that a failed save costs nothing.
        def make_renditions(sender, instance, **kwargs):
            transaction.on_commit(lambda: renditions.warm(instance))

        post_save.connect(
            make_renditions, sender=self.get_model("Article"), dispatch_uid="article-renditions"
        )


class LoginLocksConfig(AxesConfig):
    """django-axes (login lockout) under a Chinese name in the admin; see settings."""

    verbose_name = "登录保护"
