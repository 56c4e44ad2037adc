from axes.apps import AppConfig as AxesConfig
from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Running the site: backup and restore, faults, the security policy, the demo."""

    default = True
    name = "articles.ops"
    label = "ops"
    verbose_name = "运维"


class LoginLocksConfig(AxesConfig):
    """django-axes (login lockout) under a Chinese name in the admin; see settings."""

    verbose_name = "登录保护"

    def ready(self):
        super().ready()
        from axes.models import AccessAttempt

        # django-axes names a record "Attempted Access: <time>", and the admin prints
        # that name where an administrator lifts a lock; no catalogue translates it.
        AccessAttempt.__str__ = lambda attempt: f"{attempt.username} 的登录失败记录"
