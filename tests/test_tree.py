"""ChannelTree: the channel hierarchy read in one query and walked in memory."""

import pytest

from articles.models import Channel
from tests.conftest import make_channel

pytestmark = pytest.mark.django_db


@pytest.fixture
def site_tree():
    """Two top channels, children out of creation order, and a three-level branch."""
    window = make_channel("清廉之窗", "qinglian", position=2)
    news = make_channel("新闻廉播", "xinwen", position=1)
    xunshi = make_channel("巡视巡察", "xunshi", parent=window, position=2)
    jiceng = make_channel("基层风采", "jiceng", parent=window, position=1)
    qixing = make_channel("七星区", "qixing", parent=jiceng, position=1)
    street = make_channel("东江街道", "dongjiang", parent=qixing, position=1)
    hidden = make_channel("内部栏目", "neibu", position=3, show_in_nav=False)
    return {
        "window": window,
        "news": news,
        "xunshi": xunshi,
        "jiceng": jiceng,
        "qixing": qixing,
        "street": street,
        "hidden": hidden,
    }


def test_roots_are_top_channels_in_position_order(site_tree):
    """Channels without a parent are the roots, ordered by position."""
    tree = Channel.objects.tree()
    assert [c.slug for c in tree.roots] == ["xinwen", "qinglian", "neibu"]


def test_tree_is_read_with_one_query(site_tree, django_assert_num_queries):
    """Building the tree and asking it questions costs a single query."""
    with django_assert_num_queries(1):
        tree = Channel.objects.tree()
        tree.children(site_tree["window"])
        tree.ancestors(site_tree["street"])
        tree.descendant_ids(site_tree["window"])
        list(tree.walk())


def test_children_in_position_order(site_tree):
    """children() lists direct children only, by position, by object or by id."""
    tree = Channel.objects.tree()
    window = site_tree["window"]
    assert [c.slug for c in tree.children(window)] == ["jiceng", "xunshi"]
    assert [c.slug for c in tree.children(window.pk)] == ["jiceng", "xunshi"]
    assert tree.children(site_tree["street"]) == []


def test_ancestors_from_top_down_to_parent(site_tree):
    """ancestors() runs from the top channel down to the parent, excluding the channel."""
    tree = Channel.objects.tree()
    assert [c.slug for c in tree.ancestors(site_tree["street"])] == [
        "qinglian",
        "jiceng",
        "qixing",
    ]
    assert [c.slug for c in tree.ancestors(site_tree["jiceng"])] == ["qinglian"]
    assert tree.ancestors(site_tree["window"]) == []


def test_top_is_the_root_of_the_branch(site_tree):
    """top() is the root above a channel, or the channel itself for a root."""
    tree = Channel.objects.tree()
    assert tree.top(site_tree["street"]).slug == "qinglian"
    assert tree.top(site_tree["news"]).slug == "xinwen"


def test_descendant_ids_cover_the_whole_deep_branch(site_tree):
    """descendant_ids() holds the channel itself and every channel below it, at any depth."""
    tree = Channel.objects.tree()
    ids = tree.descendant_ids(site_tree["window"])
    expected = {site_tree[k].pk for k in ("window", "xunshi", "jiceng", "qixing", "street")}
    assert set(ids) == expected
    assert len(ids) == len(expected)
    assert tree.descendant_ids(site_tree["street"]) == [site_tree["street"].pk]


def test_walk_lists_parents_before_children_with_depths(site_tree):
    """walk() yields every channel once, depth-first, siblings in position order."""
    tree = Channel.objects.tree()
    assert [(c.slug, depth) for c, depth in tree.walk()] == [
        ("xinwen", 0),
        ("qinglian", 0),
        ("jiceng", 1),
        ("qixing", 2),
        ("dongjiang", 3),
        ("xunshi", 1),
        ("neibu", 0),
    ]


def test_nav_roots_honour_show_in_nav(site_tree):
    """nav_roots are the roots that are shown in the navigation."""
    tree = Channel.objects.tree()
    assert [c.slug for c in tree.nav_roots] == ["xinwen", "qinglian"]


def test_by_slug_finds_a_channel_or_none(site_tree):
    """by_slug() returns the channel for a known slug and None for an unknown one."""
    tree = Channel.objects.tree()
    assert tree.by_slug("qixing") == site_tree["qixing"]
    assert tree.by_slug("nope") is None


def test_parent_cycle_does_not_loop_forever(site_tree):
    """A parent cycle written behind the model's back never makes the tree loop."""
    jiceng, street = site_tree["jiceng"], site_tree["street"]
    # jiceng -> qixing -> street -> jiceng: bypasses Channel.clean().
    Channel.objects.filter(pk=jiceng.pk).update(parent=street)

    tree = Channel.objects.tree()
    loop = {jiceng.pk, site_tree["qixing"].pk, street.pk}
    assert set(tree.descendant_ids(jiceng)) == loop
    assert len(tree.descendant_ids(jiceng)) == 3
    ancestors = tree.ancestors(jiceng)
    assert {c.pk for c in ancestors} == {site_tree["qixing"].pk, street.pk}
    walked = [c.pk for c, _ in tree.walk()]
    assert len(walked) == len(set(walked))
    assert {site_tree[k].pk for k in ("news", "window", "xunshi", "hidden")} <= set(walked)


def test_channel_that_is_its_own_parent_does_not_loop(site_tree):
    """A channel whose parent is itself has no ancestors and only itself below it."""
    qixing = site_tree["qixing"]
    Channel.objects.filter(pk=qixing.pk).update(parent=qixing)

    tree = Channel.objects.tree()
    assert tree.ancestors(qixing) == []
    assert set(tree.descendant_ids(qixing)) == {qixing.pk, site_tree["street"].pk}
    walked = [c.pk for c, _ in tree.walk()]
    assert len(walked) == len(set(walked))


def test_channel_page_survives_a_parent_cycle(client, site_tree):
    """The channel page of a channel caught in a cycle still answers."""
    jiceng, street = site_tree["jiceng"], site_tree["street"]
    Channel.objects.filter(pk=jiceng.pk).update(parent=street)
    assert client.get(jiceng.get_absolute_url()).status_code == 200
    assert client.get(street.get_absolute_url()).status_code == 200
