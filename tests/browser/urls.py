"""The site's URLs plus uploaded files, which the live server must serve to the browser."""

from django.conf import settings
from django.urls import re_path
from django.views.static import serve

from qinglian import urls as site

handler404 = getattr(site, "handler404", "django.views.defaults.page_not_found")
handler500 = getattr(site, "handler500", "django.views.defaults.server_error")


def media(request, path):
    # MEDIA_ROOT is read per request: every test has its own folder (tests/conftest.py).
    return serve(request, path, document_root=settings.MEDIA_ROOT)


urlpatterns = [
    re_path(r"^media/(?P<path>.*)$", media),
    *site.urlpatterns,
]
