from django.core.exceptions import ValidationError
from django.db import models

from articles.paths import page_url
from articles.sanitize import clean_text_fields
from articles.tree import ChannelTree


class ChannelQuerySet(models.QuerySet):
    def tree(self):
        """The whole channel tree in one query; a site has at most a few hundred."""
        return ChannelTree(self.order_by("position", "id"))


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

    def save(self, *args, **kwargs):
        clean_text_fields(self)
        super().save(*args, **kwargs)

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

    def save(self, *args, **kwargs):
        clean_text_fields(self)
        super().save(*args, **kwargs)
