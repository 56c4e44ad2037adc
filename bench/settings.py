"""Settings for the load benchmark: production settings plus a hello-world baseline."""

import os

os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 50)
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")

from qinglian.settings.prod import *  # noqa: E402,F403

ROOT_URLCONF = "bench.urls"
# Access logs would cost the workers more than some of the pages measured.
LOGGING = {"version": 1, "disable_existing_loggers": False}
