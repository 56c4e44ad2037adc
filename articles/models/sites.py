"""The sites of a site group (站群): the city's main site and its county subsites.

Every site answers on its own host names over one pool of articles and channels. A
channel is shared (the city's tree, ``Channel.site`` empty) or local to one site; a
county site shows its local channels and the shared channels it chooses to carry
(``carried_channels``). An article belongs to the site that wrote it (``Article.site``,
empty for the main site) and shows in its own channel and in those it was placed in
(``Article.also_in``: adopted submissions, shared articles). docs/sites.md.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from articles.sanitize import clean_text_fields


def host_names(text):
    """The host names written one a line (or separated by spaces or commas), lower case."""
    return [h.strip().lower() for h in text.replace(",", " ").split() if h.strip()]


class Site(models.Model):
    class HomeLayout(models.TextChoices):
        BLOCKS = "blocks", "栏目分块（每栏 8 篇）"
        COMPACT = "compact", "紧凑（每栏 5 篇）"

    name = models.CharField("站点名称", max_length=50, help_text="如“七星区”，用于后台和统计。")
    hosts = models.TextField(
        "域名",
        blank=True,
        help_text="访问本站的域名，每行一个，如 qixing.example.gov.cn（不含 http://）。"
        "域名还须写入环境变量 ALLOWED_HOSTS。",
    )
    url = models.URLField(
        "网站地址",
        blank=True,
        help_text="可选。如 https://qixing.example.gov.cn；留空时用第一个域名。"
        "分享链接、二维码和站点地图里的网址以它开头。",
    )
    is_main = models.BooleanField(
        "主站", default=False, help_text="市纪委监委的主站：采用下级报送的稿件，共享栏目属于它。"
    )
    home_layout = models.CharField(
        "首页布局", max_length=20, choices=HomeLayout.choices, default=HomeLayout.BLOCKS
    )
    source = models.ForeignKey(
        "articles.Source",
        verbose_name="来源单位",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="本站稿件被主站采用时显示的来源，如“七星区纪委监委”。",
    )
    carried_channels = models.ManyToManyField(
        "articles.Channel",
        verbose_name="转载主站栏目",
        blank=True,
        related_name="carried_by",
        help_text="本站显示的主站共享栏目（连同下级栏目），如新闻廉播、通知公告。主站不用选。",
    )
    position = models.PositiveIntegerField("排序", default=0)

    class Meta:
        ordering = ["-is_main", "position", "id"]
        verbose_name = "站点"
        verbose_name_plural = "站点"
        constraints = [
            models.UniqueConstraint(
                fields=["is_main"], condition=models.Q(is_main=True), name="one_main_site"
            )
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        clean_text_fields(self)
        self.hosts = "\n".join(host_names(self.hosts))
        super().save(*args, **kwargs)

    def clean(self):
        taken = {}
        for other in Site.objects.exclude(pk=self.pk):
            taken.update(dict.fromkeys(host_names(other.hosts), other.name))
        clash = [h for h in host_names(self.hosts) if h in taken]
        if clash:
            raise ValidationError({"hosts": f"域名 {clash[0]} 已属于站点“{taken[clash[0]]}”。"})

    @property
    def host_list(self):
        return host_names(self.hosts)

    @property
    def origin(self):
        """``scheme://host`` of this site's links; the main site's is the SITE_URL
        setting unless its own address is set (articles/paths.py)."""
        if self.url:
            return self.url
        if self.is_main or not self.host_list:
            return ""
        # Over the main site's scheme and port (the demo serves every site on one port).
        main = urlsplit(settings.QINGLIAN_SITE_URL)
        scheme = main.scheme or ("https" if settings.SECURE_SSL_REDIRECT else "http")
        host = self.host_list[0]
        port = f":{main.port}" if main.port and ":" not in host else ""
        return f"{scheme}://{host}{port}"

    @classmethod
    def main(cls):
        """The main site, made on first use (a database without the data migration's
        row, e.g. one flushed by a test)."""
        site = cls.objects.filter(is_main=True).first()
        return site or cls.objects.create(name="主站", is_main=True)


class SiteStaff(models.Model):
    """Which site a member of staff works for. Staff of the main site, and those with
    no row, work on the whole group as before; staff of a county site see and change
    only their site's articles and submissions."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="用户",
        on_delete=models.CASCADE,
        related_name="site_staff",
    )
    site = models.ForeignKey(
        Site, verbose_name="站点", on_delete=models.CASCADE, related_name="staff"
    )

    class Meta:
        verbose_name = "站点工作人员"
        verbose_name_plural = "站点工作人员"

    def __str__(self):
        return f"{self.user}（{self.site}）"


def county_site_of(user):
    """The county site ``user`` is limited to, or None (main-site or group staff)."""
    if not getattr(user, "is_authenticated", False) or user.is_superuser:
        return None
    try:
        site = user.site_staff.site
    except SiteStaff.DoesNotExist:
        return None
    return None if site.is_main else site


def placed_here(site, channel, owner_id, main_id):
    """Whether an article of site ``owner_id`` filed in ``channel`` (a channel of
    ``site``'s tree) shows there: a local channel shows what is in it; a shared one
    only the main site's articles (a county's get there by being adopted, ``also_in``)."""
    return channel.site_id is not None or owner_id is None or owner_id == main_id
