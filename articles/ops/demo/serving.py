"""How the demo serves: as the site runs for readers, on the address it was given.

Django's development server with DEBUG on answers a reader's wrong address with its
yellow English debug page. The demo turns DEBUG off once everything is prepared, so that
readers get the site's own 404 and 500 pages; WhiteNoise serves the static files (from
the finders, as configured) and, in the demo's WSGI application, the uploaded media.
"""

import os
import re
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import CommandError
from django.core.management.commands.runserver import naiveip_re

DEFAULT_ADDRPORT = "127.0.0.1:8000"
WSGI_APPLICATION = "articles.ops.demo.wsgi.application"
# Addresses that listen on every interface: the browser on this machine uses loopback.
EVERY_INTERFACE = {"0", "0.0.0.0", "::"}


def origin(addrport):
    """``http://host:port`` of the server ``runserver addrport`` starts, read as
    runserver reads it ("8001", "0.0.0.0:8001", "[::1]:8001", "localhost:8001")."""
    found = re.match(naiveip_re, addrport)
    if found is None:
        raise CommandError(f'"{addrport}" is not a valid port number or address:port pair.')
    addr, _ipv4, ipv6, _fqdn, port = found.groups()
    if not addr or addr in EVERY_INTERFACE or (ipv6 and addr[1:-1] in EVERY_INTERFACE):
        return f"http://127.0.0.1:{port}"
    return f"http://{addr.lower()}:{port}"


def serve_as_the_site(url):
    """Settings for serving the demo at ``url`` (from ``origin``), before the server starts."""
    settings.DEBUG = False
    # The public pages' absolute URLs (canonical, og:url, QR codes) name the address
    # served on, unless the operator chose one.
    if not os.environ.get("SITE_URL"):
        settings.QINGLIAN_SITE_URL = url
    host = urlsplit(url).hostname
    if host not in settings.ALLOWED_HOSTS and f"[{host}]" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, host]
    settings.WSGI_APPLICATION = WSGI_APPLICATION
