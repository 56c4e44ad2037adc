"""Production (wsgi, asgi, gunicorn; ``manage.py`` too when the environment says
DEBUG=false): every value a site cannot guess comes from the environment, and a missing
one stops the process at start rather than at the first reader.

DEBUG is never on here: a DEBUG=true left in the environment is refused.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import (
    CONTENT_SECURITY_POLICY,
    QINGLIAN_ADMIN_CSP,
    STATIC_ROOT,
    STORAGES,
    env_bool,
)


def required(name):
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"{name} must be set in production (docs/configuration.md).")
    return value


if env_bool("DEBUG", False):
    raise ImproperlyConfigured(
        "DEBUG is never on in production: use qinglian.settings.dev on a laptop."
    )
DEBUG = False

SECRET_KEY = required("SECRET_KEY")
required("ALLOWED_HOSTS")
# No silent SQLite file inside the checkout: the database is named on purpose.
required("DATABASE_URL")

# HTTPS only, behind a proxy that says which scheme the reader used.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 31536000))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CONTENT_SECURITY_POLICY["DIRECTIVES"]["upgrade-insecure-requests"] = True
QINGLIAN_ADMIN_CSP["DIRECTIVES"]["upgrade-insecure-requests"] = True

# Hashed, compressed names once collectstatic has run; before that (a production check
# run from a fresh checkout) files come straight from the app folders.
HASHED_STATIC = (STATIC_ROOT / "staticfiles.json").exists()
if HASHED_STATIC:
    STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}
WHITENOISE_AUTOREFRESH = False
WHITENOISE_USE_FINDERS = not HASHED_STATIC
