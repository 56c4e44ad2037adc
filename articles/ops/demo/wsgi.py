"""The demo's WSGI application: the site, and the uploaded files beside it.

With DEBUG off Django serves no media (a deployment leaves them to nginx); the demo has
no nginx, so WhiteNoise serves MEDIA_ROOT, looking each file up when it is asked for so
that an image uploaded a moment ago is there.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from whitenoise import WhiteNoise

application = WhiteNoise(get_wsgi_application(), autorefresh=True)
if not urlsplit(settings.MEDIA_URL).netloc:  # media on another host (S3) are served there
    application.add_files(settings.MEDIA_ROOT, prefix=settings.MEDIA_URL)
