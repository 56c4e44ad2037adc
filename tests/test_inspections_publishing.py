"""Wording hits on the article form and before publishing, through the admin wired as
the lead wires it: ``WordingAdminMixin`` first among the article admin's bases.

This module is its own URLconf: the same admin, with the article admin so wired.
"""

import pytest
from django.conf import settings
from django.contrib import admin
from django.urls import path, reverse

from articles.editorial.admin import ArticleAdmin
from articles.inspections.publishing import (
    WordingAdminMixin,
    WordingBlocked,
    check_before_publish,
)
from articles.models import Article
from qinglian import urls as site_urls
from tests.conftest import make_article
from tests.roles import EDITOR, REVIEWER, form_data, login, make_user

site = admin.AdminSite(name="admin")
for model, model_admin in admin.site._registry.items():
    site.register(model, type(model_admin))
site.unregister(Article)
site.register(Article, type("CheckedArticleAdmin", (WordingAdminMixin, ArticleAdmin), {}))
urlpatterns = [
    path(settings.ADMIN_URL, site.urls) if getattr(p, "app_name", None) == "admin" else p
    for p in site_urls.urlpatterns
]

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def wired(settings):
    settings.ROOT_URLCONF = __name__


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def open_form(client, article):
    page = client.get(change_url(article))
    assert page.status_code == 200
    return page


def draft(**kwargs):
    kwargs.setdefault("status", Article.Status.DRAFT)
    return make_article(**kwargs)


def test_saving_shows_each_hit_in_context_with_its_fix_and_saves_nothing(client):
    article = draft(body="<p>各级党组织要加强党风廉正建设。</p>")
    login(client, EDITOR)
    response = client.post(change_url(article), form_data(open_form(client, article)))
    assert response.status_code == 200
    html = response.content.decode()
    assert "没有保存：发现 1 处可能的错敏字" in html
    assert "要加强<mark>党风廉正建设</mark>。" in html and "应为“党风廉政建设”（严重" in html
    assert 'name="wording_fix" value="0"' in html
    assert Article.objects.get(pk=article.pk).version == article.version


def test_one_tick_fixes_the_hit_on_save(client):
    article = draft(body="<p>各级党组织要加强党风廉正建设。</p>", title="七星区：总 书 纪讲话")
    login(client, EDITOR)
    refused = client.post(change_url(article), form_data(open_form(client, article)))
    data = form_data(refused, wording_fix=["0", "1"])
    assert client.post(change_url(article), data).status_code == 302
    saved = Article.objects.get(pk=article.pk)
    assert saved.title == "七星区：总书记讲话"
    assert "加强党风廉政建设" in saved.body


def test_hits_seen_and_kept_are_saved_as_a_draft(client):
    article = draft(body="<p>党风廉正建设</p>")
    login(client, EDITOR)
    refused = client.post(change_url(article), form_data(open_form(client, article)))
    response = client.post(change_url(article), form_data(refused, _transition="submit"))
    assert response.status_code == 302
    assert Article.objects.get(pk=article.pk).status == Article.Status.PENDING


def test_a_severe_hit_is_published_only_once_a_reviewer_confirms_it(client):
    article = draft(body="<p>党风廉正建设</p>", status=Article.Status.PENDING)
    login(client, REVIEWER)
    refused = client.post(
        change_url(article), form_data(open_form(client, article), _transition="publish")
    )
    html = refused.content.decode()
    assert "含严重错敏字" in html and 'name="wording_confirm"' in html
    again = client.post(change_url(article), form_data(refused, _transition="publish"))
    assert again.status_code == 200  # seen is not enough for a severe hit
    assert Article.objects.get(pk=article.pk).status == Article.Status.PENDING
    data = form_data(again, _transition="publish", wording_confirm="1")
    assert client.post(change_url(article), data).status_code == 302
    assert Article.objects.get(pk=article.pk).status == Article.Status.PUBLISHED


def test_an_editor_is_told_a_reviewer_must_confirm(client):
    article = draft(body="<p>党风廉正建设</p>")
    login(client, EDITOR)
    html = client.post(change_url(article), form_data(open_form(client, article))).content
    assert "由审核人员确认后发布" not in html.decode()  # a draft is not being published
    assert 'name="wording_confirm"' not in html.decode()


def test_a_general_hit_does_not_block_publishing_once_seen(client):
    article = draft(body="<p>中纪委通报</p>", status=Article.Status.PENDING)
    login(client, REVIEWER)
    refused = client.post(
        change_url(article), form_data(open_form(client, article), _transition="publish")
    )
    assert 'name="wording_confirm"' not in refused.content.decode()
    response = client.post(change_url(article), form_data(refused, _transition="publish"))
    assert response.status_code == 302
    assert Article.objects.get(pk=article.pk).status == Article.Status.PUBLISHED


def test_the_list_action_does_not_publish_an_article_with_a_severe_hit(client):
    bad = draft(body="<p>党风廉正建设</p>", status=Article.Status.PENDING)
    good = draft(body="<p>党风廉政建设</p>", status=Article.Status.PENDING)
    login(client, REVIEWER)
    response = client.post(
        reverse("admin:articles_article_changelist"),
        {
            # As confirmed on the action's page, which binds each article's version.
            "action": "publish_selected",
            "_selected_action": [bad.pk, good.pk],
            "index": 0,
            "apply": "1",
            f"version-{bad.pk}": bad.version,
            f"version-{good.pk}": good.version,
        },
        follow=True,
    )
    assert "含严重错敏字" in response.content.decode()
    assert Article.objects.get(pk=bad.pk).status == Article.Status.PENDING
    assert Article.objects.get(pk=good.pk).status == Article.Status.PUBLISHED


def test_the_publish_button_of_a_read_only_page_is_refused_too(client):
    bad = draft(body="<p>党风廉正建设</p>", status=Article.Status.PENDING)
    login(client, REVIEWER)
    url = reverse("admin:articles_article_transition", args=[bad.pk, "publish"])
    response = client.post(url, follow=True)
    assert "含严重错敏字" in response.content.decode()
    assert Article.objects.get(pk=bad.pk).status == Article.Status.PENDING


def test_check_before_publish_counts_confirmation_only_from_those_allowed():
    article = draft(body="<p>党风廉正建设</p>")
    with pytest.raises(WordingBlocked):
        check_before_publish(article, make_user(EDITOR), confirmed=True)
    check_before_publish(article, make_user(REVIEWER), confirmed=True)
    with pytest.raises(WordingBlocked):
        check_before_publish(article, make_user(REVIEWER))
