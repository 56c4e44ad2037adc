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
