import reversion
from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import Truncator

from .fields import RichTextField
from .paths import page_url
from .sanitize import first_paragraph, sanitize_html
from .tree import ChannelTree
from .uploads import UploadPath, validate_image_upload


class ChannelQuerySet(models.QuerySet):
    def tree(self):
        """The whole channel tree in one query; a site has at most a few hundred."""
        return ChannelTree(self.order_by("position", "id"))


class ColumnType(models.TextChoices):
    """Column types of government websites, for the ``ColumnType`` meta tag.

    The content categories of 《政府网站发展指引》 (国办发〔2017〕47号): information
    release (概况信息 … 数据发布), interpretation and response, services, interaction,
    special columns. The value is the Chinese name itself, as the tag carries it.
    """

    OVERVIEW = "概况信息"
    FUNCTIONS = "机构职能"
    LEADERS = "负责人信息"
    WORK_NEWS = "工作动态"
    NOTICES = "通知公告"
    POLICY_DOCUMENTS = "政策文件"
    POLICY_INTERPRETATION = "政策解读"
    RESPONSES = "回应关切"
    DISCLOSURE = "信息公开"
    PERSONNEL = "人事信息"
    DATA = "数据发布"
    SERVICES = "办事服务"
    INTERACTION = "互动交流"
    SPECIAL = "专题专栏"
    OTHER = "其他"


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
    description = models.TextField(
        "栏目简介", blank=True, help_text="显示在栏目页标题下，也是搜索引擎看到的栏目描述。"
    )
    keywords = models.CharField(
        "栏目关键词",
        max_length=200,
        blank=True,
        help_text="可选。多个关键词用逗号分隔，写入栏目页的 ColumnKeywords 标签。",
    )
    column_type = models.CharField(
        "栏目类型",
        max_length=20,
        choices=ColumnType.choices,
        default=ColumnType.WORK_NEWS,
        help_text="按政府网站栏目分类选择，写入栏目页的 ColumnType 标签。",
    )
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
        return page_url("articles:channel", self.slug)

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
    # refused (articles/workflow_admin.py), so two editors never overwrite each other.
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
        self.body = sanitize_html(self.body)
        if not self.summary.strip():
            self.summary = first_paragraph(self.body)
        self.version = (self.version or 0) + 1
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return page_url("articles:detail", self.pk)

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


class SiteSettings(models.Model):
    site_name = models.CharField("网站名称", max_length=50, default="清廉桂林")
    logo = models.ImageField(
        "网站标志",
        upload_to=UploadPath("site"),
        blank=True,
        validators=[validate_image_upload],
        help_text="可选。显示在页头网站名称前，建议高度 96 像素以上、背景透明的 PNG。",
    )
    description = models.CharField(
        "网站简介",
        max_length=200,
        blank=True,
        help_text="一两句话，用作首页的描述标签和分享摘要。",
    )
    domain = models.CharField(
        "网站域名",
        max_length=100,
        blank=True,
        help_text="如 www.example.gov.cn，写入每页的 SiteDomain 标签；留空时使用访问的域名。",
    )
    organizer = models.CharField("主办单位", max_length=100, blank=True)
    undertaker = models.CharField("承办单位", max_length=100, blank=True)
    icp_number = models.CharField(
        "ICP 备案号", max_length=50, blank=True, help_text="如“桂ICP备12345678号”。"
    )
    police_number = models.CharField(
        "公安备案号", max_length=50, blank=True, help_text="如“桂公网安备 45030202000001号”。"
    )
    site_code = models.CharField(
        "网站标识码", max_length=30, blank=True, help_text="写入每页的 SiteIDCode 标签。"
    )
    contact = models.CharField(
        "联系方式", max_length=200, blank=True, help_text="如“联系电话：0773-0000000”。"
    )
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


class FriendlyLink(models.Model):
    """A 友情链接 in the footer of every page."""

    name = models.CharField("名称", max_length=50)
    url = models.URLField("网址")
    position = models.PositiveIntegerField("排序", default=0, help_text="数字小的排在前面。")

    class Meta:
        ordering = ["position", "id"]
        verbose_name = "友情链接"
        verbose_name_plural = "友情链接"

    def __str__(self):
        return self.name


class PhraseCorrection(models.Model):
    """A phrase OpenCC converts wrongly, and the Traditional form the site wants instead."""

    simplified = models.CharField(
        "简体词语",
        max_length=50,
        unique=True,
        help_text="正文等内容中出现的简体写法，如“监察干部”。",
    )
    traditional = models.CharField(
        "繁体写法",
        max_length=50,
        help_text="繁体版中要显示的写法，如“監察幹部”。保存后所有含此词语的页面立即生效。",
    )
    note = models.CharField("说明", max_length=200, blank=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        ordering = ["simplified"]
        verbose_name = "繁体校正"
        verbose_name_plural = "繁体校正"

    def __str__(self):
        return f"{self.simplified} → {self.traditional}"

    def clean(self):
        self.simplified = self.simplified.strip()
        self.traditional = self.traditional.strip()
        errors = {}
        for field in ("simplified", "traditional"):
            value = getattr(self, field)
            if not value:
                errors[field] = "不能为空。"
            elif any(ch in value for ch in "<>&\"'"):
                # Corrections are put into HTML text; markup has no place in them.
                errors[field] = "不能包含 < > & \" ' 这些符号。"
        if errors:
            raise ValidationError(errors)


class AuditEntry(models.Model):
    """Who changed an article's state, when, and from what to what; never edited."""

    class Action(models.TextChoices):
        SUBMIT = "submit", "提交审核"
        WITHDRAW = "withdraw", "撤回"
        PUBLISH = "publish", "发布"
        SCHEDULE = "schedule", "定时发布"
        REJECT = "reject", "驳回"
        UNPUBLISH = "unpublish", "下线"
        REDRAFT = "redraft", "转为草稿"
        DELETE = "delete", "删除"
        RESTORE = "restore", "恢复旧版本"
        RECOVER = "recover", "恢复已删除文章"

    created_at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    # Kept as written at the time: the record outlives renamed users and deleted articles.
    username = models.CharField("用户名", max_length=150, blank=True)
    action = models.CharField("操作", max_length=20, choices=Action.choices, db_index=True)
    article_id = models.BigIntegerField("文章编号", db_index=True)
    article_title = models.CharField("文章标题", max_length=200)
    from_state = models.CharField(
        "原状态", max_length=20, choices=Article.Status.choices, blank=True
    )
    to_state = models.CharField("新状态", max_length=20, choices=Article.Status.choices, blank=True)
    note = models.TextField("说明", blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        get_latest_by = "created_at"
        verbose_name = "操作记录"
        verbose_name_plural = "操作记录"

    def __str__(self):
        return f"{self.get_action_display()}：{self.article_title}"


class SearchDocument(models.Model):
    """What site search (articles/search.py) indexes of one article, derived on every save.

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
    # (and FTS5's rowid order); see articles/search.py.
    rank_key = models.BigIntegerField("排序键", unique=True)
    title_tokens = models.TextField("标题词元", blank=True)
    tokens = models.TextField("全文词元", blank=True)
    title_vector = SearchVectorField("标题检索向量", null=True)
    vector = SearchVectorField("全文检索向量", null=True)

    class Meta:
        verbose_name = "搜索索引"
        verbose_name_plural = "搜索索引"

    def __str__(self):
        return f"搜索索引：{self.article_id}"
