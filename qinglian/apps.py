from django.apps import AppConfig


class QinglianConfig(AppConfig):
    """The project itself, as an app only so that its system checks run (checks.py)."""

    name = "qinglian"
    verbose_name = "清廉"

    def ready(self):
        from qinglian import checks  # noqa: F401 (registers them)
