"""The content: channels and sources, articles and their related links, site settings,
recommendation slots."""

from articles.models.articles import Article, ArticleQuerySet, RelatedArticle, TitleColour
from articles.models.attachments import Attachment
from articles.models.channels import Channel, ChannelQuerySet, ColumnType, Source
from articles.models.placements import Placement
from articles.models.site import FriendlyLink, SiteSettings
from articles.models.sites import Site, SiteStaff
from articles.models.slots import Slot, SlotPlacement

__all__ = [
    "Article",
    "Attachment",
    "ArticleQuerySet",
    "Channel",
    "ChannelQuerySet",
    "ColumnType",
    "FriendlyLink",
    "Placement",
    "RelatedArticle",
    "Site",
    "SiteStaff",
    "SiteSettings",
    "Slot",
    "SlotPlacement",
    "Source",
    "TitleColour",
]
