"""Who sends a request: the one address the page cache's per-client limit and the
login lockout (articles/ops/security.py) both count by."""

import ipaddress

from django.conf import settings


def client_ip(request):
    """The reader's address, for locking out brute-force logins (AXES_CLIENT_IP_CALLABLE).

    Behind nginx every request comes from the proxy; then the address nginx appended to
    X-Forwarded-For, the right-most, is the client's. Anything earlier in that header is
    whatever the client sent, and an X-Forwarded-For from anyone but a trusted proxy is
    ignored, so an attacker cannot spread attempts over made-up addresses.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded and remote in settings.QINGLIAN_TRUSTED_PROXIES:
        candidate = forwarded.rsplit(",", 1)[-1].strip()
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            return remote
    return remote
