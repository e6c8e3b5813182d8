"""Django settings for PolicyTrack.

Everything is read from the environment with embedded defaults: with nothing set, the portal
runs on a SQLite file under var/ with Celery executing tasks eagerly. DATABASE_URL and
REDIS_URL switch to PostgreSQL and a real broker. See README.md for the full table.

Several processes or machines share everything through PostgreSQL, Redis and the evidence store;
none keeps state of its own (README, "More than one machine"):

- the cache (dashboards, the calendar feed, remembered filters) is Redis when REDIS_URL is set;
  in process memory otherwise, which policytrack.checks warns about when DEBUG is off;
- sessions and login lockouts (django-axes) are rows in the database;
- evidence files are on the file system under MEDIA_ROOT (one volume shared by every container)
  or, with S3_BUCKET set, in an S3-compatible object store (policytrack/storage.py):
  S3_BUCKET (the bucket; setting it switches the store on), S3_ENDPOINT_URL (MinIO, Ceph or a
  vendor's endpoint; empty for AWS), S3_REGION, S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY (or
  S3_SECRET_ACCESS_KEY_FILE; both empty: boto3's own credential chain), S3_ADDRESSING_STYLE
  (``path`` for most MinIO set-ups) and S3_PREFIX (a folder inside the bucket). Objects stay
  private: downloads go through the permission-checked view, never to a URL of the store.
"""

from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from policytrack.env import envbool, envint, envlist, envsecret, envstr
from policytrack.storage import evidence_storage

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(envstr("POLICYTRACK_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = envbool("DEBUG", True)
SECRET_KEY = envsecret("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY (or SECRET_KEY_FILE) must be set when DEBUG is off")
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "import_export",
    "django_celery_beat",
    "axes",
    "csp",
    "policytrack",
    "departments",
    "documents",
    "tasks",
]

MIDDLEWARE = [
    # First: /healthz/ is answered before host checks, HTTPS redirects, sessions or authentication.
    "policytrack.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "policytrack.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "policytrack.htmx.HtmxCacheMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Content-Security-Policy (django-csp 4): every script and style is the portal's own file, so
# no inline script, on* handler or <style> block runs; style="…" attributes are allowed (progress
# bars). Evidence downloads set a stricter policy of their own, which the middleware keeps.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
    },
}

ROOT_URLCONF = "policytrack.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "departments.context_processors.navigation",
                "tasks.workflow.context_processors.notifications",
            ],
            # {% load fragments %}: rows cached by their content (policytrack/fragments.py)
            "libraries": {"fragments": "policytrack.fragments"},
            # No "loaders": Django then uses the cached loader (filesystem + app directories), in
            # development too, where it is reset when a template changes; every template is
            # compiled once per process (tests/test_settings.py checks it stays so).
        },
    },
]

WSGI_APPLICATION = "policytrack.wsgi.application"
ASGI_APPLICATION = "policytrack.asgi.application"

