"""Development and the demo (``manage.py``'s default): DEBUG on, nothing to set up.

The only module that turns DEBUG on. A DEBUG=false in the environment means production
was meant, so it is refused here rather than half-honoured.
"""

import os
import secrets

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import BASE_DIR, CACHES, env_bool

if not env_bool("DEBUG", True):
    raise ImproperlyConfigured(
        "DEBUG=false asks for production: set DJANGO_SETTINGS_MODULE=qinglian.settings.prod."
    )

DEBUG = True


def _development_key():
    """A key kept beside the checkout, so that logins survive restarts without anything
    secret being committed."""
    path = BASE_DIR / ".dev-secret-key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = os.environ.get("SECRET_KEY") or _development_key()

ALLOWED_HOSTS = [*ALLOWED_HOSTS, "127.0.0.1", "localhost", "[::1]", "testserver", ".localhost"]  # noqa: F405
# Links point at the address the development server answers on.
QINGLIAN_SITE_URL = QINGLIAN_SITE_URL or "http://127.0.0.1:8000"  # noqa: F405

# An edited template shows at once.
CACHES["template_fragments"] = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
