from django.db import models


class DemoLoad(models.Model):
    """The demo content was loaded into this site (or the site had content of its own).

    One row, written once: from then on loading the demo does nothing, so that what an
    administrator deleted never comes back and what they added is never in the way.
    """

    loaded_at = models.DateTimeField("时间", auto_now_add=True)
    created = models.PositiveIntegerField("新建的对象数", default=0)

    class Meta:
        verbose_name = "演示内容载入记录"
        verbose_name_plural = verbose_name

    def __str__(self):
        return f"演示内容：{self.loaded_at:%Y-%m-%d %H:%M}"
