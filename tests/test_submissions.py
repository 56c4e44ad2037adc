"""报送 and 采用 through the admin, per-site roles, and the adoption statistics
(docs/sites.md): what a county editor and a city reviewer do, and what they may not."""

import io

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from articles.editorial.forms import INDENT
from articles.editorial.models import AuditEntry
from articles.editorial.submissions import Submission
from articles.inspections import adoption
from articles.models import Article
from tests import sites_fixtures
from tests.conftest import make_channel
from tests.roles import EDITOR, REVIEWER, form_data
from tests.sites_fixtures import staff_of

pytestmark = pytest.mark.django_db
group = sites_fixtures.group
QUEUE = reverse("admin:articles_submission_changelist")
ADD = reverse("admin:articles_submission_add")
STATS = reverse("admin:inspections_dashboard_adoption")


def as_user(client, user):
    client.force_login(user)
    return client


def submit(client, article, channel, note=""):
    return client.post(ADD, {"article": article.pk, "channel": channel.pk, "note": note})


def act(client, action, submission, **extra):
    data = {"action": action, ACTION_CHECKBOX_NAME: [submission.pk], **extra}
    return client.post(QUEUE, data)


@pytest.fixture
def county_editor(group):
    return staff_of(group.qixing, EDITOR)


@pytest.fixture
def city_reviewer(group):
    return staff_of(group.main, REVIEWER)


