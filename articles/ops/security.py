"""Defences that are not about content: the admin's address, login lockout, passwords,
and the Content-Security-Policy of every response.

Settings that use these: ``ADMIN_URL``, ``AXES_*``, ``CONTENT_SECURITY_POLICY`` and
``QINGLIAN_ADMIN_CSP`` (qinglian/settings/base.py).

django-csp is used through its public surface only: the middleware, its documented
extension point ``get_policy_parts`` (whose parts are mutable), the view decorators and
``csp_exempt``'s mark on a response. django-csp is pinned (pyproject.toml) and
tests/test_csp_contract.py pins each of these.
"""

import base64
import hashlib
import re

from axes.backends import AxesStandaloneBackend
from csp.constants import HEADER
from csp.decorators import csp_replace, csp_update
from csp.exceptions import CSPNonceError
from csp.middleware import CSPMiddleware
from django.conf import settings
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject

# (Kept below the page cache, which needs them too; named here for settings and callers.)
from articles.caching.clients import client_ip  # noqa: F401
from articles.paths import admin_prefix, is_admin_path  # noqa: F401

# --- Who is logging in -------------------------------------------------------------


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' lock check, first in AUTHENTICATION_BACKENDS.

    A login over the web always carries its request, and is counted and locked. A call
    without one comes from code on the server (a management command, the test client's
    login()), which has no address to lock and is not an attacker: it is let through to
    the next backend instead of failing as axes would.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


def lockout_response(request, original_response=None, credentials=None):
    """The page shown while an account or an address is locked (AXES_LOCKOUT_CALLABLE)."""
    from django.contrib import admin

    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {
        **admin.site.each_context(request),
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "minutes": minutes,
    }
    response = render(request, "admin/lockout.html", context, status=429)
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response


class CharacterClassesValidator:
    """A password must mix kinds of characters: lower case, upper case, digits, symbols."""

    CLASSES = [
        (re.compile(r"[a-z]"), "小写字母"),
        (re.compile(r"[A-Z]"), "大写字母"),
        (re.compile(r"[0-9]"), "数字"),
        (re.compile(r"[^a-zA-Z0-9]"), "符号"),
    ]

    def __init__(self, min_classes=3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        found = sum(1 for pattern, _ in self.CLASSES if pattern.search(password))
        if found < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self):
        kinds = "、".join(name for _, name in self.CLASSES)
        return f"密码须包含{kinds}中的至少 {self.min_classes} 种。"


# --- Content-Security-Policy --------------------------------------------------------

# Marks a page that loads CKEditor (the widget's wrapper, articles/fields.py).
_EDITOR_MARK = b'class="django-ckeditor-widget"'
_INLINE_SCRIPT = re.compile(rb"<script(\s[^>]*)?>(.*?)</script>", re.S | re.I)


def script_hashes(content):
    """CSP source expressions allowing exactly the inline scripts in ``content``."""
    return sorted(
        {
            f"'sha256-{base64.b64encode(hashlib.sha256(body).digest()).decode()}'"
            for attrs, body in _INLINE_SCRIPT.findall(content)
            if b"src=" not in attrs.lower()
        }
    )


def allow_own_inline_scripts(response, framed=False):
    """Let the inline scripts a trusted view wrote (and only those) run under the CSP.

    For ckeditor_uploader's answers, which are small scripts calling back into the
    editor; ``framed`` for the upload answer, which loads into the image dialog's iframe.
    """
    hashes = script_hashes(response.content)
    # django-csp's own decorators, applied to this one response.
    if hashes:
        response = csp_update({"script-src": hashes})(lambda: response)()
    if framed:
        response = csp_replace({"frame-ancestors": ["'self'"]})(lambda: response)()
    return response


def _nonce_after_response():
    raise CSPNonceError("request.csp_nonce is not available once the CSP header is written.")


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware with a second policy for the admin.

    Public pages get ``CONTENT_SECURITY_POLICY``: scripts and styles from the site's own
    files only, no inline code, no nonces (the pages are cached whole for every
    reader). The admin gets ``QINGLIAN_ADMIN_CSP``, and a page carrying the rich-text
    editor also its ``QINGLIAN_EDITOR_CSP`` allowances: CKEditor 4 writes inline styles
    and inline scripts into its own frames.
    """

    # (the CONTENT_SECURITY_POLICY setting it was built from, the header)
    _public = (None, None)

    def process_response(self, request, response):
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", None)
        if (
            is_admin_path(request.path_info)
            or getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
            or (policy or {}).get("EXCLUDE_URL_PREFIXES")
            # csp_exempt() marks a response so (django-csp's decorator).
            or getattr(response, "_csp_exempt", False)
            # A view's own policy (django-csp's decorators) or a nonce used in the page.
            or any(vars(self.get_policy_parts(request, response)).values())
            or any(vars(self.get_policy_parts(request, response, report_only=True)).values())
            or (settings.DEBUG and response.status_code in (404, 500))
        ):
            return super().process_response(request, response)
        # A public page carries the policy of the settings as it stands, the same for
        # every page: built once, not for every response as django-csp does.
        built_from, header = ContentSecurityPolicyMiddleware._public
        if built_from is not policy:
            response = super().process_response(request, response)
            ContentSecurityPolicyMiddleware._public = (policy, response.get(HEADER))
            return response
        if header and HEADER not in response:
            response[HEADER] = header
        # As django-csp does: a nonce asked for now could no longer reach the header.
        request.csp_nonce = SimpleLazyObject(_nonce_after_response)
        return response

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if report_only or parts.config is not None or not is_admin_path(request.path_info):
            return parts
        update = parts.update
        content_type = response.get("Content-Type", "")
        if (
            content_type.startswith("text/html")
            and not getattr(response, "streaming", False)
            and _EDITOR_MARK in response.content
        ):
            update = _merge(settings.QINGLIAN_EDITOR_CSP, update or {})
        parts.config = settings.QINGLIAN_ADMIN_CSP["DIRECTIVES"]
        parts.update = update
        return parts


def _merge(base, extra):
    merged = {key: list(values) for key, values in base.items()}
    for key, values in extra.items():
        merged.setdefault(key, [])
        merged[key] += [v for v in values if v not in merged[key]]
    return merged
