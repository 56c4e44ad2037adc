"""RSS feeds: the whole site and each channel, newest 20 published articles.

Served under both prefixes; on /zh-hant/ titles and summaries are Traditional.
"""

import copy
import re
from typing import NamedTuple

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.html import escape

from articles.hant.conversion import hant_if_active
from articles.models import Article, Channel
from articles.paths import absolute_url
from articles.portal.context import page_context
from articles.portal.views import channel_tree

ITEMS = 20


class ChannelBranch(NamedTuple):
    channel: Channel
    channel_ids: list


# What XML 1.0 cannot hold: C0 controls but tab, LF and CR (Word's Shift+Enter pastes
# a vertical tab), surrogates and U+FFFE/U+FFFF. Django refuses to write them.
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_text(value):
    if isinstance(value, str):
        return NOT_XML.sub("", value)
    if isinstance(value, list | tuple):
        return [_xml_text(each) for each in value]
    return value


class XmlSafeRss(Rss201rev2Feed):
    """RSS 2.0 that leaves out characters XML cannot carry, whatever an old row holds."""

    def __init__(self, *args, **kwargs):
        super().__init__(*_xml_text(args), **{k: _xml_text(v) for k, v in kwargs.items()})

    def add_item(self, *args, **kwargs):
        super().add_item(*_xml_text(args), **{k: _xml_text(v) for k, v in kwargs.items()})


class SiteFeed(Feed):
    # One instance serves every request: nothing per request is kept on it.
    feed_type = XmlSafeRss

    def __call__(self, request, *args, **kwargs):
        # The site's own settings and tree (one object per request, never kept here).
        self_for_request = copy.copy(self)
        self_for_request.context = page_context(request)
        return Feed.__call__(self_for_request, request, *args, **kwargs)

    def site_name(self):
        return hant_if_active(self.context.settings.site_name)

    def title(self):
        return self.site_name()

    # RSS makes <description> HTML and <title> plain text: the plain texts given as
    # descriptions are escaped here for HTML, once, and XML escapes every element on top
    # (tests/test_feeds.py reads them back as a reader does). "<script>" typed by an
    # editor stays text in every reader.
    def description(self):
        return escape(hant_if_active(self.context.settings.description) or self.site_name())

    # Links on the site's origin, whatever host the request named (articles/paths.py);
    # Django would prefix the request's host to a path.
    def link(self):
        return absolute_url(reverse("articles:home"))

    def feed_url(self):
        return absolute_url(reverse("articles:feed"))

    def item_link(self, item):
        # An external-link article (转向链接) leads to the page it names.
        return absolute_url(item.link)

    def item_guid(self, item):
        return absolute_url(item.get_absolute_url())

    def item_guid_is_permalink(self, item):
        return not item.is_external

    def items(self):
        articles = Article.objects.published()
        if len(self.context.sites.sites) > 1:
            articles = articles.shown_in(list(self.context.tree.by_id), self.context.main_id)
        return articles.for_list().order_by("-published_at", "-id")[:ITEMS]

    def item_title(self, item):
        return hant_if_active(item.title)

    def item_description(self, item):
        return escape(hant_if_active(item.summary))

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return hant_if_active(item.author) or None

    def item_categories(self, item):
        return [hant_if_active(item.channel.name)]


class ChannelFeed(SiteFeed):
    def get_object(self, request, slug):
        tree = channel_tree(request)
        channel = tree.by_slug(slug)
        if channel is None or channel.is_external:  # a link channel lists nothing
            raise Http404("没有这个栏目")
        return ChannelBranch(channel, tree.descendant_ids(channel))

    def title(self, branch):
        return f"{hant_if_active(branch.channel.name)} - {self.site_name()}"

    def description(self, branch):
        return escape(hant_if_active(branch.channel.description) or self.title(branch))

    def link(self, branch):
        return absolute_url(branch.channel.get_absolute_url())

    def feed_url(self, branch):
        return absolute_url(reverse("articles:channel-feed", args=[branch.channel.slug]))

    def items(self, branch):
        return (
            Article.objects.published()
            .shown_in(branch.channel_ids, self.context.main_id)
            .for_list()
            .order_by("-published_at", "-id")[:ITEMS]
        )