def test_county_submission_adopted_appears_at_once_in_the_city_channel_and_statistics(
    client, group, county_editor, city_reviewer
):
    article = group.county_article
    # A reader has the city channel in the page cache before the adoption.
    assert article.title not in client.get(group.jiceng.get_absolute_url()).text
    response = submit(as_user(client, county_editor), article, group.jiceng, "请审阅")
    assert response.status_code == 302, response.text
    submission = Submission.objects.get()
    assert (submission.site, submission.status) == (group.qixing, Submission.Status.PENDING)

    queue = as_user(client, city_reviewer).get(QUEUE).text
    assert article.title in queue and "七星区" in queue and "基层风采" in queue
    assert act(client, "adopt_selected", submission).status_code == 302
    submission.refresh_from_db()
    assert submission.status == Submission.Status.ADOPTED and not submission.edited
    assert submission.decided_by == city_reviewer

    client.logout()
    listing = client.get(group.jiceng.get_absolute_url()).text
    assert article.title in listing
    page = client.get(article.get_absolute_url()).text
    assert "来源：七星区纪委监委" in page
    actions = AuditEntry.objects.filter(article_id=article.pk).values_list("action", flat=True)
    assert set(actions) == {AuditEntry.Action.SUBMIT_UP, AuditEntry.Action.ADOPT}

    year = submission.submitted_at.year
    [qixing, gongcheng] = adoption.build("year", year=year).sites
    assert (qixing.label, qixing.submitted, qixing.adopted, qixing.rate) == ("七星区", 1, 1, 100.0)
    assert (gongcheng.submitted, gongcheng.adopted) == (0, 0)
    admin = as_user(client, make_superuser())
    stats = admin.get(STATS, {"period": "year", "year": year}).text
    assert "<svg" in stats and "七星区" in stats
    workbook = admin.get(STATS, {"period": "year", "year": year, "format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(workbook.content)).active.iter_rows(values_only=True))
    assert rows[1] == ("名次", "站点", "报送篇数", "采用篇数", "退回篇数", "待采用", "采用率（%）")
    assert rows[2] == (1, "七星区", 1, 1, 0, 0, 100.0)


def make_superuser():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_superuser("group-admin", "", "pw-Unused-9")


def test_the_city_channels_are_offered_as_the_tree_shows_them(client, group, county_editor):
    form = as_user(client, county_editor).get(ADD).context["adminform"].form
    labels = [label for value, label in form.fields["channel"].choices if value]
    assert labels.index("清廉之窗") < labels.index(INDENT + "基层风采")
    assert "七星动态" not in labels and "恭城动态" not in "".join(labels)


def test_return_with_a_reason_the_county_reads(client, group, county_editor, city_reviewer):
    submit(as_user(client, county_editor), group.county_article, group.jiceng)
    submission = Submission.objects.get()
    as_user(client, city_reviewer)
    asked = act(client, "return_selected", submission)
    assert "退回理由" in asked.text
    act(client, "return_selected", submission, apply="1", reason="请补充具体事例。")
    submission.refresh_from_db()
    assert submission.status == Submission.Status.RETURNED
    county_view = as_user(client, county_editor).get(QUEUE).text
    assert "已退回" in county_view and "请补充具体事例。" in county_view
    assert AuditEntry.objects.filter(action=AuditEntry.Action.RETURN).exists()


def test_a_countys_queue_shows_its_own_without_a_site_column_or_filter(
    client, group, county_editor, city_reviewer
):
    """A county lists only its own submissions, so the site adds nothing there; the
    city's reviewers sort theirs by site."""
    submit(as_user(client, county_editor), group.county_article, group.jiceng)
    county_view = client.get(QUEUE)
    assert county_view.context["cl"].list_display.count("site") == 0
    assert "按报送站点" not in county_view.text and "恭城" not in county_view.text
    city_view = as_user(client, city_reviewer).get(QUEUE)
    assert "site" in city_view.context["cl"].list_display and "按报送站点" in city_view.text
    [by_site] = [f for f in city_view.context["cl"].filter_specs if f.title == "报送站点"]
    assert {name for _, name in by_site.lookup_choices} == {"七星区", "恭城"}


def test_adopted_after_editing_the_county_sees_what_changed(
    client, group, county_editor, city_reviewer
):
    article = group.county_article
    submit(as_user(client, county_editor), article, group.jiceng)
    submission = Submission.objects.get()
    as_user(client, city_reviewer)
    url = reverse("admin:articles_article_change", args=[article.pk])
    saved = client.post(url, form_data(client.get(url), title="七星区：新提任干部廉政谈话"))
    assert saved.status_code == 302
    act(client, "adopt_selected", submission)
    submission.refresh_from_db()
    assert submission.edited and submission.adopted_version
    county_view = as_user(client, county_editor).get(QUEUE).text
    assert "修改后采用" in county_view and "查看主站的改动" in county_view
    compare = reverse("admin:articles_article_compare", args=[article.pk])
    changes = client.get(
        compare, {"from": submission.submitted_version, "to": submission.adopted_version}
    ).text
    assert "新提任干部廉政谈话" in changes
    assert AuditEntry.objects.filter(action=AuditEntry.Action.ADOPT_EDITED).exists()


def test_county_editor_cannot_open_or_change_a_city_article_even_by_forged_post(
    client, group, county_editor
):
    city = group.city_article
    as_user(client, county_editor)
    url = reverse("admin:articles_article_change", args=[city.pk])
    assert client.get(url).status_code in (302, 404)
    assert city.title not in client.get(reverse("admin:articles_article_changelist")).text
    # The POST a city editor's browser would send, replayed by the county editor.
    client.post(url, {"title": "被篡改", "channel": city.channel_id, "body": "<p>改</p>"})
    client.post(reverse("admin:articles_article_transition", args=[city.pk, "unpublish"]))
    client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "unpublish_selected", ACTION_CHECKBOX_NAME: [city.pk]},
    )
    city.refresh_from_db()
    assert (city.title, city.status) == ("市纪委监委召开全会", Article.Status.PUBLISHED)


def test_county_editor_writes_only_in_its_own_channels(client, group, county_editor):
    as_user(client, county_editor)
    add = reverse("admin:articles_article_add")
    page = client.get(add).text
    assert "七星动态" in page and "新闻廉播" not in page
    client.post(add, {"title": "写进市里栏目", "channel": group.news.pk, "body": "<p>正文</p>"})
    assert not Article.objects.filter(title="写进市里栏目").exists()
    client.post(
        add,
        form_data(
            client.get(add),
            title="七星区：本站稿件",
            body="<p>正文</p>",
            channel=str(group.qixing_news.pk),
        ),
    )
    assert Article.objects.get(title="七星区：本站稿件").site == group.qixing

    # The list's 按栏目 filter offers the same channels: its own, not another county's.
    make_channel("七星要闻", "qixing-yaowen", site=group.qixing)
    listing = client.get(reverse("admin:articles_article_changelist"))
    [by_channel] = [f for f in listing.context["cl"].filter_specs if f.title == "栏目"]
    assert {name for _, name in by_channel.lookup_choices} == {"七星动态", "七星要闻"}
    assert "恭城动态" not in listing.text


