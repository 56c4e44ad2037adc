from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.shortcuts import redirect
from django.templatetags.static import static as static_url
from django.urls import include, path

from articles.caching.variants import ELDER_SWITCH_PATH
from articles.editorial import uploads
from articles.portal import elder, files

admin.site.site_header = "清廉网站内容管理"
admin.site.site_title = "内容管理"
admin.site.index_title = "管理首页"


def favicon(request):
    return redirect(static_url("img/favicon.svg"), permanent=True)


# A database that cannot be reached gives the branded 503 page, anything else the 500 one.
handler500 = "articles.ops.faults.server_error"

# The admin lives at settings.ADMIN_URL ("admin/" unless moved).
urlpatterns = [
    # The editor's upload goes through our own checks before ckeditor_uploader stores it.
    path(f"{settings.ADMIN_URL}ckeditor/upload/", uploads.upload, name="ckeditor_upload"),
    path(f"{settings.ADMIN_URL}ckeditor/browse/", uploads.browse, name="ckeditor_browse"),
    # Files (附件) uploaded from the link dialog.
    path(
        f"{settings.ADMIN_URL}ckeditor/attachment/", uploads.attachment, name="ckeditor_attachment"
    ),
    # A Word document (.docx) as body HTML, for the editor's 导入Word button.
    path(f"{settings.ADMIN_URL}ckeditor/word/", uploads.word, name="ckeditor_word"),
    path(settings.ADMIN_URL, admin.site.urls),
    # Browsers ask for /favicon.ico whatever the page says.
    path("favicon.ico", favicon),
    # 长者模式's switch: one address for both scripts (it only sets a cookie and goes
    # back), let through untouched by the page cache.
    path(ELDER_SWITCH_PATH.lstrip("/"), elder.switch, name="elder-switch"),
]
# Every public page twice: Simplified at the root, Traditional under /zh-hant/.
# LocaleMiddleware picks the language from the prefix alone; the admin stays Simplified.
urlpatterns += i18n_patterns(
    path("", include("articles.portal.urls")), prefix_default_language=False
)

if settings.MEDIA_URL.startswith("/"):
    # Attached files with their download headers, before the plain media files below
    # (nginx serves both in production, with the same headers: docs/deploying.md).
    urlpatterns.append(
        path(
            f"{settings.MEDIA_URL.lstrip('/')}attachments/<slug:token>/<str:name>",
            files.attachment,
            name="attachment",
        )
    )

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
