"""The content: channels and sources, articles and their related links, site settings."""

from articles.models.articles import Article, ArticleQuerySet, RelatedArticle
from articles.models.channels import Channel, ChannelQuerySet, ColumnType, Source
from articles.models.site import FriendlyLink, SiteSettings

__all__ = [
    "Article",
    "ArticleQuerySet",
    "Channel",
    "ChannelQuerySet",
    "ColumnType",
    "FriendlyLink",
    "RelatedArticle",
    "SiteSettings",
    "Source",
]
