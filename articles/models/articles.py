import reversion
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import Truncator

from articles import changes
from articles.fields import RichTextField, sanitized
from articles.images import UploadPath, validate_image_upload
from articles.models.channels import Channel, Source
from articles.paths import page_url
from articles.sanitize import clean_text_fields, first_paragraph


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """The one visibility rule: published, its time has come and its end time has not."""
        now = timezone.now()
        return self.filter(
            models.Q(unpublish_at__isnull=True) | models.Q(unpublish_at__gt=now),
            status=Article.Status.PUBLISHED,
            published_at__lte=now,
        )

    def in_channel(self, tree, channel):
        """Articles of ``channel`` and of every channel below it."""
        return self.filter(channel_id__in=tree.descendant_ids(channel.pk))

    def for_list(self):
        """What a list of articles shows: pinned first, then newest first."""
        return (
            self.select_related("channel", "source")
            .defer("body")
            .order_by("-is_pinned", "-published_at", "-id")
        )

    def for_detail(self):
        """What the article page shows of the article itself."""
        return self.select_related("source")

    def before(self, article):
        """Those of ``article``'s channel listed before it in time, nearest first: the
        first is its previous (one step along the article_channel_time index)."""
        same_time = models.Q(published_at=article.published_at, pk__lt=article.pk)
        return self.filter(
            models.Q(published_at__lt=article.published_at) | same_time,
            channel_id=article.channel_id,
        ).order_by("-published_at", "-id")

    def after(self, article):
        """Those of ``article``'s channel after it in time, nearest first."""
        same_time = models.Q(published_at=article.published_at, pk__gt=article.pk)
        return self.filter(
            models.Q(published_at__gt=article.published_at) | same_time,
            channel_id=article.channel_id,
        ).order_by("published_at", "id")

    def related_to(self, article):
        """The articles ``article`` links to as related (in no order: see
        ``RelatedArticle.position``)."""
        links = RelatedArticle.objects.filter(article_id=article.pk)
        return self.filter(pk__in=links.values("related_id"))

    def bulk_create(self, objs, *args, **kwargs):
        """Saved as ``save()`` saves, and announced once for the whole batch."""
        objs = list(objs)
        for article in objs:
            article.prepare_for_save()
        created = super().bulk_create(objs, *args, **kwargs)
        ids = [a.pk for a in created if a.pk is not None]
        changes.articles_written.send(Article, ids=ids)
        public = [a for a in created if a.status == Article.Status.PUBLISHED]
        if public:
            changes.public_articles_written.send(
                Article,
                ids=[a.pk for a in public if a.pk is not None],
                times=[t for a in public for t in a.scheduled_times()],
                channels=sorted({a.channel_id for a in public}),
            )
        for article in created:
            article.channel_id_when_read = article.channel_id
        return created


