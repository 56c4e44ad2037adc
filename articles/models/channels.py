from django.core.exceptions import ValidationError
from django.db import models

from articles.fields import WebAddressField, is_web_address
from articles.paths import page_url
from articles.sanitize import clean_text_fields
from articles.tree import ChannelTree


class ChannelQuerySet(models.QuerySet):
    def tree(self):
        """The whole channel tree in one query; a site has at most a few hundred."""
        return ChannelTree(self.order_by("position", "id"))

    def tree_of(self, site):
        """The tree ``site`` shows, in one query: the main site's is the shared
        channels; a county's, its own channels and the shared ones it carries with
        those below them (a carried channel whose parent is not carried is a root)."""
        ordered = self.order_by("position", "id")
        if site is None or site.is_main or site.pk is None:
            return ChannelTree(ordered.filter(site__isnull=True))
        carriage = site.carried_channels.through.objects.filter(
            site_id=site.pk, channel_id=models.OuterRef("pk")
        )
        rows = list(
            ordered.filter(models.Q(site__isnull=True) | models.Q(site_id=site.pk)).annotate(
                carried=models.Exists(carriage)
            )
        )
        shared = ChannelTree(c for c in rows if c.site_id is None)
        shown = {pk for c in rows if c.carried for pk in shared.descendant_ids(c.pk)}
        return ChannelTree(c for c in rows if c.site_id is not None or c.pk in shown)

    def holding_articles(self):
        """The channels an article may be put in: a link channel lists none."""
        return self.filter(external_url="")


class ColumnType(models.TextChoices):
    """Column types of government websites, for the ``ColumnType`` meta tag.

    The content categories of 《政府网站发展指引》 (国办发〔2017〕47号): information
    release (概况信息 … 数据发布), interpretation and response, services, interaction,
    special columns. The value is the Chinese name itself, as the tag carries it, and
    so is the label editors see.
    """

    OVERVIEW = "概况信息", "概况信息"
    FUNCTIONS = "机构职能", "机构职能"
    LEADERS = "负责人信息", "负责人信息"
    WORK_NEWS = "工作动态", "工作动态"
    NOTICES = "通知公告", "通知公告"
    POLICY_DOCUMENTS = "政策文件", "政策文件"
    POLICY_INTERPRETATION = "政策解读", "政策解读"
    RESPONSES = "回应关切", "回应关切"
    DISCLOSURE = "信息公开", "信息公开"
    PERSONNEL = "人事信息", "人事信息"
    DATA = "数据发布", "数据发布"
    SERVICES = "办事服务", "办事服务"
    INTERACTION = "互动交流", "互动交流"
    SPECIAL = "专题专栏", "专题专栏"
    OTHER = "其他", "其他"


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
    site = models.ForeignKey(
        "articles.Site",
        verbose_name="所属站点",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="local_channels",
        help_text="留空表示主站的共享栏目（县区站可以选择转载）；选择县区站则为该站自己的栏目。",
    )
    show_in_nav = models.BooleanField(
        "在导航中显示", default=True, help_text="不勾选时栏目仍可通过网址访问，但不出现在导航中。"
    )
    external_url = WebAddressField(
        "转向链接",
        max_length=500,
        blank=True,
        help_text="可选。填写后这个栏目只是导航里的一个链接：读者点栏目名直接打开这个网址"
        "（如上级纪委监委网站），本栏目不再有栏目页，也不能放文章。"
        "只能填以 http:// 或 https:// 开头的网址。",
    )

    objects = ChannelQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = "栏目"
        verbose_name_plural = "栏目"

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        clean_text_fields(self)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        """Its own address (for a link channel, one that redirects)."""
        return page_url("articles:channel", self.slug)

    @property
    def is_external(self):
        """A link channel: a navigation entry leading to another site, with no articles."""
        return bool(self.external_url) and is_web_address(self.external_url)

    def clean(self):
        if self.external_url and self.pk is not None and self.articles.exists():
            raise ValidationError(
                {"external_url": "这个栏目里已有文章，不能改为转向链接。请先把文章移到其他栏目。"}
            )
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

    def save(self, *args, **kwargs):
        clean_text_fields(self)
        super().save(*args, **kwargs)
