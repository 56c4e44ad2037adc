"""gunicorn settings for qinglian: `gunicorn -c deploy/gunicorn.conf.py`.

Every value can be overridden from the environment so that one file serves a laptop
benchmark and a production host.
"""

import multiprocessing
import os

wsgi_app = "qinglian.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Pages are rendered in Python and spend little time waiting, so sync workers, about
# two per core, keep every core busy without thread contention.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2))
worker_class = "sync"
# Recycle workers now and then so that a slow leak can never grow without bound; not
# often, since a new worker imports the application again and (without Redis) starts
# with an empty cache: at a news spike's thousands of requests a second, 5,000 would
# mean a restart every few seconds.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 100_000))
max_requests_jitter = 10_000
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 20
keepalive = 5
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def worker_exit(server, worker):
    """Write the views this worker counted before it goes (articles/view_counts.py)."""
    from articles.caching import view_counts

    view_counts.flush()


def post_worker_init(worker):
    """Hide what the worker loaded at start (modules, settings, the URLconf) from the
    garbage collector: it lives as long as the worker, and every full collection would
    walk it again while a reader waits (gc.freeze)."""
    import gc

    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (loads every view module now)
    gc.collect()
    gc.freeze()