def test_forged_submissions_and_decisions_are_refused(client, group, county_editor):
    as_user(client, county_editor)
    # Another site's article, and a county's own channel as the target.
    submit(client, group.city_article, group.jiceng)
    submit(client, group.county_article, group.qixing_news)
    assert not Submission.objects.exists()
    submit(client, group.county_article, group.jiceng)
    submission = Submission.objects.get()
    # A county reviewer holds the 审核 role but adopts nothing, even by a forged POST.
    county_reviewer = staff_of(group.qixing, REVIEWER)
    as_user(client, county_reviewer)
    act(client, "adopt_selected", submission)
    submission.refresh_from_db()
    assert submission.status == Submission.Status.PENDING
    # Nor does 恭城's editor see 七星区's submission.
    as_user(client, staff_of(group.gongcheng, EDITOR))
    assert group.county_article.title not in client.get(QUEUE).text


def test_sharing_an_article_into_another_channel(client, group):
    as_user(client, make_superuser())
    article = group.city_article
    changelist = reverse("admin:articles_article_changelist")
    data = {"action": "share_selected", ACTION_CHECKBOX_NAME: [article.pk]}
    asked = client.post(changelist, data)
    assert "同时发布到" in asked.text
    labels = [label for _, label in asked.context["form"].fields["channels"].choices]
    assert labels.index("清廉之窗") < labels.index(INDENT + "基层风采")
    client.post(changelist, {**data, "apply": "1", "channels": [group.jiceng.pk]})
    assert list(article.also_in.all()) == [group.jiceng]
    client.logout()
    assert article.title in client.get(group.jiceng.get_absolute_url()).text
    # One page: its breadcrumb keeps its own channel.
    page = client.get(article.get_absolute_url()).text
    assert group.news.get_absolute_url() in page
    assert AuditEntry.objects.filter(action=AuditEntry.Action.SHARE).exists()


def test_seed_article_is_an_adopted_qixing_submission(client, db):
    call_command("load_demo", verbosity=0)
    seed = Article.objects.get(title="七星区：跟进监督 推动“双减”政策落地见效")
    submission = seed.submissions.get()
    assert (submission.site.name, submission.status) == ("七星区", Submission.Status.ADOPTED)
    assert submission.channel.name == "基层风采"
    listing = client.get(submission.channel.get_absolute_url()).text
    assert seed.title in listing
    year = submission.submitted_at.year
    qixing = next(r for r in adoption.build("year", year=year).sites if r.label == "七星区")
    assert qixing.adopted == 1
    states = set(Submission.objects.values_list("status", flat=True))
    assert states == {"pending", "adopted", "returned"}
    home = client.get("/", HTTP_HOST="qixing.localhost").text
    assert "清廉七星" in home and seed.title in home


def test_an_empty_period_leads_to_the_newest_submissions(client, db, django_assert_num_queries):
    """The demo's submissions are from 2021 and 2022: this year's page says so and links
    to the year of the newest; there the ranking and both charts have their titles.
    Budget: session, user, the two grouped counts and the sites; the newest submission's
    year only when the period is empty."""
    call_command("load_demo", verbosity=0)
    newest = Submission.objects.latest("submitted_at").submitted_at
    newest_year = timezone.localtime(newest).year
    admin = as_user(client, make_superuser())
    admin.get(reverse("admin:index"))  # the group's sites, read once per process
    with django_assert_num_queries(6):
        page = admin.get(STATS).text
    assert "这一时段没有报送稿件。" in page
    link = f'href="?period=year&amp;year={newest_year}"'
    assert link in page and f'<option value="{newest_year}"' in page
    with django_assert_num_queries(5):
        there = admin.get(STATS, {"period": "year", "year": newest_year}).text
    assert 'id="empty-period"' not in there
    assert "<h2>各站点采用篇数</h2>" in there and "<h2>各站点采用率（%）</h2>" in there
