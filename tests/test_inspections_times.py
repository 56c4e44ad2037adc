"""Publication times that do not match reality: flagged with who set them, from the
revisions the admin keeps, and listed on the dashboard."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from articles.inspections.models import TimeFlag
from articles.models import Article
from tests.conftest import make_article, make_channel
from tests.roles import ADMINISTRATOR, REVIEWER, form_data, login, open_and_post

pytestmark = pytest.mark.django_db


def local(value):
    value = timezone.localtime(value)
    return {"published_at_0": value.strftime("%Y-%m-%d"), "published_at_1": value.strftime("%H:%M")}


def publish_through_admin(client, **fields):
    channel = make_channel()
    page = client.get(reverse("admin:articles_article_add"))
    data = form_data(page, title="七星区：通报", channel=channel.pk, body="<p>正文。</p>", **fields)
    data["_transition"] = "publish"
    response = client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 302
    return Article.objects.latest("pk")


def test_moving_a_published_article_back_a_month_is_flagged_with_who_did_it(client):
    login(client, REVIEWER, "审核员小王")
    article = publish_through_admin(client)
    assert article.status == Article.Status.PUBLISHED and not TimeFlag.objects.exists()
    earlier = article.published_at - timedelta(days=30)
    response = open_and_post(client, article, **local(earlier))
    assert response.status_code == 302
    [flag] = TimeFlag.objects.all()
    assert flag.kind == TimeFlag.Kind.MOVED_BACK and flag.username == "审核员小王"
    assert flag.user == client.user and flag.article_id == article.pk
    assert flag.new_time < flag.old_time - timedelta(days=29)

    login(client, ADMINISTRATOR)
    html = client.get(reverse("admin:inspections_dashboard_changelist")).content.decode()
    part = html[html.index('id="rule-times"') :]
    assert "发布后把发布时间改早" in part and "审核员小王" in part
    assert reverse("admin:articles_article_change", args=[article.pk]) in part


def test_publishing_with_a_time_before_the_article_existed_is_flagged(client):
    login(client, REVIEWER, "审核员老李")
    article = publish_through_admin(client, **local(timezone.now() - timedelta(days=200)))
    [flag] = TimeFlag.objects.all()
    assert flag.kind == TimeFlag.Kind.BEFORE_CREATED and flag.username == "审核员老李"
    assert flag.article_id == article.pk


def test_moving_a_scheduled_time_earlier_before_it_went_live_is_no_flag(client):
    login(client, REVIEWER)
    article = publish_through_admin(client, **local(timezone.now() + timedelta(days=10)))
    open_and_post(client, article, **local(timezone.now() + timedelta(days=2)))
    assert not TimeFlag.objects.exists()


def test_moving_a_published_time_later_is_no_flag(client):
    login(client, REVIEWER)
    article = publish_through_admin(client)
    open_and_post(client, article, **local(article.published_at + timedelta(hours=3)))
    assert not TimeFlag.objects.exists()


def test_articles_loaded_without_history_are_not_judged():
    make_article(published_at=timezone.now() - timedelta(days=900))
    call_command("check_publication_times", verbosity=0)
    assert not TimeFlag.objects.exists()


def test_the_command_finds_what_was_saved_before_and_adds_no_duplicates(client):
    login(client, REVIEWER)
    article = publish_through_admin(client)
    open_and_post(client, article, **local(article.published_at - timedelta(days=30)))
    TimeFlag.objects.all().delete()
    call_command("check_publication_times", verbosity=0)
    call_command("check_publication_times", verbosity=0)
    assert TimeFlag.objects.filter(article=article, kind=TimeFlag.Kind.MOVED_BACK).count() == 1
