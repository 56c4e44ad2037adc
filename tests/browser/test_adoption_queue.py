"""The city reviewer's queue of county submissions at 1366 × 768 (docs/sites.md): read,
select, adopt from the action menu, and the article is on the city channel at once."""

import os

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.urls import reverse

from articles.editorial.submissions import Submission
from articles.models import Site, SiteStaff
from tests.browser.conftest import ROLES, make_staff
from tests.browser.test_editor import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_adoption_queue_at_1366(site, open_page, tmp_path):
    call_command("load_demo", verbosity=0)
    reviewer = make_staff("chengshi", ROLES.REVIEWER)
    # (The roles of a flushed database come from 0004 alone; 0013 adds these.)
    reviewer.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_submission", "adopt_submission"])
    )
    SiteStaff.objects.create(user=reviewer, site=Site.objects.get(is_main=True))
    pending = Submission.objects.filter(status="pending").order_by("pk").first()
    page = open_page(1366)
    page.set_viewport_size({"width": 1366, "height": 768})
    log_in(page, site, reviewer)
    page.goto(site(reverse("admin:articles_submission_changelist")))
    shot = os.environ.get("QUEUE_SCREENSHOT") or str(tmp_path / "queue-1366.png")
    page.screenshot(path=shot)
    table = page.locator("#result_list").bounding_box()
    assert table["x"] + table["width"] <= 1366
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == Submission.objects.count()
    heights = [rows.nth(i).bounding_box()["height"] for i in range(rows.count())]
    assert max(heights) <= 60, heights

    page.check(f'input[name="_selected_action"][value="{pending.pk}"]')
    page.select_option('select[name="action"]', "adopt_selected")
    page.click('button[name="index"]')
    page.wait_for_selector(".messagelist .success")
    pending.refresh_from_db()
    assert pending.status == Submission.Status.ADOPTED

    reader = open_page(1366)
    reader.goto(site(pending.channel.get_absolute_url()))
    assert pending.article.title in reader.content()
    assert not page.problems
