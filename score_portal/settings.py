"""Settings for SCORE Portal, read from the environment.

Development needs no environment at all: SQLite in the project folder and
Celery tasks run in-process. Production sets DJANGO_DEBUG=0, SECRET_KEY,
ALLOWED_HOSTS, DATABASE_URL (PostgreSQL) and CELERY_BROKER_URL (Redis);
README.md lists every variable.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=True)
# DEBUG as configured; test runners switch DEBUG off, but this keeps saying which mode we run in.
DEVELOPMENT_MODE = DEBUG

# A development key is only acceptable while DEBUG is on; production must bring its own.
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DJANGO_DEBUG=0.")
    SECRET_KEY = "development-only-key-never-used-in-production-" + "x" * 20

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "bootstrap",
    "django_htmx",
    "csp",
    "django_filters",
    "django_tables2",
    "axes",
    "simple_history",
    "formtools",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
]
# The portal's own apps, after the libraries'.
PORTAL_APPS = [
    "score_portal",
    "enterprises",
    "accounts",
    "baseline",
    "training",
    "activity",
    "reporting",
    "linkage",
    "api",
]
INSTALLED_APPS += PORTAL_APPS

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    # Before anything reads the body: an oversized upload is refused from its Content-Length.
    "score_portal.middleware.RequestBodyLimitMiddleware",
    "score_portal.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): has this session passed the second factor (a TOTP code)?
    "django_otp.middleware.OTPMiddleware",
    # Everything needs a login unless a view is marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After a password log-in, whoever needs the second factor goes to the code page first.
    "accounts.two_factor.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Axes goes last so that it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "score_portal.urls"

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
                "score_portal.context_processors.navigation",
            ],
        },
    },
]

WSGI_APPLICATION = "score_portal.wsgi.application"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default serves several people at once. WAL lets readers go on while one writes;
    # a writer waits its turn (timeout, seconds) instead of failing with "database is locked"; and
    # every transaction takes the write lock when it begins (IMMEDIATE) rather than when it first
    # writes, so two submissions never read the same last reference number: select_for_update is a
    # no-op on SQLite, and a deferred transaction that upgrades to a write cannot wait, only fail.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": env.int("SQLITE_TIMEOUT", default=20),
            "init_command": "PRAGMA journal_mode=WAL",
        }
    )
    # Covering indexes (INCLUDE) serve PostgreSQL's index-only reads; SQLite makes them with their key
    # columns alone, which is all the embedded default needs.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
# Two-factor authentication (accounts/two_factor.py). Officers see every enterprise's confidential
# figures: in production (DJANGO_DEBUG=0) they must enrol an authenticator app and give its code after
# the password; `make run` (DJANGO_DEBUG=1) leaves it off so the demo users log in with the password.
# Anyone may enrol; whoever has enrolled is asked for the code, whatever this says.
OFFICER_TWO_FACTOR_REQUIRED = env.bool("OFFICER_TWO_FACTOR_REQUIRED", default=not DEBUG)
OTP_TOTP_ISSUER = "SCORE Portal"
# An invitation link sets a password once, within this many days.
INVITATION_VALID_DAYS = env.int("INVITATION_VALID_DAYS", default=7)
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lock an account (per user name and address) after repeated failed logins.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# The visitor's address comes from one function for axes and the rate limits alike (see below).
AXES_CLIENT_IP_CALLABLE = "score_portal.client_address.client_ip"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ur", _("Urdu"))]
LOCALE_PATHS = [BASE_DIR / "locale"]  # compiled by `manage.py compile_translations` (polib), not kept in git
# The language chosen at the foot of any page is remembered for a year, not just for the browser session.
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Karachi")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Where collectstatic puts the files that WhiteNoise serves and the report workers read.
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Uploaded and generated files (5S photos and thumbnails, reports) are private: never under STATIC_ROOT,
# never given a public URL, and served only through views that check permissions. Code reads and writes
# them through the storage API (default_storage, FieldFile), never as local paths, so that they may live
# in an object store. By default they are files under MEDIA_ROOT, which does for one machine.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
MEDIA_URL = "/media/"
# Several web and worker machines (README: "Several machines") share an S3-compatible object store
# instead: set AWS_STORAGE_BUCKET_NAME, and AWS_S3_ENDPOINT_URL for a store that is not Amazon's
# (MinIO, Ceph, Garage...). The credentials are boto3's own: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY
# in the environment, or the machine's role; they are never copied into the settings.
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
            "addressing_style": env.str("AWS_S3_ADDRESSING_STYLE", default="") or None,
            # A folder inside the bucket, when the bucket holds other things too.
            "location": env.str("AWS_LOCATION", default=""),
            # Every object private. A bucket with ACLs turned off (Amazon's default for new buckets) refuses
            # any ACL: set AWS_DEFAULT_ACL= (empty) there; such a bucket is private unless a policy opens it.
            "default_acl": env.str("AWS_DEFAULT_ACL", default="private") or None,
            # Should a URL of a file ever be made, it is signed and short-lived; the portal itself links
            # only to its own views, which check who may see the file.
            "querystring_auth": True,
            "querystring_expire": 300,
            # Two photos with the same name get two objects, as on the file system, instead of the second
            # silently replacing the first (django-storages' default).
            "file_overwrite": False,
            # A file being served or read is spooled in memory up to this size, on the local disk above it.
            "max_memory_size": 5 * 1024 * 1024,
        },
    }

# Backups (`manage.py backup` / `restore`): dated archives of the database and the media files, read and
# written through the storage above (MEDIA_ROOT, or the object store).
# They hold personal data and password hashes: keep the folder private. 0 keeps every archive.
BACKUP_DIR = Path(env.str("BACKUP_DIR", default=str(BASE_DIR / "backups")))
BACKUP_KEEP_DAYS = env.int("BACKUP_KEEP_DAYS", default=0)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
# Lists are django-tables2 tables in Bootstrap 5, stacked as cards on a phone (templates/tables/stacked.html).
DJANGO_TABLES2_TEMPLATE = "tables/stacked.html"
# Django's form templates, with <select> drawn in Python (score_portal/form_renderer.py).
FORM_RENDERER = "score_portal.form_renderer.FormRenderer"

EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="SCORE Portal <score@localhost>")
# The portal's own address, for the links in notification emails sent by the workers (no request there).
PORTAL_URL = env.str("PORTAL_URL", default="http://127.0.0.1:8000")
# Seconds a mail server may take to answer before the attempt counts as failed (the outbox retries).
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=15)

# Celery: with no broker configured, tasks run in-process so that development
# needs nothing but Python. With a broker (Redis), a worker runs them.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
# Periodic tasks, run by `celery -A score_portal beat`; cron may run the same commands instead (README).
CELERY_BEAT_SCHEDULE = {
    # Expired sessions (visitors of the public form, mostly) are deleted, not kept for ever.
    "clear-expired-sessions": {"task": "score_portal.tasks.clear_expired_sessions", "schedule": 6 * 60 * 60},
    # The outbox sweep: mail saved while the broker was down, retries whose task was lost.
    "send-queued-mail": {"task": "score_portal.tasks.send_queued_mail", "schedule": 60.0},
    # Report jobs saved while the broker was down, and jobs whose worker went quiet.
    "dispatch-queued-reports": {"task": "reporting.tasks.dispatch_queued_reports", "schedule": 60.0},
    # Notifications: each consultant's digest every morning, each officer's worklist on Monday morning.
    # Sending twice is harmless: a digest's notification has a unique key per person and day (or week).
    "consultant-daily-digest": {
        "task": "training.tasks.send_consultant_digests",
        "schedule": crontab(hour=7, minute=0),
    },
    "officer-weekly-digest": {
        "task": "score_portal.tasks.send_officer_digests",
        "schedule": crontab(hour=7, minute=30, day_of_week="mon"),
    },
}

# A Redis that is down must cost a request about a second, not the 19 s of the default retries:
# short socket timeouts, and one quick retry (which replaces a pooled connection that a restarted
# Redis closed). Report jobs keep their state in their ReportJob row, so no task result is kept:
# subscribing to a result on every send also tied each request to the result store.
CELERY_TASK_IGNORE_RESULT = True
_CELERY_QUICK_RETRY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 0.5}
CELERY_TASK_PUBLISH_RETRY_POLICY = _CELERY_QUICK_RETRY
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 1
CELERY_REDIS_SOCKET_TIMEOUT = 1
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"retry_policy": _CELERY_QUICK_RETRY}
# Celery beat (`celery -A score_portal beat`): the sweeps that catch up after an outage.

DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="score-demo")

# Abuse protection (README: "Behind a proxy, and abuse protection").
# How many reverse proxies stand in front of the portal and append to X-Forwarded-For: the visitor's
# address is read past them (score_portal.client_address). 0: REMOTE_ADDR is the visitor.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=env.int("AXES_PROXY_COUNT", default=0))
RATELIMIT_IP_META_KEY = "score_portal.client_address.client_ip"
# Counts per address ("5/h": five an hour; s, m, h, d). Only complete submissions of the EOI form count.
EOI_SUBMISSION_RATE = env.str("EOI_SUBMISSION_RATE", default="5/h")
PASSWORD_RESET_RATE = env.str("PASSWORD_RESET_RATE", default="5/h")
# The public form mails the address typed in: at most this many acknowledgements to one address a day.
ACKNOWLEDGEMENTS_PER_ADDRESS_PER_DAY = env.int("ACKNOWLEDGEMENTS_PER_ADDRESS_PER_DAY", default=3)
# The rate-limit counters live in the cache, which production shares between processes through Redis
# (CACHE_URL=redis://127.0.0.1:6379/1); without it each process counts alone (development, tests).
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}
# Sessions are read from that shared cache when there is one (Redis), so that a page costs no session
# query, and written through to the database: the Redis of a SCORE office keeps nothing on disk, and a
# restart of it must not log every officer out nor lose an applicant's half-filled form.
# Without a shared cache (development, tests) they live in the database alone.
SESSION_ENGINE = env.str(
    "SESSION_ENGINE",
    default="django.contrib.sessions.backends.cached_db"
    if env.str("CACHE_URL", default="")
    else "django.contrib.sessions.backends.db",
)

# Production hardening: `manage.py check --deploy` is clean with DJANGO_DEBUG=0.
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# Content-Security-Policy (django-csp): scripts and styles come from our own static files only, so
# an injected <script>, event handler or style attribute does nothing. Nothing is 'unsafe-inline'
# or 'unsafe-eval': page scripts live in static files, sizes are CSS classes (portal.css,
# percent-widths.css), and base.html turns off htmx's injected indicator style and its eval.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # Bootstrap's CSS draws its small icons (select arrow, close button, menu toggler) as data: SVG.
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Uploads. Django counts only the non-file fields against DATA_UPLOAD_MAX_MEMORY_SIZE, so
# RequestBodyLimitMiddleware refuses any request whose body is over MAX_UPLOAD_MB (a 413 page) before
# reading it. The default leaves room for the largest form: two photos of photos.MAX_UPLOAD_BYTES
# (8 MB) each. The proxy in front should refuse the same size (README: nginx client_max_body_size).
MAX_UPLOAD_MB = env.int("MAX_UPLOAD_MB", default=20)
MAX_REQUEST_BODY_BYTES = MAX_UPLOAD_MB * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # 2.5 MB of form fields (the pasted CSV of baseline imports is 1 MB at most)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # larger files go to a temporary file, not memory
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000  # an attendance register or an indicator round stays far below
DATA_UPLOAD_MAX_NUMBER_FILES = 10  # no form takes more than two files
# Pillow's decompression-bomb limit, for every image the portal opens; a larger photo is refused from
# its header, before its pixels are decoded. 30 MP is more than a phone's usual 12-24 MP photo.
MAX_IMAGE_MEGAPIXELS = env.int("MAX_IMAGE_MEGAPIXELS", default=30)

# Reports (reporting/). The logo on the PDFs: an SVG or PNG file; empty: the neutral "SCORE" wordmark
# of reporting/static/reporting/score-logo.svg. Without a broker, a report is made in a thread of the
# web process after the request, so the page answers at once; 0 makes it during the request (tests).
REPORTS_LOGO = env.str("REPORTS_LOGO", default="")
REPORTS_IN_BACKGROUND = env.bool("REPORTS_IN_BACKGROUND", default=True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # WeasyPrint and fontTools narrate every rendering step at INFO.
    "loggers": {name: {"level": "WARNING"} for name in ("axes", "weasyprint", "fontTools")},
}


# ---------------------------------------------------------------- the read API (api/, README "Read API")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.ApiTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON only: the browsable API's pages carry inline scripts the Content-Security-Policy refuses.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pages",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "SCORE Portal read API",
    "DESCRIPTION": "Read-only. Send `Authorization: Token <token>`; a token sees what its person sees on the pages.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI's files come from the drf-spectacular-sidecar package, served by the portal: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
}
