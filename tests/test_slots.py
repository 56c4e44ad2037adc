"""Recommendation slots (推荐位): defined by administrators, filled by reviewers from the
article list or the article form, shown on the home page in their order."""

import re
from datetime import timedelta

import pytest
from django.apps import apps as django_apps
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Slot, SlotPlacement, slots
from tests.conftest import make_article, make_channel, place
from tests.roles import ADMINISTRATOR, EDITOR, REVIEWER, login
from tests.test_admin import article_form

pytestmark = pytest.mark.django_db
CHANGELIST = "/admin/articles/article/"


@pytest.fixture
def channel(db):
    return make_channel("新闻廉播", "xinwen")


@pytest.fixture
def reviewer(channel):
    return login(Client(), REVIEWER, "laoli")


def carousel_titles(html):
    block = re.search(r'<section class="focus".*?</section>', html, re.S)
    if block is None:
        return []
    return re.findall(r'<figcaption class="focus__caption"><a [^>]*>([^<]+)<', block.group(0))


def headline_titles(html):
    block = re.search(r'<section class="headlines".*?</section>', html, re.S)
    return re.findall(r"<a [^>]*>([^<]+)</a>", block.group(0)) if block else []


def push(client, articles, slot, **fields):
    """The list's action, as a browser does it: the page asking for the slot, then apply."""
    selected = [a.pk for a in articles]
    data = {"action": "push_to_slot", "_selected_action": selected}
    page = client.post(CHANGELIST, data)
    assert page.status_code == 200
    assert "推送到推荐位" in page.text and "推荐截止时间" in page.text
    return client.post(CHANGELIST, {**data, "apply": "1", "slot": slot.pk, **fields}, follow=True)


def test_migration_made_the_slots_the_home_page_reads():
    """Migration 0017 made 首页头条 and 首页轮播 (and 专题推荐)."""
    names = dict(Slot.objects.values_list("key", "name"))
    assert names[slots.HEADLINES] == "首页头条"
    assert names[slots.CAROUSEL] == "首页轮播"
    assert "专题推荐" in names.values()


def test_migration_moves_headline_flags_into_the_slot(channel):
    """Articles flagged 头条 before slots existed are in 首页头条 after migrating, in the
    order the home page showed them (pinned, then newest)."""
    from importlib import import_module

    migration = import_module("articles.migrations.0017_headline_flags_to_slot")
    now = timezone.now()
    old = make_article("旧头条", channel, published_at=now - timedelta(days=2))
    new = make_article("新头条", channel, published_at=now - timedelta(days=1))
    make_article("普通", channel)
    SlotPlacement.objects.all().delete()
    Article.objects.filter(pk__in=[old.pk, new.pk]).update(is_featured=True)

    migration.forward(django_apps, None)

    placed = SlotPlacement.objects.filter(slot__key=slots.HEADLINES).order_by("position")
    assert [p.article.title for p in placed] == ["新头条", "旧头条"]


def test_reviewer_pushes_two_articles_into_the_carousel_in_order(reviewer, channel, client):
    """Pushed from the list with a starting number, two articles show on the home page in
    the order chosen — not by date — and a third pushed after them comes last."""
    now = timezone.now()
    older = make_article("恭城：廉洁文化进校园", channel, published_at=now - timedelta(days=3))
    newer = make_article("阳朔：监督助力旅游", channel, published_at=now - timedelta(days=1))
    third = make_article("灵川：小微权力清单", channel, published_at=now - timedelta(days=2))
    carousel = Slot.objects.get(key=slots.CAROUSEL)

    # Selected rows arrive in list order (newest first); the editor's number decides.
    response = push(reviewer, [older], carousel, position="1")
    assert "已把 1 篇文章推送到“首页轮播”" in response.text
    push(reviewer, [newer], carousel, position="2")
    assert carousel_titles(client.get("/").text) == [older.title, newer.title]

    push(reviewer, [third], carousel)  # no number: after those already there
    assert carousel_titles(client.get("/").text) == [older.title, newer.title, third.title]

    # Reordering is changing a number; the page cache turns fresh at once.
    SlotPlacement.objects.filter(article=third).update(position=0)
    placement = SlotPlacement.objects.get(article=third)
    placement.save()
    assert carousel_titles(client.get("/").text) == [third.title, older.title, newer.title]


def test_slot_shows_only_published_current_articles_up_to_its_size(channel, client):
    """Readers see only published articles whose placement has not ended, at most the
    slot's size; a draft waits unseen."""
    slot = Slot.objects.get(key=slots.CAROUSEL)
    slot.size = 2
    slot.save()
    draft = make_article("草稿不显示", channel, status=Article.Status.DRAFT)
    place(draft, key=slots.CAROUSEL, position=0)
    expired = make_article("过期推荐", channel)
    place(expired, key=slots.CAROUSEL, position=1, until=timezone.now() - timedelta(minutes=1))
    for i in range(3):
        place(make_article(f"推荐{i}", channel), key=slots.CAROUSEL, position=10 + i)

    assert carousel_titles(client.get("/").text) == ["推荐0", "推荐1"]


def test_placement_end_is_a_scheduled_change(channel):
    """A placement's end time is among the moments the content generation moves on by
    itself (as an article's scheduled times are), so cached home pages go stale then."""
    from articles.caching import freshness

    soon = timezone.now() + timedelta(minutes=5)
    later = timezone.now() + timedelta(minutes=50)
    make_article("定时文章", channel, unpublish_at=later)
    place(make_article("限时推荐", channel), key=slots.CAROUSEL, until=soon)
    assert freshness._upcoming_change() == pytest.approx(soon.timestamp())