@reversion.register(follow=["related_links"])
class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        PENDING = "pending", "待审核"
        PUBLISHED = "published", "已发布"
        OFFLINE = "offline", "已下线"

    title = models.CharField(
        "标题", max_length=200, help_text="本站惯例为“地名：主题”，系列文章可用“巡察故事丨主题”。"
    )
    channel = models.ForeignKey(
        Channel, verbose_name="栏目", on_delete=models.PROTECT, related_name="articles"
    )
    source = models.ForeignKey(
        Source,
        verbose_name="来源",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="articles",
    )
    author = models.CharField(
        "作者",
        max_length=100,
        blank=True,
        help_text="可选。多位作者用空格分隔，如“通讯员 李明 王芳”。",
    )
    summary = models.TextField(
        "摘要", max_length=500, blank=True, help_text="留空时保存后自动取正文第一段。"
    )
    keywords = models.CharField(
        "关键词",
        max_length=200,
        blank=True,
        help_text="可选。多个关键词用逗号分隔，供搜索引擎和政府网站监测使用。",
    )
    body = RichTextField("正文")
    cover = models.ImageField(
        "封面图片",
        upload_to=UploadPath("covers"),
        blank=True,
        validators=[validate_image_upload],
        help_text="可选。用于首页头条、栏目列表和分享，建议 16:9 横图、宽 1440 像素以上。",
    )
    cover_alt = models.CharField(
        "封面图片说明",
        max_length=200,
        blank=True,
        help_text="上传封面时必填：一句话说明图片内容，如“调研组在学校了解课后服务”，"
        "供视力不便的读者用读屏软件收听。",
    )
    published_at = models.DateTimeField(
        "发布时间", default=timezone.now, help_text="晚于当前时间时，文章到点才会对读者显示。"
    )
    unpublish_at = models.DateTimeField(
        "下线时间",
        null=True,
        blank=True,
        help_text="可选。到这个时间文章自动对读者隐藏，无需再操作。",
    )
    status = models.CharField(
        "状态", max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    review_note = models.TextField("审核意见", blank=True, editable=False)
    # Optimistic locking: every save adds one, and a form based on an older number is
    # refused (articles/editorial/forms.py), so two editors never overwrite each other.
    version = models.PositiveIntegerField("版本号", default=0, editable=False)
    is_pinned = models.BooleanField("置顶", default=False, help_text="置顶文章排在栏目列表最前面。")
    is_featured = models.BooleanField("头条", default=False, help_text="头条文章显示在首页顶部。")
    view_count = models.PositiveIntegerField("浏览次数", default=0, editable=False)
    related = models.ManyToManyField(
        "self",
        verbose_name="相关文章",
        through="RelatedArticle",
        through_fields=("article", "related"),
        symmetrical=False,
        blank=True,
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        on_delete=models.SET_NULL,
        null=True,
        editable=False,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="最后修改人",
        on_delete=models.SET_NULL,
        null=True,
        editable=False,
        related_name="+",
    )

    objects = ArticleQuerySet.as_manager()

    # Set when read from the database (``from_db``) and after each save; an article
    # made here was not published before its first save.
    published_when_read = False
    # The channel it was in as read (None: made here), so that a move refreshes both.
    channel_id_when_read = None

    # Read by articles/freshness.py: cached pages go stale when this time passes too.
    SCHEDULE_END_FIELD = "unpublish_at"

    class Meta:
        ordering = ["-published_at", "-id"]
        get_latest_by = "published_at"
        verbose_name = "文章"
        verbose_name_plural = "文章"
        permissions = [
            ("submit_article", "可以提交审核或撤回文章"),
            ("publish_article", "可以发布和定时发布文章"),
            ("reject_article", "可以驳回文章"),
            ("unpublish_article", "可以下线文章"),
        ]
        indexes = [
            models.Index(
                fields=["channel", "status", "-is_pinned", "-published_at"],
                name="article_channel_list",
            ),
            models.Index(fields=["status", "-published_at"], name="article_published"),
            # Previous and next on the article page: one step along this index each way.
            models.Index(
                fields=["channel", "status", "published_at", "id"], name="article_channel_time"
            ),
            # The home page's headlines, found without walking past unfeatured articles.
            models.Index(
                fields=["status", "-is_pinned", "-published_at"],
                condition=models.Q(is_featured=True),
                name="article_featured",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.prepare_for_save()
        self.version = (self.version or 0) + 1
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
        super().save(*args, **kwargs)
        # (Fixtures and restores load through save_base(), which announces nothing:
        # rebuild_search_index follows them.)
        changes.articles_written.send(Article, ids=[self.pk])
        if self.status == self.Status.PUBLISHED or self.published_when_read:
            channels = {self.channel_id, self.channel_id_when_read} - {None}
            if self.published_when_read and self.channel_id_when_read is None:
                channels = ()  # read without its channel: where it was is unknown
            changes.public_articles_written.send(
                Article, ids=[self.pk], times=self.scheduled_times(), channels=sorted(channels)
            )
        self.published_when_read = self.status == self.Status.PUBLISHED
        self.channel_id_when_read = self.channel_id

    def get_absolute_url(self):
        return page_url("articles:detail", self.pk)

    @classmethod
    def from_db(cls, db, field_names, values):
        # Whether readers could see it as read (Django's documented way to keep loaded
        # values): saving a draft, a pending or an offline article changes no page.
        article = super().from_db(db, field_names, values)
        status = values[field_names.index("status")] if "status" in field_names else None
        # (Status not read: assume the worst.)
        article.published_when_read = status in (cls.Status.PUBLISHED, None, models.DEFERRED)
        if "channel_id" in field_names:
            article.channel_id_when_read = values[field_names.index("channel_id")]
        return article

    def scheduled_times(self):
        """Its publication and end times still to come, as timestamps."""
        now = timezone.now()
        return [t.timestamp() for t in (self.published_at, self.unpublish_at) if t and t > now]

    def prepare_for_save(self):
        """What every write of an article does first, one at a time or in bulk."""
        clean_text_fields(self)
        self.body = sanitized(self.body)
        if not self.summary.strip():
            self.summary = first_paragraph(self.body)

    @cached_property
    def description(self):
        """What search engines and share cards show: the summary, or else the title, cut
        to 150 characters (the page writes it twice)."""
        return Truncator(self.summary or self.title).chars(150)

    @property
    def is_visible(self):
        """The same rule as ``published()``, for one article already in hand."""
        now = timezone.now()
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at <= now
            and (self.unpublish_at is None or self.unpublish_at > now)
        )

    @property
    def reader_state(self):
        """What readers see of the article now, in words an editor understands."""
        if self.status != self.Status.PUBLISHED:
            return "不可见"
        now = timezone.now()
        if self.published_at > now:
            return "定时发布，未到时间"
        if self.unpublish_at is not None and self.unpublish_at <= now:
            return "已过下线时间"
        return "可见"

    def clean(self):
        if self.cover and not self.cover_alt.strip():
            raise ValidationError({"cover_alt": "上传封面图片时请填写图片说明。"})
        if self.unpublish_at and self.published_at and self.unpublish_at <= self.published_at:
            raise ValidationError({"unpublish_at": "下线时间必须晚于发布时间。"})


@reversion.register()
class RelatedArticle(models.Model):
    article = models.ForeignKey(
        Article, verbose_name="文章", on_delete=models.CASCADE, related_name="related_links"
    )
    related = models.ForeignKey(
        Article, verbose_name="相关文章", on_delete=models.CASCADE, related_name="+"
    )
    position = models.PositiveIntegerField("排序", default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = "相关文章"
        verbose_name_plural = "相关文章"
        constraints = [
            models.UniqueConstraint(fields=["article", "related"], name="related_article_once"),
        ]

    def __str__(self):
        return str(self.related)

    def clean(self):
        if self.article_id and self.article_id == self.related_id:
            raise ValidationError({"related": "文章不能与自己相关。"})
