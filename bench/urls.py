from django.http import HttpResponse
from django.urls import path

from qinglian.urls import handler500  # noqa: F401 (the site's 503/500 pages)
from qinglian.urls import urlpatterns as site_urlpatterns


def hello(request):
    return HttpResponse("Hello, world")


urlpatterns = [
    path("hello/", hello),
    # Spread, not include(): Django refuses i18n_patterns (the /zh-hant/ pages) in an
    # included URLconf.
    *site_urlpatterns,
]