def test_article_form_pushes_into_a_slot(channel, client):
    """The form's 推荐位 rows put the article into a slot, with its order and end."""
    reviewer = login(Client(), REVIEWER, "laoli")
    headlines = Slot.objects.get(key=slots.HEADLINES)
    data = article_form(reviewer, channel, title="象山区：专项整治")
    data.update({"slot_placements-0-slot": headlines.pk, "slot_placements-0-position": "3"})
    response = reviewer.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 302, response.text
    placement = SlotPlacement.objects.get()
    assert (placement.slot, placement.position, placement.until) == (headlines, 3, None)
    assert headline_titles(client.get("/").text) == ["象山区：专项整治"]


def test_editor_pushes_two_articles_into_the_carousel(channel, client):
    """An editor pushes from the list as a reviewer does; a draft pushed with them waits
    unseen until it is published."""
    editor = login(Client(), EDITOR, "xiaowang")
    first = make_article("恭城：廉洁文化进校园", channel)
    second = make_article("阳朔：监督助力旅游", channel)
    draft = make_article("草稿", channel, status=Article.Status.DRAFT)
    assert 'value="push_to_slot"' in editor.get(CHANGELIST).text
    carousel = Slot.objects.get(key=slots.CAROUSEL)
    push(editor, [first], carousel, position="1")
    response = push(editor, [second, draft], carousel, position="2")
    assert "已把 2 篇文章推送到“首页轮播”" in response.text
    assert "其中 1 篇读者现在看不到" in response.text
    assert carousel_titles(client.get("/").text) == [first.title, second.title]
    page = editor.get(reverse("admin:articles_article_change", args=[draft.pk]))
    assert 'name="slot_placements-0-slot"' in page.text


def test_push_refuses_a_past_end_time(reviewer, channel):
    article = make_article("文章", channel)
    carousel = Slot.objects.get(key=slots.CAROUSEL)
    past = timezone.localtime() - timedelta(days=1)
    response = push(
        reviewer,
        [article],
        carousel,
        until_0=past.strftime("%Y-%m-%d"),
        until_1=past.strftime("%H:%M"),
    )
    assert "推荐截止时间应晚于现在" in response.text
    assert not SlotPlacement.objects.exists()


def test_slot_admin_lists_what_each_slot_shows(admin_client, channel):
    """The slot's page lists its articles with whether readers see them."""
    slot = Slot.objects.get(key=slots.CAROUSEL)
    place(make_article("显示中的文章", channel), key=slots.CAROUSEL)
    place(make_article("草稿文章", channel, status=Article.Status.DRAFT), key=slots.CAROUSEL)
    page = admin_client.get(reverse("admin:articles_slot_change", args=[slot.pk]))
    assert page.status_code == 200
    assert "显示中" in page.text and "文章不可见" in page.text
    listing = admin_client.get(reverse("admin:articles_slot_changelist"))
    assert "首页轮播" in listing.text and "1 篇" in listing.text


def test_every_push_change_and_removal_is_in_the_audit_trail(reviewer, channel):
    """From the list's action, the article form and the slot's page alike: who put which
    article where, in what order and until when, and who took it out."""
    from articles.editorial.models import AuditEntry

    first = make_article("恭城：廉洁文化进校园", channel)
    carousel = Slot.objects.get(key=slots.CAROUSEL)
    until = timezone.localtime() + timedelta(days=3)
    push(
        reviewer,
        [first],
        carousel,
        position="2",
        until_0=until.strftime("%Y-%m-%d"),
        until_1=until.strftime("%H:%M"),
    )
    push(reviewer, [first], carousel, position="1")

    data = article_form(reviewer, channel, title="象山区：专项整治")
    headlines = Slot.objects.get(key=slots.HEADLINES)
    data.update({"slot_placements-0-slot": headlines.pk, "slot_placements-0-position": "3"})
    assert reviewer.post(reverse("admin:articles_article_add"), data).status_code == 302
    second = Article.objects.get(title="象山区：专项整治")

    admin = login(Client(), ADMINISTRATOR, "guanliyuan")
    page = admin.get(reverse("admin:articles_slot_change", args=[headlines.pk]))
    placement = SlotPlacement.objects.get(article=second)
    form = {
        "name": headlines.name,
        "key": headlines.key,
        "size": headlines.size,
        "description": headlines.description,
        "placements-TOTAL_FORMS": "1",
        "placements-INITIAL_FORMS": "1",
        "placements-MIN_NUM_FORMS": "0",
        "placements-MAX_NUM_FORMS": "1000",
        "placements-0-id": placement.pk,
        "placements-0-slot": headlines.pk,
        "placements-0-article": second.pk,
        "placements-0-position": "3",
        "placements-0-DELETE": "on",
    }
    assert page.status_code == 200 and 'name="placements-0-DELETE"' in page.text
    response = admin.post(reverse("admin:articles_slot_change", args=[headlines.pk]), form)
    assert response.status_code == 302, response.text
    assert not SlotPlacement.objects.filter(article=second).exists()

    trail = [
        (e.username, e.action, e.article_id, e.note)
        for e in AuditEntry.objects.filter(action__in=["push", "unpush"]).order_by("id")
    ]
    assert trail == [
        ("laoli", "push", first.pk, f"推送到“首页轮播”，顺序 2，推荐到 {until:%Y-%m-%d %H:%M}"),
        ("laoli", "push", first.pk, "调整为“首页轮播”，顺序 1"),
        ("laoli", "push", second.pk, "推送到“首页头条”，顺序 3"),
        ("guanliyuan", "unpush", second.pk, "撤出“首页头条”"),
    ]
