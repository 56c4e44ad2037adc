from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "内容管理"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db import transaction
        from django.db.models.signals import post_save

        from articles import renditions

        # The sizes of an article's images are made when it is saved, not for its first
        # reader (articles/renditions.py); after commit, so that a failed save costs nothing.
        def make_renditions(sender, instance, **kwargs):
            transaction.on_commit(lambda: renditions.warm(instance))

        post_save.connect(
            make_renditions, sender=self.get_model("Article"), dispatch_uid="article-renditions"
        )
