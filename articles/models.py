from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone

from .fields import RichTextField
from .sanitize import first_paragraph, sanitize_html
from .tree import ChannelTree
from .uploads import UploadPath, validate_image_upload


class ChannelQuerySet(models.QuerySet):
    def tree(self):
        """The whole channel tree in one query; a site has at most a few hundred."""
        return ChannelTree(self.order_by("position", "id"))


class Channel(models.Model):
    name = models.CharField("名称", max_length=50)
    slug = models.SlugField(
        "网址名",
        max_length=60,
        unique=True,
        help_text=(
            "出现在栏目网址 /channel/网址名/ 中，只能使用小写字母、数字和连字符，"
            "发布后请勿随意修改。"
        ),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="上级栏目",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text="留空表示顶级栏目。",
    )
    position = models.PositiveIntegerField(
        "排序", default=0, help_text="同一上级栏目下，数字小的排在前面。"
    )
    description = models.TextField("栏目简介", blank=True)
    show_in_nav = models.BooleanField(
        "在导航中显示", default=True, help_text="不勾选时栏目仍可通过网址访问，但不出现在导航中。"
    )

    objects = ChannelQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = "栏目"
        verbose_name_plural = "栏目"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:channel", args=[self.slug])

    def clean(self):
        if self.parent_id is None or self.pk is None:
            return
        tree = Channel.objects.tree()
        if self.parent_id == self.pk or self.parent_id in tree.descendant_ids(self.pk):
            raise ValidationError({"parent": "上级栏目不能是本栏目或它的下级栏目。"})


class Source(models.Model):
    name = models.CharField("名称", max_length=100, unique=True)
    url = models.URLField("网址", blank=True, help_text="可选。填写后来源名称会链接到此网址。")

    class Meta:
        ordering = ["name"]
        verbose_name = "来源"
        verbose_name_plural = "来源"

    def __str__(self):
        return self.name


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """The one visibility rule: published, and the publication time has come."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())

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
    body = RichTextField("正文")
    cover = models.ImageField(
        "封面图片",
        upload_to=UploadPath("covers"),
        blank=True,
        validators=[validate_image_upload],
        help_text="可选。用于首页头条和栏目列表，建议横图。",
    )
    cover_alt = models.CharField(
        "封面图片说明", max_length=200, blank=True, help_text="上传封面时必填，供读屏软件朗读。"
    )
    published_at = models.DateTimeField(
        "发布时间", default=timezone.now, help_text="晚于当前时间时，文章到点才会对读者显示。"
    )
    status = models.CharField(
        "状态", max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
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

    class Meta:
        ordering = ["-published_at", "-id"]
        get_latest_by = "published_at"
        verbose_name = "文章"
        verbose_name_plural = "文章"
        indexes = [
            models.Index(
                fields=["channel", "status", "-is_pinned", "-published_at"],
                name="article_channel_list",
            ),
            models.Index(fields=["status", "-published_at"], name="article_published"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body = sanitize_html(self.body)
        if not self.summary.strip():
            self.summary = first_paragraph(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:detail", args=[self.pk])

    @property
    def is_visible(self):
        return self.status == self.Status.PUBLISHED and self.published_at <= timezone.now()

    def clean(self):
        if self.cover and not self.cover_alt.strip():
            raise ValidationError({"cover_alt": "上传封面图片时请填写图片说明。"})


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


class SiteSettings(models.Model):
    site_name = models.CharField("网站名称", max_length=50, default="清廉桂林")
    organizer = models.CharField("主办单位", max_length=100, blank=True)
    icp_number = models.CharField("ICP 备案号", max_length=50, blank=True)
    site_code = models.CharField("网站标识码", max_length=30, blank=True)
    wechat_qr = models.ImageField(
        "微信公众号二维码",
        upload_to=UploadPath("site"),
        blank=True,
        validators=[validate_image_upload],
    )
    weibo_url = models.URLField("官方微博网址", blank=True)

    class Meta:
        verbose_name = "网站设置"
        verbose_name_plural = "网站设置"

    def __str__(self):
        return "网站设置"

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def load(cls):
        obj, _ = cls.objects.get_or_create(pk=1)
        return obj
