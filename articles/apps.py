from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "内容管理"
    default_auto_field = "django.db.models.BigAutoField"
