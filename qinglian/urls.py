from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.shortcuts import redirect
from django.templatetags.static import static as static_url
from django.urls import include, path

from articles.editorial import uploads

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
    path(settings.ADMIN_URL, admin.site.urls),
    # Browsers ask for /favicon.ico whatever the page says.
    path("favicon.ico", favicon),
]
# Every public page twice: Simplified at the root, Traditional under /zh-hant/.
# LocaleMiddleware picks the language from the prefix alone; the admin stays Simplified.
urlpatterns += i18n_patterns(
    path("", include("articles.portal.urls")), prefix_default_language=False
)

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
