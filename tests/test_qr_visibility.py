"""The QR code of an article follows the article: gone when it is taken down."""

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.conftest import make_article

pytestmark = pytest.mark.django_db


def take_offline(article):
    article.status = Article.Status.OFFLINE
    article.save()


def unpublish_now(article):
    article.unpublish_at = timezone.now()
    article.save()


@pytest.mark.parametrize("take_down", [take_offline, unpublish_now, Article.delete])
def test_qr_code_of_an_article_taken_down_is_gone_at_once(client, channel, take_down):
    """Drawn and cached while the article was public, the code answers 404 as soon as the
    article is offline, past its end time or deleted, not when the drawing expires."""
    article = make_article(channel=channel)
    url = reverse("articles:qr", args=[article.pk])
    assert client.get(url).status_code == 200
    assert client.get(f"/zh-hant{url}").status_code == 200
    take_down(article)
    assert client.get(url).status_code == 404
    assert client.get(f"/zh-hant{url}").status_code == 404


def test_qr_code_of_an_article_published_again_is_back(client, channel):
    article = make_article(channel=channel, status=Article.Status.OFFLINE)
    url = reverse("articles:qr", args=[article.pk])
    assert client.get(url).status_code == 404
    article.status = Article.Status.PUBLISHED
    article.save()
    assert client.get(url).status_code == 200
