"""Taisaku settings, read from the environment (see .env.example for every variable).

Defaults run on a laptop: SQLite under var/, tasks in-process, mail to the console.
"""

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    """A variable's value; unset and empty both mean the default."""
    return os.environ.get(name) or default


def env_path(name: str, default: Path) -> Path:
    """A path; a relative one is taken from the project folder."""
    value = env(name)
    return BASE_DIR / value if value else default


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY is required when DEBUG is off (see .env.example).")
    SECRET_KEY = "insecure-development-key"  # noqa: S105 - only ever used with DEBUG on

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# After logging in: the admin's index, which sends readers on to the dashboard.
LOGIN_REDIRECT_URL = "admin:index"

INSTALLED_APPS = [
    # Before the admin: registers the narratives' _ja/_en columns (incidents/translation.py).
    "modeltranslation",
    "config.apps.TaisakuAdminConfig",  # django.contrib.admin with our site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "simple_history",
    "incidents",
    "reporting",
    "scope",
    "dashboard",
    "operations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.RefuseNulMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
            ],
        },
    },
]

VAR_DIR = env_path("VAR_DIR", BASE_DIR / "var")
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'taisaku.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Write-ahead log: a commit is one fsync of the log instead of the rollback journal's
    # three or four (a report's three commits cost ~50 ms less), still durable (FULL), and a
    # worker reading while the web process writes no longer waits. A :memory: test
    # database ignores it.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Japanese by default; English selectable (language switch in the admin header).
LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", _("Japanese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
# Narratives (incidents/translation.py) are kept per language in `<field>_ja`/`<field>_en`.
# The plain name reads the active language, then Japanese, then English: screens show a
# case recorded in one language only. Documents never use it (reporting.context.narrative).
MODELTRANSLATION_DEFAULT_LANGUAGE = "ja"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("ja", "en")
USE_TZ = True
# The server's default zone; every incident is shown in its own time zone.
TIME_ZONE = env("TIME_ZONE", "Asia/Tokyo")
# One format for date-times in both languages (config/formats, incidents.timeformat).
FORMAT_MODULE_PATH = ["config.formats"]

STATIC_URL = "static/"
STATIC_ROOT = env_path("STATIC_ROOT", VAR_DIR / "static")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env_path("MEDIA_ROOT", VAR_DIR / "media")
# Uploaded evidence is served under MEDIA_URL only through a view that checks
# who may see the incident (incidents.views.evidence_file).
MEDIA_URL = "/files/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Larger uploads stream to a temporary file, so hashing evidence never holds it in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000
# API JSON bodies (incidents.api.common.LimitedJSONParser): size and nesting.
API_JSON_MAX_BYTES = env_int("API_JSON_MAX_BYTES", 1024 * 1024)
API_JSON_MAX_DEPTH = env_int("API_JSON_MAX_DEPTH", 32)

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "taisaku@localhost")

# Celery: with no REDIS_URL the tasks run in-process on the same code path.
REDIS_URL = env("REDIS_URL")
# The in-memory broker named with its host: kombu otherwise warns on every command that
# sends a task ("No hostname was supplied. Reverting to default 'localhost'").
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "UTC"

LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# API ----------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "incidents.api.common.Pagination",
    "DEFAULT_FILTER_BACKENDS": ["incidents.api.common.NeedToKnowFilterBackend"],
    "DEFAULT_PARSER_CLASSES": [
        "incidents.api.common.LimitedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "incidents.api.schema.TaisakuAutoSchema",
    "EXCEPTION_HANDLER": "incidents.api.common.exception_handler",
    # The browsable API names its views and forms in the reader's language.
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "incidents.api.common.BrowsableAPIRenderer",
    ],
    "VIEW_NAME_FUNCTION": "incidents.api.common.view_name",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("API_THROTTLE_ANON", "60/min"),
        "user": env("API_THROTTLE_USER", "6000/min"),
    },
}
# Tokens are stored hashed (django-rest-knox) and expire.
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=env_int("API_TOKEN_TTL_DAYS", 90)),
    "AUTH_HEADER_PREFIX": "Token",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Taisaku API",
    "DESCRIPTION": "Incident response case management: the case, its clocks and its documents.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "IncidentStatusEnum": "incidents.choices.IncidentStatus",
        "ActionStatusEnum": "incidents.choices.ActionStatus",
        "EvidenceKindEnum": "incidents.choices.EvidenceKind",
        "MilestoneKindEnum": "incidents.choices.MilestoneKind",
        "FindingKindEnum": "incidents.choices.FindingKind",
        "ReportKindEnum": "reporting.choices.ReportKind",
        "ReportStatusEnum": "reporting.choices.ReportStatus",
        "RegimeEnum": "incidents.regimes.REGIME_CHOICES",
        "FilingChannelEnum": "incidents.choices.FilingChannel",
        "NoticeChannelEnum": "incidents.choices.NoticeChannel",
    },
}
# Evidence uploads: size limit and accepted file types (empty list: any type).
EVIDENCE_MAX_UPLOAD_BYTES = env_int("EVIDENCE_MAX_UPLOAD_BYTES", 2 * 1024**3)
EVIDENCE_ALLOWED_EXTENSIONS = env_list(
    "EVIDENCE_ALLOWED_EXTENSIONS",
    "txt,log,csv,json,xml,evtx,pcap,pcapng,eml,msg,mbox,pdf,png,jpg,jpeg,gif,docx,xlsx,pptx,"
    "doc,xls,zip,7z,gz,tgz,tar,img,dd,raw,e01,vmdk,vhd,vhdx,mem,dmp",
)

# Login throttling and lockout (django-axes): 5 failures lock a username+address pair.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Content security policy: nothing but our own origin; no inline scripts.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Production hardening: on whenever DEBUG is off.
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
    # HTTPS only, remembered by browsers for a year (HSTS): on unless turned off.
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # Health checkers call plain HTTP inside the container network.
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", SECURE_HSTS_SECONDS > 0)
    # Behind a TLS-terminating proxy, the header it sets (e.g. X-Forwarded-Proto) says a
    # request came over HTTPS. Trusted only when named: a client could send it otherwise.
    if env("SECURE_PROXY_SSL_HEADER"):
        SECURE_PROXY_SSL_HEADER = (
            "HTTP_" + env("SECURE_PROXY_SSL_HEADER").upper().replace("-", "_"),
            "https",
        )

# History is a record: it is shown, never reverted from the admin.
SIMPLE_HISTORY_REVERT_DISABLED = True

# Reporting ----------------------------------------------------------------------
# Documents (reporting/): fonts, render limits, the stuck-job sweeper.
# The fonts the PDFs embed, by role; system files, never copied into the repository.
REPORT_FONT_PATHS = {
    "gothic": env("REPORT_FONT_GOTHIC", "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf"),
}
# Where each rendering process keeps its one copy of the fonts for fontconfig (a folder
# per process, removed at shutdown or, after a kill, by the next process); empty: /tmp.
REPORT_FONT_CACHE_DIR = env("REPORT_FONT_CACHE_DIR")
# The only files a document may load (CSS, logo), addressed as taisaku-asset:<name>.
REPORT_ASSET_DIR = BASE_DIR / "static" / "taisaku"
# A render is killed after REPORT_TIME_LIMIT seconds; the broker re-delivers an unacked
# message only after the visibility timeout, which must stay above it.
REPORT_TIME_LIMIT = env_int("REPORT_TIME_LIMIT", 300)
# A document longer than this fails at once with a clear error on its row (the founding
# case's documents have 3-10 pages; a 2.3 MB text once made 764 pages and held a worker).
REPORT_MAX_PAGES = env_int("REPORT_MAX_PAGES", 200)
REPORT_MAX_HTML_CHARS = env_int("REPORT_MAX_HTML_CHARS", 1_000_000)
REPORT_SOFT_TIME_LIMIT = max(REPORT_TIME_LIMIT - 30, int(REPORT_TIME_LIMIT * 0.9))
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", REPORT_TIME_LIMIT * 2 + 60)
}
# A prefix on every key Celery writes in Redis, so that several installations (or test
# runs) can share one Redis database without seeing each other's queues.
if env("CELERY_BROKER_KEY_PREFIX"):
    CELERY_BROKER_TRANSPORT_OPTIONS["global_keyprefix"] = env("CELERY_BROKER_KEY_PREFIX")
