from django.contrib.postgres.search import SearchVectorField
from django.db import models

from articles.models import Article


class SearchDocument(models.Model):
    """What site search indexes of one article (articles/search/index.py), on every write.

    The token columns are the article's words as the search index sees them: Chinese
    as overlapping bigrams plus single characters, Latin and digits as words. SQLite's
    FTS5 table reads them (external content); on PostgreSQL the tsvector columns, kept
    from the same tokens with GIN indexes, are what is searched.
    """

    article = models.OneToOneField(
        Article,
        verbose_name="文章",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="search_document",
    )
    # Publication time and id in one integer, so that "newest first" is an index order
    # (and FTS5's rowid order); see articles/search/index.py.
    rank_key = models.BigIntegerField("排序键", unique=True)
    title_tokens = models.TextField("标题词元", blank=True)
    tokens = models.TextField("全文词元", blank=True)
    title_vector = SearchVectorField("标题检索向量", null=True)
    vector = SearchVectorField("全文检索向量", null=True)

    class Meta:
        # Kept in the content app's tables, migrations and backups.
        app_label = "articles"
        verbose_name = "搜索索引"
        verbose_name_plural = "搜索索引"

    def __str__(self):
        return f"搜索索引：{self.article_id}"
