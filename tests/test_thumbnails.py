"""Thumbnails: without a cover, the body's first uploaded image stands for the article
in lists and share cards, with its own alt text — found when the article is saved."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from articles.models import Article
from tests.conftest import image_bytes, make_article, make_channel, place

pytestmark = pytest.mark.django_db


@pytest.fixture
def channel(db):
    return make_channel("工作动态", "gzdt")


@pytest.fixture
def uploaded(media_root):
    """An image uploaded through the editor, and its address in a body."""
    name = default_storage.save("uploads/2025/01/xianchang.png", ContentFile(image_bytes()))
    return name, default_storage.url(name)


def test_first_uploaded_body_image_is_found_on_save(channel, uploaded):
    name, url = uploaded
    body = (
        '<p>正文。</p><p><img src="https://elsewhere.example/a.png" alt="外站图片"></p>'
        f'<p><img src="{url}" alt="督查组在学校门口"></p><p><img src="{url}" alt="第二张"></p>'
    )
    article = make_article("有图的文章", channel, body=body)
    assert (article.body_image, article.body_image_alt) == (name, "督查组在学校门口")
    assert article.thumbnail.name == name
    assert article.thumbnail_alt == "督查组在学校门口"

    article.body = "<p>图片删掉了。</p>"
    article.save()
    assert not article.thumbnail and article.body_image == ""


def test_body_image_serves_lists_and_share_cards(channel, uploaded, client):
    name, url = uploaded
    article = make_article(
        "有图的文章", channel, body=f'<p>正文。</p><p><img src="{url}" alt="调研现场"></p>'
    )
    place(article)
    listing = client.get(channel.get_absolute_url()).text
    assert f'class="article-list__thumb" src="{url}" alt="调研现场"' in listing
    home = client.get("/").text
    assert f'class="lead__cover" src="{url}" alt="调研现场"' in home
    page = client.get(article.get_absolute_url()).text
    assert f'<meta property="og:image" content="http://testserver{url}">' in page
    assert '<meta property="og:image:alt" content="调研现场">' in page


def test_a_cover_wins_over_the_body_image(channel, uploaded, client, media_root):
    name, url = uploaded
    article = make_article("有封面", channel, body=f'<p><img src="{url}" alt="正文图"></p>')
    article.cover.save("cover.png", ContentFile(image_bytes()), save=False)
    article.cover_alt = "封面说明"
    article.save()
    assert article.thumbnail == article.cover
    assert article.thumbnail_alt == "封面说明"
    page = client.get(article.get_absolute_url()).text
    assert '<meta property="og:image:alt" content="封面说明">' in page


def test_lists_read_no_bodies(channel, uploaded, client, django_assert_num_queries):
    """The thumbnail is a column: lists still defer the body."""
    _, url = uploaded
    make_article("有图的文章", channel, body=f'<p><img src="{url}" alt="图"></p>')
    listed = Article.objects.published().for_list().get()
    assert "body" in listed.get_deferred_fields()
    assert listed.thumbnail