# The sweeper re-enqueues reports queued or rendering for longer than this (seconds).
REPORT_STUCK_AFTER = env_int("REPORT_STUCK_AFTER", REPORT_TIME_LIMIT + 60)
REPORT_SWEEP_INTERVAL = env_int("REPORT_SWEEP_INTERVAL", 30)
# A report still queued this long after its message was sent, while the render queue is
# empty, lost its message (the broker restarted without it): the sweeper sends it again.
REPORT_RESEND_AFTER = env_int("REPORT_RESEND_AFTER", 30)
# Queue the render tasks go to (empty: Celery's default queue).
REPORT_QUEUE = env("REPORT_QUEUE") or None
CELERY_BEAT_SCHEDULE = {
    "reporting-sweep-stuck-reports": {
        "task": "reporting.tasks.sweep_stuck_reports",
        "schedule": float(REPORT_SWEEP_INTERVAL),
        # With REPORT_QUEUE set, the sweep goes where the report workers listen.
        "options": {"expires": float(REPORT_SWEEP_INTERVAL)}
        | ({"queue": REPORT_QUEUE} if REPORT_QUEUE else {}),
    },
}
# A file-based test database (e.g. var/test-e2e.sqlite3), so that a real Celery worker
# started by the end-to-end test sees the same database as the test.
if env("TEST_DATABASE_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": env("TEST_DATABASE_NAME")}
# WeasyPrint logs every rendering step at INFO.
LOGGING["loggers"]["weasyprint.progress"] = {"level": "WARNING"}
if CELERY_TASK_ALWAYS_EAGER:
    # Tasks run in the process that sends them (a command, a request): their "Task ...
    # succeeded" line is not news there (failures still say so; a worker logs its own way).
    LOGGING["loggers"]["celery.app.trace"] = {"level": "WARNING"}

# Obligations --------------------------------------------------------------------
# Legal clocks (incidents/obligations.py): deadline reminders and the calendar feed.
# Reminders go out this many hours before each due time; 0 means "once overdue".
try:
    DEADLINE_REMINDER_OFFSETS = [int(h) for h in env_list("DEADLINE_REMINDER_OFFSETS", "72,24,0")]
except ValueError:
    DEADLINE_REMINDER_OFFSETS = [-1]
if any(h < 0 for h in DEADLINE_REMINDER_OFFSETS):
    raise ImproperlyConfigured("DEADLINE_REMINDER_OFFSETS must be hours >= 0, e.g. 72,24,0")
# How often (seconds) beat runs the reminder job; a failed mail is retried this often.
DEADLINE_REMINDER_INTERVAL = env_int("DEADLINE_REMINDER_INTERVAL", 300)
DEADLINE_REMINDER_MAX_ATTEMPTS = env_int("DEADLINE_REMINDER_MAX_ATTEMPTS", 3)
# Absolute links in mail and calendar entries.
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")
# For EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend.
EMAIL_FILE_PATH = env_path("EMAIL_FILE_PATH", VAR_DIR / "mail")
CELERY_BEAT_SCHEDULE["incidents-deadline-reminders"] = {
    "task": "incidents.tasks.send_deadline_reminders",
    "schedule": float(DEADLINE_REMINDER_INTERVAL),
    "options": {"expires": float(DEADLINE_REMINDER_INTERVAL)},
}