# Database: a SQLite file under var/ unless DATABASE_URL names another (postgres://…).
DATABASE_URL = envstr("DATABASE_URL")
if not DATABASE_URL:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASE_URL = f"sqlite:///{VAR_DIR / 'policytrack.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=envint("DB_CONN_MAX_AGE", 60))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {"timeout": 20}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Login throttling: after AXES_FAILURE_LIMIT failures for one user name from one address, that
# pair is locked out for AXES_COOLOFF_MINUTES.
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = envint("AXES_COOLOFF_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# Behind the reverse proxy (SECURE_PROXY=1) the client's address comes from X-Forwarded-For as
# set by the TRUSTED_PROXY_COUNT proxies in front of the app (policytrack/client_ip.py).
SECURE_PROXY = envbool("SECURE_PROXY", False)
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 1) if SECURE_PROXY else 0
AXES_CLIENT_IP_CALLABLE = "policytrack.client_ip.client_ip"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Internationalisation: Simplified Chinese by default, English through the catalogue in locale/.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# Static files come from npm packages copied into static/vendor (never a CDN), served by WhiteNoise.
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(envstr("STATIC_ROOT", str(VAR_DIR / "staticfiles")))
# Uploaded evidence: the file system under MEDIA_ROOT, or an object store when S3_BUCKET is set.
# Django's default: uploads and downloads larger than this go through a temporary file, not memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
STORAGES = {
    "default": evidence_storage(max_memory_size=FILE_UPLOAD_MAX_MEMORY_SIZE),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Uploaded evidence lives outside static and is served only through permission-checked views.
MEDIA_ROOT = Path(envstr("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
UPLOAD_MAX_BYTES = envint("UPLOAD_MAX_BYTES", 20 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = envint("DATA_UPLOAD_MAX_MEMORY_SIZE", 10 * 1024 * 1024)

# Celery: eager (in-process) unless REDIS_URL points at a broker.
REDIS_URL = envstr("REDIS_URL")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Publishing must not hang a web request when Redis is away: the outbox row stays pending and
# the periodic retry sends it later.
CELERY_BROKER_CONNECTION_TIMEOUT = envint("CELERY_BROKER_CONNECTION_TIMEOUT", 2)
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_timeout": 5, "socket_connect_timeout": 2}
CELERY_TASK_IGNORE_RESULT = True

# The cache only saves work: with Redis unreachable, reads miss and writes are dropped
# (policytrack/cache.py) after at most CACHE_SOCKET_TIMEOUT seconds.
CACHE_SOCKET_TIMEOUT = envint("CACHE_SOCKET_TIMEOUT", 1)
CACHES = {
    "default": (
        {"BACKEND": "policytrack.cache.DegradingRedisCache", "LOCATION": REDIS_URL,
         "OPTIONS": {"socket_connect_timeout": CACHE_SOCKET_TIMEOUT, "socket_timeout": CACHE_SOCKET_TIMEOUT}}
        if REDIS_URL and envbool("CACHE_USE_REDIS", True)
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# Deployments sharing one Redis database keep their cache entries apart by this prefix.
CACHES["default"]["KEY_PREFIX"] = envstr("CACHE_KEY_PREFIX")

# Without configuration, mail is written as files under var/mail/ (readable, and it keeps
# command output clean); production sets the SMTP backend.
EMAIL_BACKEND = envstr("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = Path(envstr("EMAIL_FILE_PATH", str(VAR_DIR / "mail")))
EMAIL_HOST = envstr("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = envstr("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = envsecret("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
# The portal's public address, for links in emails and group-robot messages.
SITE_URL = envstr("SITE_URL", "http://127.0.0.1:8000")
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "PolicyTrack <noreply@policytrack.local>")

# The blank choice of every list filter reads 全部 (django-filter's default is "---------").
FILTERS_EMPTY_CHOICE_LABEL = _("全部")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "PolicyTrack API",
    "DESCRIPTION": "政策落实跟踪平台接口",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False

# Traffic lights (亮灯): yellow when the deadline is this many days away or closer.
TRAFFIC_LIGHT_YELLOW_DAYS = envint("TRAFFIC_LIGHT_YELLOW_DAYS", 7)

# Production hardening: on whenever DEBUG is off, individually adjustable behind a proxy.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if SECURE_PROXY else None
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 8 * 3600)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}, "axes": {"level": "WARNING"}},
}

SITE_NAME = _("政策落实跟踪平台")

# A deployment that really is one process may silence policytrack.W001 (the per-process cache).
SILENCED_SYSTEM_CHECKS = envlist("SILENCED_SYSTEM_CHECKS")

# Largest policy document (pasted or uploaded) the import wizard accepts.
DOCUMENT_IMPORT_MAX_BYTES = envint("DOCUMENT_IMPORT_MAX_BYTES", 5 * 1024 * 1024)
# Seconds the import wizard and the parse API give one parse before stopping it with a
# message (well inside gunicorn's 30 s worker timeout); 0 means no limit.
DOCUMENT_PARSE_TIME_LIMIT = envint("DOCUMENT_PARSE_TIME_LIMIT", 10)
# A period's report counts as missing (yellow light) this many days after the period ended.
REPORT_GRACE_DAYS = envint("REPORT_GRACE_DAYS", 5)
# Dashboards are cached until the next committed change to the work they count (tasks.changes)
# and at most this many seconds; 0 computes every request afresh.
DASHBOARD_CACHE_SECONDS = envint("DASHBOARD_CACHE_SECONDS", 300)
# Rows of the lists ({% cachefor %}) are cached under a key made from their content, so they are
# never stale; this only bounds how long an entry nobody reads again takes room in the cache.
FRAGMENT_CACHE_SECONDS = envint("FRAGMENT_CACHE_SECONDS", 600)

# Largest task spreadsheet (任务分解表, .xlsx or .csv) the spreadsheet import accepts.
SPREADSHEET_IMPORT_MAX_BYTES = envint("SPREADSHEET_IMPORT_MAX_BYTES", 10 * 1024 * 1024)
# Uploaded .docx and .xlsx files are zip archives: refused before reading when they would unpack
# to more than this (policytrack/archives.py), so a small decompression bomb cannot tie up a worker.
# The calendar feed holds open work due within this window around today, cached per change.
CALENDAR_DAYS_BACK = envint("CALENDAR_DAYS_BACK", 30)
CALENDAR_DAYS_AHEAD = envint("CALENDAR_DAYS_AHEAD", 180)
CALENDAR_CACHE_SECONDS = envint("CALENDAR_CACHE_SECONDS", 900)
ARCHIVE_MAX_TOTAL_BYTES = envint("ARCHIVE_MAX_TOTAL_BYTES", 80 * 1024 * 1024)
ARCHIVE_MAX_PART_BYTES = envint("ARCHIVE_MAX_PART_BYTES", 40 * 1024 * 1024)
ARCHIVE_MAX_MEMBERS = envint("ARCHIVE_MAX_MEMBERS", 2000)
