import reversion
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import Truncator

from articles import changes
from articles.fields import RichTextField, WebAddressField, is_web_address, sanitized
from articles.images import UploadPath, validate_image_upload
from articles.models.channels import Channel, Source
from articles.models.placements import Placement
from articles.models.queries import ArticleQuerySet
from articles.paths import page_url
from articles.renditions import first_uploaded_image
from articles.sanitize import clean_text_fields, first_paragraph


class TitleColour(models.TextChoices):
    """The colours a title may be listed in (标题颜色), as government news lists mark
    important titles. Each is a CSS class (``title--red`` …, static/css/site.css) in a
    shade that keeps WCAG AA contrast on every background lists are shown on."""

    RED = "red", "红色"
    ORANGE = "orange", "橙色"
    GREEN = "green", "绿色"
    BLUE = "blue", "蓝色"
    PURPLE = "purple", "紫色"


@reversion.register(follow=["related_links", "attachments"])
class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        PENDING = "pending", "待审核"
        PUBLISHED = "published", "已发布"
        OFFLINE = "offline", "已下线"

    title = models.CharField(
        "标题", max_length=200, help_text="本站惯例为“地名：主题”，系列文章可用“巡察故事丨主题”。"
    )
    title_colour = models.CharField(
        "标题颜色",
        max_length=10,
        choices=TitleColour.choices,
        blank=True,
        help_text="可选。重要文章的标题在首页和栏目列表里用这个颜色显示；文章页的大标题不变。",
    )
    title_bold = models.BooleanField(
        "标题加粗", default=False, help_text="勾选后标题在首页和栏目列表里加粗显示。"
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
    # The site that wrote it (None: the main site); it shows on others by their rules.
    site = models.ForeignKey(
        "articles.Site",
        verbose_name="所属站点",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="articles",
    )
    also_in = models.ManyToManyField(
        Channel,
        verbose_name="同时发布的栏目",
        through=Placement,
        blank=True,
        related_name="placed_articles",
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
    external_url = WebAddressField(
        "转向链接",
        max_length=500,
        blank=True,
        help_text="可选。填写后这篇文章只有标题：读者点标题直接打开这个网址（如上级网站的通知），"
        "本站不再单独显示正文页，正文可以不填。只能填以 http:// 或 https:// 开头的网址。",
    )
    body = RichTextField("正文", blank=True)
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
    # The first uploaded image of the body, for lists and share cards when there is no
    # cover: found when the article is saved, never by reading bodies for a page.
    body_image = models.CharField("正文首图", max_length=255, blank=True, editable=False)
    body_image_alt = models.CharField("正文首图说明", max_length=200, blank=True, editable=False)
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
    # Replaced by the 首页头条 slot (migration 0017 moved the flags there); kept so that
    # old backups and versions still load. Nothing reads it.
    is_featured = models.BooleanField("头条（旧）", default=False, editable=False)
    weight = models.IntegerField(
        "排序",
        default=0,
        help_text="栏目列表里置顶文章之后按这个数字从大到小排列，数字相同的按发布时间新的在前。"
        "一般留 0；想让某篇靠前填正数（如 10），靠后填负数。",
    )
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
                fields=["channel", "status", "-is_pinned", "-weight", "-published_at"],
                name="article_channel_list",
            ),
            models.Index(fields=["status", "-published_at"], name="article_published"),
            # Previous and next on the article page: one step along this index each way.
            models.Index(
                fields=["channel", "status", "published_at", "id"], name="article_channel_time"
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
        """Its own address (for an external-link article, one that redirects)."""
        return page_url("articles:detail", self.pk)

    @property
    def is_external(self):
        """An external-link article (转向链接): only a title leading to another site."""
        return bool(self.external_url) and is_web_address(self.external_url)

    @property
    def link(self):
        """Where its title leads readers: the other site, or its own page."""
        return self.external_url if self.is_external else self.get_absolute_url()

    @property
    def title_classes(self):
        """The CSS classes of its title in lists (标题颜色, 标题加粗); classes, not a
        style attribute, as the Content-Security-Policy allows no inline styles."""
        classes = [f"title--{self.title_colour}"] if self.title_colour in TitleColour.values else []
        if self.title_bold:
            classes.append("title--bold")
        return " ".join(classes)

    @property
    def thumbnail(self):
        """The picture of lists and share cards: the cover, else the body's first
        uploaded image (an ImageFieldFile either way, for ``{% picture %}``)."""
        if self.cover or not self.body_image:
            return self.cover
        field = self._meta.get_field("cover")
        return field.attr_class(self, field, self.body_image)

    @property
    def thumbnail_alt(self):
        return self.cover_alt if self.cover else self.body_image_alt

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
        name, alt = first_uploaded_image(self.body)
        self.body_image, self.body_image_alt = name[:255], alt.strip()[:200]

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
        if self.channel_id is not None and self.channel.is_external:
            raise ValidationError({"channel": "这个栏目是转向链接，不能放文章，请选择其他栏目。"})
        if not self.external_url and not self.body.strip():
            raise ValidationError(
                {"body": "请填写正文；只想链接到其他网站的文章，请填写“转向链接”。"}
            )
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
