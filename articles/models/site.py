from django.db import models

from articles.images import UploadPath, validate_image_upload
from articles.sanitize import clean_text_fields


class SiteSettings(models.Model):
    """Each site's own name, logo and footer (one row per site, docs/sites.md)."""

    site = models.OneToOneField(
        "articles.Site",
        verbose_name="站点",
        on_delete=models.CASCADE,
        null=True,
        related_name="settings",
    )
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
    # 监督举报: the entrance every page of a commission's site shows, and its page.
    report_enabled = models.BooleanField(
        "显示监督举报入口",
        default=False,
        help_text="开启后，每页页头显示“监督举报”，并提供举报须知页面。",
    )
    report_url = models.URLField(
        "举报网站",
        default="https://www.12388.gov.cn/",
        help_text="中央纪委国家监委举报网站（12388）的网址。",
    )
    report_phone = models.CharField(
        "举报电话",
        max_length=30,
        blank=True,
        help_text="本地纪检监察机关的举报电话，如“0773-12388”；手机上点击即可拨打。",
    )

    class Meta:
        verbose_name = "网站设置"
        verbose_name_plural = "网站设置"

    def __str__(self):
        return f"网站设置（{self.site}）" if self.site_id else "网站设置"

    def save(self, *args, **kwargs):
        clean_text_fields(self)
        super().save(*args, **kwargs)

    @classmethod
    def load(cls, site=None):
        """The settings of ``site`` (the main site when None), made on first use."""
        from articles.models.sites import Site

        obj, _ = cls.objects.get_or_create(site=site or Site.main())
        return obj


class FriendlyLink(models.Model):
    """A 友情链接 in the footer of every page of its site."""

    site = models.ForeignKey(
        "articles.Site",
        verbose_name="站点",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="friendly_links",
        help_text="留空表示主站。",
    )
    name = models.CharField("名称", max_length=50)
    url = models.URLField("网址")
    position = models.PositiveIntegerField("排序", default=0, help_text="数字小的排在前面。")

    class Meta:
        ordering = ["position", "id"]
        verbose_name = "友情链接"
        verbose_name_plural = "友情链接"

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        clean_text_fields(self)
        super().save(*args, **kwargs)
