"""Qorrelate settings, all read from the environment (django-environ).

With no environment set, Qorrelate runs on its embedded defaults: SQLite and local files under
``data/``, and Celery on kombu's filesystem transport. ``DATABASE_URL``, ``REDIS_URL`` and the
``AWS_*`` S3 settings switch to PostgreSQL, Redis and S3 without code changes.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import environ

from apps.core.clientip import parse_networks

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()


QORRELATE_ENV = env.str("QORRELATE_ENV", default="development")
PRODUCTION = QORRELATE_ENV == "production"
DEBUG = env.bool("DEBUG", default=not PRODUCTION)
DATA_DIR = Path(env.str("QORRELATE_DATA_DIR", default=str(BASE_DIR / "data")))

if PRODUCTION:
    SECRET_KEY = env.str("SECRET_KEY")  # no default in production, on purpose
else:
    SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-change-me-in-production")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[] if PRODUCTION else ["*"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# The public address of this install (for links in e-mails and snippets); empty: from the request.
PUBLIC_URL = env.str("QORRELATE_PUBLIC_URL", default="").rstrip("/")

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
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "qorrelate",  # the project itself: its AppConfig starts self-tracing
    "apps.orgs",
    "apps.billing",
    "apps.replay",
    "apps.traces",
    "apps.tickets",
    "apps.insights",
    "apps.alerts",
    "apps.privacy",
    "apps.lifecycle",
    "apps.dashboard",
    "apps.ingestion",
]

MIDDLEWARE = [
    "qorrelate.request_id.RequestIdMiddleware",
    "qorrelate.health.HealthCheckMiddleware",  # probes come by IP: answer before Host checks
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "qorrelate.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "apps.billing.middleware.ApiUsageMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "qorrelate.urls"
WSGI_APPLICATION = "qorrelate.wsgi.application"

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
                "apps.orgs.context_processors.organizations",
                "apps.billing.context_processors.quota_banner",
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{DATA_DIR / 'qorrelate.sqlite3'}")
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# The replay intake's statements are prepared on PostgreSQL (apps/replay/services/sql.py); off
# for PgBouncer < 1.21 in transaction mode.
DB_PREPARED_STATEMENTS = env.bool("DB_PREPARED_STATEMENTS", default=True)
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # SQLite is shared by web, worker and beat in `make run`: wait for locks instead of failing.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static" / "dist", BASE_DIR / "static" / "public"]
# Production serves the collectstatic output (with its .gz/.br copies); finders would shadow it.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_ALLOW_ALL_ORIGINS = True  # replay.js is loaded by customers' pages

# Blob storage for replay batches and segments.
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    REPLAY_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default=None),
            "region_name": env.str("AWS_S3_REGION_NAME", default="us-east-1"),
            "access_key": env.str("AWS_ACCESS_KEY_ID", default=None),
            "secret_key": env.str("AWS_SECRET_ACCESS_KEY", default=None),
            "default_acl": None,
            "file_overwrite": True,
            "querystring_auth": False,
        },
    }
else:
    REPLAY_STORAGE = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": env.str("QORRELATE_BLOB_DIR", default=str(DATA_DIR / "blobs")),
            "allow_overwrite": True,
        },
    }
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "replay": REPLAY_STORAGE,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Redis: broker, rate limits and usage counters. Empty means the embedded default.
REDIS_URL = env.str("REDIS_URL", default="")
# Under pytest-xdist every test worker (gw0, gw1, …) has its own PostgreSQL database; it gets its
# own Redis database too (the given one, the next, …), so one worker's cache.clear() and Celery
# queues never touch another's. Child processes the tests start inherit the chosen URL.
_XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if REDIS_URL and _XDIST_WORKER.startswith("gw") and env.bool("QORRELATE_TESTING", default=False):
    _redis = urlsplit(REDIS_URL)
    _base_db = int(_redis.path.strip("/") or 0)
    REDIS_URL = urlunsplit(_redis._replace(path=f"/{_base_db + int(_XDIST_WORKER[2:])}"))

if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache"),
        }
    }

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://")
if CELERY_BROKER_URL == "filesystem://":
    _broker_dir = DATA_DIR / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "out"),
        "data_folder_out": str(_broker_dir / "out"),
        "processed_folder": str(_broker_dir / "processed"),
        # kombu's default is ./control: the exchange tables would land in whatever directory
        # the worker was started from (the checkout).
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
# A task is acknowledged after it ran, so a killed worker's task runs again (tasks are idempotent).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_BEAT_SCHEDULE_FILENAME = str(DATA_DIR / "celerybeat-schedule")
# Beat → broker → worker liveness: /readyz reports the age of the last heartbeat.
QORRELATE_HEARTBEAT_SECONDS = env.float("QORRELATE_HEARTBEAT_SECONDS", default=60.0)
CELERY_IMPORTS = ["qorrelate.health"]
CELERY_BEAT_SCHEDULE = {
    "qorrelate-heartbeat": {
        "task": "qorrelate.heartbeat",
        "schedule": QORRELATE_HEARTBEAT_SECONDS,
        "options": {"expires": QORRELATE_HEARTBEAT_SECONDS},
    }
}
CELERY_TIMEZONE = "UTC"
# Each app may define BEAT_SCHEDULE in apps/<app>/schedule.py; qorrelate/celery.py merges them.

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Qorrelate <no-reply@qorrelate.local>")
# Alert webhooks may post to loopback and private addresses (development, self-hosted installs
# with an internal receiver); off in production, so a tenant cannot aim them at internal services.
ALERT_WEBHOOKS_ALLOW_PRIVATE = env.bool("ALERT_WEBHOOKS_ALLOW_PRIVATE", default=not PRODUCTION)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "apps.orgs.api.authentication.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "apps.orgs.api.pagination.DefaultCursorPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "apps.orgs.api.schema.QorrelateAutoSchema",
    "DEFAULT_THROTTLE_CLASSES": ["apps.orgs.api.throttling.ApiRateThrottle"],
    "EXCEPTION_HANDLER": "apps.orgs.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
# REST API rate limits (count/period: 1200/min, 100/10s; 0 turns one off), counted in Redis.
API_THROTTLE_RATE = env.str("API_THROTTLE_RATE", default="1200/min")  # per organization
API_KEY_THROTTLE_RATE = env.str("API_KEY_THROTTLE_RATE", default="600/min")  # per key or user
API_ANON_THROTTLE_RATE = env.str("API_ANON_THROTTLE_RATE", default="120/min")  # per address
# Proxies (addresses or CIDR ranges) whose X-Forwarded-For is believed; none by default, so a
# client cannot choose the address its rate limits are counted under.
TRUSTED_PROXIES = env.list("QORRELATE_TRUSTED_PROXIES", default=[])
parse_networks(TRUSTED_PROXIES)  # a typo fails at start, not silently at the first request

SPECTACULAR_SETTINGS = {
    "TITLE": "Qorrelate API",
    "DESCRIPTION": "Sessions, replays, traces, logs and tickets of your organization.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "apps.orgs.api.schema.document_errors",
    ],
    "ENUM_NAME_OVERRIDES": {
        "TicketStatusEnum": "apps.tickets.models.TicketStatus",
        "AlertRuleKindEnum": "apps.alerts.models.RuleKind",
        "AlertChannelEnum": "apps.alerts.models.Channel",
        "AlertDeliveryStatusEnum": "apps.alerts.models.DeliveryStatus",
        "AlertDeliveryReasonEnum": "apps.alerts.models.DeliveryReason",
        "FindingKindEnum": "apps.insights.kinds.CHOICES",
        "FindingSeverityEnum": "apps.insights.models.Severity",
    },
}

# Content-Security-Policy of every response (qorrelate/csp.py; docs/deployment.md). Scripts,
# styles, images and fonts only from this install's /static/ (STATIC_SOURCE, filled in per
# request), no inline scripts or handlers anywhere, no frames, plugins or media. Inline style
# attributes are allowed (no URL in them can load: img-src and font-src still apply). The session
# page adds 'unsafe-inline' to style-src for the replay frame, which inherits its policy and holds
# the recorded page's own <style> elements (apps/dashboard/views/session_detail.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'none'"],
        "script-src": ["qorrelate:static"],
        "style-src": ["qorrelate:static"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["qorrelate:static", "data:"],
        "font-src": ["qorrelate:static", "data:"],
        "connect-src": ["'self'"],
        "frame-src": ["'none'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        # Paying for a plan posts to Qorrelate, which redirects the form to Stripe Checkout.
        "form-action": ["'self'", "https://checkout.stripe.com"],
        "frame-ancestors": ["'none'"],
    }
}

# Security when served behind a TLS-terminating proxy.
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = env.bool("USE_X_FORWARDED_HOST", default=True)
    SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
    SECURE_CONTENT_TYPE_NOSNIFF = True

# Qorrelate's own tracing: off, console or otlp (standard OTEL_EXPORTER_OTLP_* variables apply).
QORRELATE_SELF_TRACING = env.str("QORRELATE_SELF_TRACING", default="off")

# Intake limits (apps/ingestion/pipeline/limits.py reads them per request; docs/deployment.md).
# Replay batches: Sentry's replay limits, 10 MiB compressed and 100 MiB decompressed.
REPLAY_MAX_BODY_BYTES = env.int("REPLAY_MAX_BODY_BYTES", default=10 * 1024 * 1024)
REPLAY_MAX_DECOMPRESSED_BYTES = env.int("REPLAY_MAX_DECOMPRESSED_BYTES", default=100 * 1024 * 1024)
# Batches per organization per window (0 disables the limit).
REPLAY_RATE_LIMIT = env.int("REPLAY_RATE_LIMIT", default=2000)
REPLAY_RATE_WINDOW_SECONDS = env.int("REPLAY_RATE_WINDOW_SECONDS", default=10)
# Characters kept of each page URL in a session's index; longer is cut with a visible marker.
REPLAY_URL_LENGTH_LIMIT = env.int("REPLAY_URL_LENGTH_LIMIT", default=2048)
# OTLP requests: the collector's default body limit, compressed or not.
OTLP_MAX_BODY_BYTES = env.int("OTLP_MAX_BODY_BYTES", default=20 * 1024 * 1024)
OTLP_REQUESTS_PER_MINUTE = env.int("OTLP_REQUESTS_PER_MINUTE", default=6000)
# What is stored of each span / log record, after OpenTelemetry's attribute limits (the SDK's
# OTEL_ATTRIBUTE_COUNT_LIMIT etc.): more is cut with a visible marker, never rejected.
OTLP_ATTRIBUTE_COUNT_LIMIT = env.int("OTLP_ATTRIBUTE_COUNT_LIMIT", default=128)
OTLP_ATTRIBUTE_VALUE_LENGTH_LIMIT = env.int("OTLP_ATTRIBUTE_VALUE_LENGTH_LIMIT", default=4096)
OTLP_SPAN_EVENT_COUNT_LIMIT = env.int("OTLP_SPAN_EVENT_COUNT_LIMIT", default=128)
OTLP_SPAN_LINK_COUNT_LIMIT = env.int("OTLP_SPAN_LINK_COUNT_LIMIT", default=128)
OTLP_NAME_LENGTH_LIMIT = env.int("OTLP_NAME_LENGTH_LIMIT", default=1024)
OTLP_LOG_BODY_LENGTH_LIMIT = env.int("OTLP_LOG_BODY_LENGTH_LIMIT", default=65536)
# Retry-After when storage or the database is briefly unavailable (both intakes).
INTAKE_UNAVAILABLE_RETRY_AFTER = env.int("INTAKE_UNAVAILABLE_RETRY_AFTER", default=5)
INVITATION_TTL_HOURS = env.int("INVITATION_TTL_HOURS", default=72)
KEY_LAST_USED_RESOLUTION_SECONDS = 60

# Stripe (checkout, plan changes, webhooks): enabled only when both are set.
STRIPE_SECRET_KEY = env.str("STRIPE_SECRET_KEY", default="")
STRIPE_WEBHOOK_SECRET = env.str("STRIPE_WEBHOOK_SECRET", default="")

LOG_FORMAT = env.str("LOG_FORMAT", default="json" if PRODUCTION else "text")
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
ACCESS_LOG = env.bool("ACCESS_LOG", default=PRODUCTION)
# With JSON logs, Celery keeps Django's handlers so worker and beat lines are JSON too.
CELERY_WORKER_HIJACK_ROOT_LOGGER = LOG_FORMAT != "json"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "qorrelate.request_id.RequestIdLogFilter"}},
    "formatters": {
        "json": {"()": "qorrelate.logging.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},  # one line per login otherwise; lockouts are warnings
        # Scanners call by IP all day; the access line already records each 400.
        "django.security.DisallowedHost": {"level": "CRITICAL"},
        "django.server": {"level": "WARNING" if not DEBUG else "INFO"},
    },
}

# django-axes first: it refuses a locked-out account or client before any password is checked.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "apps.orgs.backends.EmailBackend"]

# Brute-force limits (apps/orgs/sign_in_limits.py). Failed logins are counted per account and
# per client address, separately; either reaching the limit locks it out for the cool-off.
LOGIN_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=10)
LOGIN_COOLOFF_MINUTES = env.int("LOGIN_COOLOFF_MINUTES", default=15)
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = "apps.orgs.sign_in_limits.cooloff"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_CALLABLE = "apps.orgs.sign_in_limits.normalized_username"
AXES_CLIENT_IP_CALLABLE = "apps.core.clientip.request_client_ip"
AXES_LOCKOUT_CALLABLE = "apps.orgs.sign_in_limits.lockout_response"
AXES_VERBOSE = False
AXES_DISABLE_ACCESS_LOG = True  # failures are what count; no row per successful login
SIGN_IN_LIMITS = {
    "signup": {"client": env.str("SIGNUP_RATE_PER_CLIENT", default="10/hour")},
    "password_reset": {
        "client": env.str("PASSWORD_RESET_RATE_PER_CLIENT", default="20/hour"),
        "account": env.str("PASSWORD_RESET_RATE_PER_ACCOUNT", default="3/hour"),
    },
}
