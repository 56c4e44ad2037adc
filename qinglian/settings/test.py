"""The test suite's settings (pyproject's DJANGO_SETTINGS_MODULE): production's behaviour
(DEBUG off, fragments kept) on local addresses, with a fixed key and a fast hasher."""

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "tests-only-" + "k" * 50
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "127.0.0.1", "localhost", "[::1]", "testserver", ".localhost"]  # noqa: F405
# Links point at the address the development server answers on.
QINGLIAN_SITE_URL = QINGLIAN_SITE_URL or "http://127.0.0.1:8000"  # noqa: F405

# Tests log users in by the hundred; a slow hash proves nothing there.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# A second database, for what must respect --database (restore_site); tests that use it
# ask for it, the others never create it.
DATABASES["restore_target"] = {  # noqa: F405
    **DATABASES["default"],  # noqa: F405
    "NAME": f"{DATABASES['default']['NAME']}_restore_target",  # noqa: F405
}
