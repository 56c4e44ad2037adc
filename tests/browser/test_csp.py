"""The Content-Security-Policy holds in a real browser: public pages break none of it, and
CKEditor in the admin works under the admin's policy (toolbar, image upload, saving)."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.browser.conftest import PASSWORD, pages, photo
from tests.browser.test_editor import log_in, write_in_ckeditor

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Every violation of the page's policy, as the browser reports it to the page.
WATCH_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}`);
});
"""


def violations(page):
    return page.evaluate("window.__cspViolations || []")


def test_public_pages_run_under_their_policy(demo, site, open_page):
    """No public page, Simplified or Traditional, triggers a CSP violation or script error."""
    page = open_page()
    page.context.add_init_script(WATCH_VIOLATIONS)
    for name, path in pages(demo).items():
        response = page.goto(site(path))
        assert "script-src 'self'" in response.headers["content-security-policy"], name
        page.wait_for_load_state("networkidle")
        assert violations(page) == [], name
    assert [p for p in page.problems if not p.startswith("404 ")] == []


def test_ckeditor_works_under_the_admin_policy(demo, site, open_page, tmp_path):
    """The editor loads, its toolbar works and an image uploads through its dialog, with no
    CSP violation; the article then saves."""
    get_user_model().objects.create_superuser("chief", "", PASSWORD)
    picture = tmp_path / "现场.jpg"
    picture.write_bytes(photo((800, 450)))
    page = open_page()
    page.context.add_init_script(WATCH_VIOLATIONS)
    log_in(page, site, get_user_model().objects.get(username="chief"))
    page.goto(site(reverse("admin:articles_article_add")))
    write_in_ckeditor(page, str(picture))
    assert violations(page) == []
    body = page.evaluate("CKEDITOR.instances.id_body.getData()")
    assert "<strong>发现问题21个</strong>" in body
    assert "/uploads/" in body
    page.fill("#id_title", "七星区：在安全策略下写成")
    page.select_option("#id_channel", str(demo["leaf"].pk))
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")
    assert violations(page) == []
    assert page.problems == []
