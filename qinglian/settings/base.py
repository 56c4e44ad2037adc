"""Settings every environment shares: the apps, middleware, templates, database and cache
wiring, uploads, the editor, security headers and policies.

Each environment's module imports this one and adds what only it has:
``qinglian.settings.dev`` (``manage.py``: DEBUG, a generated key, local hosts),
``qinglian.settings.test`` (pytest) and ``qinglian.settings.prod`` (wsgi/asgi and
gunicorn: every secret and host from the environment, refusing to start without them).
Nothing here turns DEBUG on.
"""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    """A comma-separated environment variable as a list, blanks left out."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
# The origin of every absolute URL the public pages give out (canonical links, QR codes,
# feeds, sitemaps), e.g. https://www.example.gov.cn; unset, the first of ALLOWED_HOSTS
# (articles/paths.py). Never the Host a request names: that is the sender's to choose.
QINGLIAN_SITE_URL = os.environ.get("SITE_URL", "")
# A host name no site of the group claims: "main" answers as the main site, "reject"
# refuses it with 400 (docs/sites.md).
QINGLIAN_UNKNOWN_HOST = os.environ.get("UNKNOWN_HOST", "main")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "qinglian.apps.StaticFilesConfig",  # django.contrib.staticfiles, minus CKEditor tests
    "django.contrib.sitemaps",
    "ckeditor",
    "ckeditor_uploader",
    "reversion",
    "articles.ops.apps.LoginLocksConfig",  # django-axes, named in Chinese
    # The content first, then each concern in the order they build on one another.
    "articles",
    "articles.caching",
    "articles.search",
    "articles.hant",
    "articles.ops",
    "articles.portal",
    "articles.editorial",
    "articles.inspections",
    "articles.importer",
    # The project's own system checks.
    "qinglian",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # A 404 for an address of the PHPCMS site this one was imported from becomes a 301
    # to its content here (articles/importer/redirects.py; only what was imported
    # answers). Outside the page cache, which keeps only the query parameters the views
    # read: the old addresses' ?m=content&a=show&id=… would be gone.
    "articles.importer.redirects.OldAddressMiddleware",
    # A reader's cached page is answered before anything else runs: it was stored with
    # the headers of every middleware below (its policy, language, Vary), so a hit costs
    # two cache reads and no more. Pages are kept by host name, so each site's apart.
    "articles.caching.page_cache.PageCacheMiddleware",
    # The site a host name names (request.site), for the pages rendered; a host no site
    # claims is refused here (QINGLIAN_UNKNOWN_HOST), and a refusal is never cached.
    "articles.caching.sites.SiteMiddleware",
    "articles.ops.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "qinglian.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "articles.portal.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "qinglian.wsgi.application"

# Production requires DATABASE_URL (prod.py); elsewhere the demo's file beside the checkout.
DATABASES = {
    "default": dj_database_url.config(default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django 5.2's own pool (psycopg_pool): each worker keeps a few open connections
    # instead of paying a connection set-up on every request.
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": int(os.environ.get("DATABASE_POOL_MIN", 1)),
        "max_size": int(os.environ.get("DATABASE_POOL_MAX", 8)),
        # How long a request waits for a connection before the 503 page (articles/faults.py).
        "timeout": float(os.environ.get("DATABASE_POOL_TIMEOUT", 10)),
    }
    # Pages run short queries; PostgreSQL's JIT compiler, which starts on estimated cost,
    # spends more time compiling one than the query takes.
    DATABASES["default"]["OPTIONS"].setdefault("options", "-c jit=off")
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's backend plus planner statistics kept current (qinglian/sqlite3/base.py).
    DATABASES["default"]["ENGINE"] = "qinglian.sqlite3"
    # A worker keeps its connection between requests: opening one costs more than an
    # article page's query, and a new connection starts with an empty page cache.
    DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("DATABASE_CONN_MAX_AGE", 600))
    # WAL lets readers go on while an editor saves. Memory-mapped reads and a larger page
    # cache keep site search fast on a big database (bench/search_bench.py).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                "PRAGMA mmap_size=1073741824; PRAGMA cache_size=-32000;"
            ),
            # A saving transaction takes the write lock when it begins and waits its turn:
            # one that read first and then tried to write would fail at once with
            # "database is locked" while another editor saved (bench/soak.py).
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's RedisCache, except that an unreachable Redis means cache misses
            # (pages come from the database) and a logged warning, not errors.
            "BACKEND": "articles.caching.redis.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1},
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "qinglian"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# {% cache %} fragments (the footer, the navigation) stay in each process: their keys
# carry the content generation, which every process reads from the shared cache
# (articles/freshness.py), so an edit makes every process render them afresh.
# While developing they are not kept (dev.py), so that an edited template shows at once.
CACHES["template_fragments"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "template-fragments",
    "TIMEOUT": 3600,
}
# Readers' whole pages (articles/page_cache.py), in each process for the same reason:
# about 30 MB per process at most, with pages of 10-40 kB.
CACHES["pages"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "pages",
    "OPTIONS": {"MAX_ENTRIES": 1000},
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "articles.ops.security.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
]

# Brute force: django-axes counts failed logins and locks both the user name and the
# address that tried, for AXES_COOLOFF_TIME; administrators see and lift locks under
# 登录保护 → 登录失败记录 in the admin. The first backend only checks the lock; ModelBackend
# logs in.
AUTHENTICATION_BACKENDS = [
    "articles.ops.security.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", 30)))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "articles.ops.security.lockout_response"
AXES_CLIENT_IP_CALLABLE = "articles.ops.security.client_ip"
# Failed attempts are what the lock needs; a row per successful login is not.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False
# Proxies whose X-Forwarded-For is believed (the nginx in front of gunicorn).
QINGLIAN_TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", "127.0.0.1,::1")

# The admin's address, "admin/" unless ADMIN_URL says otherwise (e.g. "guanli-7f3a/"):
# moving it keeps scripted login attempts off the door. A value that would take a public
# address is refused by `manage.py check` (qinglian/checks.py).
ADMIN_URL = os.environ.get("ADMIN_URL", "admin/").strip().strip("/") + "/"

LANGUAGE_CODE = "zh-hans"
# The Simplified site at the root, the Traditional one under /zh-hant/ (qinglian/urls.py).
LANGUAGES = [("zh-hans", "简体中文"), ("zh-hant", "繁體中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]
# How content becomes Traditional Chinese (articles/hant.py): an OpenCC configuration
# name or path. "s2tw" gives Taiwan-standard characters without replacing vocabulary.
QINGLIAN_OPENCC_CONFIG = os.environ.get("OPENCC_CONFIG", "s2tw")

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]

MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

# Files straight from the app folders; production switches to hashed, compressed names
# once collectstatic has run (prod.py).
HASHED_STATIC = False
STORAGES = {
    # Removes what a failed write left behind (articles/images.py).
    "default": {"BACKEND": "articles.images.MediaStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

if os.environ.get("S3_BUCKET"):
    # Any S3-compatible store (AWS, MinIO, Aliyun OSS, Tencent COS…) through django-storages.
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["S3_BUCKET"],
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("S3_REGION") or None,
            "access_key": os.environ.get("S3_ACCESS_KEY_ID"),
            "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY"),
            "custom_domain": os.environ.get("S3_CUSTOM_DOMAIN") or None,
            "querystring_auth": False,
            "file_overwrite": False,
            "default_acl": None,
        },
    }

# Uploads: the limits an editor meets in CKEditor and on the cover image field.
QINGLIAN_MAX_UPLOAD_BYTES = int(os.environ.get("MAX_UPLOAD_BYTES", 10 * 1024 * 1024))
QINGLIAN_MAX_IMAGE_PIXELS = 40_000_000
# Attached files (附件: PDF, Office, WPS, OFD, zip, MP4; articles/attachments.py).
QINGLIAN_MAX_ATTACHMENT_BYTES = int(os.environ.get("MAX_ATTACHMENT_BYTES", 100 * 1024 * 1024))
# Days the files of a deleted article are kept before clean_attachments removes them.
QINGLIAN_ATTACHMENT_RETENTION_DAYS = int(os.environ.get("ATTACHMENT_RETENTION_DAYS", 30))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

CKEDITOR_UPLOAD_PATH = "uploads/"
CKEDITOR_IMAGE_BACKEND = "ckeditor_uploader.backends.PillowBackend"
CKEDITOR_ALLOW_NONIMAGE_FILES = False
CKEDITOR_BROWSE_SHOW_DIRS = True
CKEDITOR_CONFIGS = {
    # Only what the sanitizer in articles/sanitize.py lets through is offered, so
    # editors never write something that silently disappears on save.
    "default": {
        "toolbar": "qinglian",
        "toolbar_qinglian": [
            ["Format", "Bold", "Italic", "Underline", "Strike", "Subscript", "Superscript"],
            ["NumberedList", "BulletedList", "Blockquote", "-", "Outdent", "Indent"],
            ["JustifyLeft", "JustifyCenter", "JustifyRight"],
            ["Link", "Unlink", "Image", "Table", "HorizontalRule", "SpecialChar"],
            ["QinglianWord", "QinglianTidy", "QinglianPageBreak"],
            ["Undo", "Redo", "RemoveFormat", "Source", "Maximize"],
        ],
        "format_tags": "p;h2;h3;h4;pre",
        "extraPlugins": "uploadimage,image2,qinglian,qinglianformat",
        # A paragraph's first-line indent, as Word pastes it (the allow-list keeps it).
        "extraAllowedContent": "p{text-indent}",
        # Upload address and CSRF token for drag, paste and the image dialog.
        "external_plugin_resources": [
            ("qinglian", f"/{STATIC_URL}ckeditor-overrides/qinglian/", "plugin.js"),
            # 一键排版 and 分页 (page breaks).
            ("qinglianformat", f"/{STATIC_URL}ckeditor-overrides/qinglianformat/", "plugin.js"),
        ],
        "removePlugins": "image,flash,iframe,forms,smiley,exportpdf",
        "image2_captionedClass": "image-captioned",
        # The link dialog's 上传 tab takes attached files (附件), not pictures.
        "filebrowserLinkUploadUrl": f"/{ADMIN_URL}ckeditor/attachment/",
        # The 导入Word button posts the .docx here (articles/editorial/uploads.py).
        "qinglianWordUrl": f"/{ADMIN_URL}ckeditor/word/",
        "height": 420,
        "width": "100%",
        "language": "zh-cn",
    },
}
# CKEditor 4's open-source line is out of support; every value it produces is
# sanitized on save (articles/sanitize.py), which is what the check asks for.
SILENCED_SYSTEM_CHECKS = ["ckeditor.W001"]

LOGIN_URL = "admin:login"

# Django 6 will assume https:// for a URLField typed without a scheme; so do we now.
FORMS_URLFIELD_ASSUME_HTTPS = True

CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SESSION_COOKIE_HTTPONLY = True
# An editor's login lasts a working day, not the default two weeks.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", 12 * 3600))
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"


def _media_origins():
    """Where uploaded images are served from when that is not this site."""
    urls = [MEDIA_URL, os.environ.get("S3_ENDPOINT_URL", "")]
    if os.environ.get("S3_CUSTOM_DOMAIN"):
        urls.append("https://" + os.environ["S3_CUSTOM_DOMAIN"])
    origins = []
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme in ("http", "https") and parts.netloc:
            origins.append(f"{parts.scheme}://{parts.netloc}")
    return origins


# Content-Security-Policy (django-csp; articles/security.py). Public pages run only the
# site's own script and style files: no inline code, no nonces, since a page is cached
# whole for every reader.
_IMAGES = ["'self'", "data:", *_media_origins()]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # Style attributes only (no <style>, no script): the alignment, indent and table
        # widths in article bodies, which the sanitizer limits to layout properties.
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": _IMAGES,
        # Attached MP4 videos (<video>), from wherever uploaded files are served.
        "media-src": ["'self'", *_media_origins()],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
        # Production only (prod.py): a laptop serves plain HTTP.
        "upgrade-insecure-requests": False,
    }
}
# The admin: the same, except that Django's admin widgets set inline styles.
QINGLIAN_ADMIN_CSP = {
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY["DIRECTIVES"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": [*_IMAGES, "blob:"],
        "frame-src": ["'self'"],
    }
}
# Added on admin pages that carry the rich-text editor: CKEditor 4 writes inline
# scripts into the frames of its own dialogs (the image upload form among them).
QINGLIAN_EDITOR_CSP = {"script-src": ["'unsafe-inline'"]}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
