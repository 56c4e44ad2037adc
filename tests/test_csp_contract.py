"""What articles/ops/security.py relies on in django-csp, pinned.

The site's middleware subclasses django-csp's and uses only: the version pinned in
pyproject.toml, ``get_policy_parts`` (the documented extension point) returning mutable
parts, the view decorators (csp_update, csp_replace, csp) and csp_exempt's mark, and
the nonce through ``request.csp_nonce``. An upgrade of django-csp that changes any of
these fails here before it changes a header.
"""

import re
import tomllib
from importlib.metadata import version
from pathlib import Path

import pytest
from csp.constants import NONCE
from csp.decorators import csp, csp_exempt, csp_replace, csp_update
from csp.exceptions import CSPNonceError
from django.http import HttpResponse
from django.test import RequestFactory

from articles.ops.security import ContentSecurityPolicyMiddleware, allow_own_inline_scripts

ROOT = Path(__file__).resolve().parent.parent


def pinned(package):
    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    (spec,) = [d for d in dependencies if d.lower().startswith(package + "==")]
    return spec.split("==", 1)[1]


def test_django_csp_is_pinned_and_installed_at_that_version():
    assert version("django-csp") == pinned("django-csp")


def run(view, path="/", settings=None):
    """A request through the site's CSP middleware alone, as a reader would send it."""
    request = RequestFactory().get(path)
    middleware = ContentSecurityPolicyMiddleware(lambda request: view(request))
    return request, middleware(request)


def directives(response):
    header = response.get("Content-Security-Policy", "")
    return {p.split()[0]: p.split()[1:] for p in header.split(";") if p.strip()}


@pytest.fixture(autouse=True)
def fresh_public_header():
    ContentSecurityPolicyMiddleware._public = (None, None)
    yield
    ContentSecurityPolicyMiddleware._public = (None, None)


def plain(request):
    return HttpResponse("<p>页面</p>")


def test_the_public_policy_is_the_setting_and_reused(settings):
    run(plain)  # builds the header once
    _, response = run(plain)
    assert directives(response)["script-src"] == ["'self'"]
    assert directives(response)["frame-ancestors"] == ["'none'"]


@pytest.mark.parametrize("warm", [False, True], ids=["first", "built-once"])
def test_csp_update_and_replace_reach_the_header(warm):
    if warm:
        run(plain)
    view = csp_update({"img-src": ["https://img.example"]})(plain)
    view = csp_replace({"frame-ancestors": ["'self'"]})(view)
    _, response = run(view)
    assert "https://img.example" in directives(response)["img-src"]
    assert directives(response)["frame-ancestors"] == ["'self'"]


@pytest.mark.parametrize("warm", [False, True], ids=["first", "built-once"])
def test_a_views_own_policy_replaces_the_settings(warm):
    if warm:
        run(plain)
    _, response = run(csp({"default-src": ["'none'"]})(plain))
    assert directives(response) == {"default-src": ["'none'"]}


@pytest.mark.parametrize("warm", [False, True], ids=["first", "built-once"])
def test_csp_exempt_leaves_the_header_out(warm):
    if warm:
        run(plain)
    _, response = run(csp_exempt()(plain))
    assert "Content-Security-Policy" not in response


@pytest.mark.parametrize("warm", [False, True], ids=["first", "built-once"])
def test_a_nonce_read_by_the_page_is_in_its_header(warm, settings):
    """The site uses no nonce; if a page ever does, its own header must carry it."""
    directives_with_nonce = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    settings.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {**directives_with_nonce, "script-src": ["'self'", NONCE]}
    }
    if warm:
        run(plain)

    def with_nonce(request):
        return HttpResponse(f'<script nonce="{request.csp_nonce}">1</script>')

    _, response = run(with_nonce)
    nonce = re.search(rb'nonce="([^"]+)"', response.content).group(1).decode()
    assert f"'nonce-{nonce}'" in directives(response)["script-src"]


def test_a_nonce_asked_for_after_the_header_is_refused():
    run(plain)
    request, _ = run(plain)
    with pytest.raises(CSPNonceError):
        str(request.csp_nonce)


def test_own_inline_scripts_are_allowed_by_hash_and_framed_by_the_site_only():
    def upload_answer(request):
        response = HttpResponse("<script>window.parent.CKEDITOR.tools.callFunction(1)</script>")
        return allow_own_inline_scripts(response, framed=True)

    _, response = run(upload_answer)
    assert any(s.startswith("'sha256-") for s in directives(response)["script-src"])
    assert directives(response)["frame-ancestors"] == ["'self'"]


def test_admin_pages_get_the_admin_policy_through_mutable_parts(settings):
    _, response = run(plain, path="/" + settings.ADMIN_URL)
    assert "'unsafe-inline'" in directives(response)["style-src"]
    assert "'unsafe-inline'" not in directives(response)["script-src"]
