"""Settings of the CountOnMe backend: one module, every value from the environment.

README.md ("Configuration") lists each variable. Development needs none of
them: SQLite under ``var/``, secrets generated once into ``var/``, a file cache.
Production (``COUNTONME_ENV=production``) refuses to start on missing or weak
secrets and turns on every ``manage.py check --deploy`` recommendation.
"""

import zoneinfo
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from countonme.environment import env_bool, env_int, env_list, env_str
from countonme.instance_secrets import resolve_secret

BASE_DIR = Path(__file__).resolve().parent.parent
# Instance state that never belongs in git: SQLite file, generated secrets,
# file cache, collected static files.
VAR_DIR = Path(env_str("COUNTONME_VAR_DIR", str(BASE_DIR / "var")))

# --- Environment and secrets -------------------------------------------------

COUNTONME_ENV = env_str("COUNTONME_ENV", "development")
if COUNTONME_ENV not in {"development", "production"}:
    raise ImproperlyConfigured(
        f"COUNTONME_ENV={COUNTONME_ENV!r}: use 'development' or 'production'."
    )
PRODUCTION = COUNTONME_ENV == "production"

SECRET_KEY = resolve_secret("SECRET_KEY", production=PRODUCTION, store_dir=VAR_DIR)
# Keys the HMAC of device tokens. Kept apart from SECRET_KEY so that rotating
# one (e.g. after a leak of session signing keys) does not log out every phone.
DEVICE_TOKEN_PEPPER = resolve_secret(
    "DEVICE_TOKEN_PEPPER", production=PRODUCTION, store_dir=VAR_DIR
)
if DEVICE_TOKEN_PEPPER == SECRET_KEY:
    raise ImproperlyConfigured("DEVICE_TOKEN_PEPPER must differ from SECRET_KEY.")
# Earlier peppers, comma-separated: their tokens still work and are re-hashed
# with DEVICE_TOKEN_PEPPER on first use, so rotating the pepper logs nobody out.
DEVICE_TOKEN_PEPPER_FALLBACKS = env_list("DEVICE_TOKEN_PEPPER_FALLBACKS", [])
if SECRET_KEY in DEVICE_TOKEN_PEPPER_FALLBACKS:
    raise ImproperlyConfigured("DEVICE_TOKEN_PEPPER_FALLBACKS must not contain SECRET_KEY.")

DEBUG = env_bool("DEBUG", False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured(
        "DEBUG=true with COUNTONME_ENV=production: debug pages show tracebacks and SQL."
    )

# --- HTTP: hosts, proxies, transport security ------------------------------

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", [] if PRODUCTION else ["localhost", "127.0.0.1", "[::1]", "testserver"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS is not set. With COUNTONME_ENV=production list the host "
        "names the API is served under, comma-separated (e.g. api.example.org)."
    )
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# How many reverse proxies in front of us append to X-Forwarded-For. 0 means
# the header is ignored: a client could forge it to dodge per-address throttles.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
if TRUSTED_PROXY_COUNT:
    # Only a trusted proxy can tell us the original request was HTTPS.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = False

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # Load balancers and container probes speak plain HTTP to the health checks.
    SECURE_REDIRECT_EXEMPT = [r"^health(/ready)?$"]
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# Request bodies above this are refused with 413 before anything parses them.
MAX_REQUEST_BODY_BYTES = 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_REQUEST_BODY_BYTES
APPEND_SLASH = False  # a redirected POST loses its body; unknown paths get a JSON 404

# --- Applications --------------------------------------------------------------

INSTALLED_APPS = [
    # Django's admin with the back office's site (countonme.backoffice).
    "countonme.backoffice.apps.BackOfficeAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",  # trigram and full-text lookups; inert on SQLite
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "countonme",
    "devices",
    "products",
    "entries",
]

MIDDLEWARE = [
    # First: every response, errors included, gets a request id and a log line.
    "countonme.ops.middleware.RequestLogMiddleware",
    # Early, so the 413 of the next one carries the headers too.
    "countonme.ops.security_headers.SecurityHeadersMiddleware",
    "countonme.ops.middleware.BodySizeLimitMiddleware",
    "countonme.ops.middleware.RepeatedQueryParameterMiddleware",
    "countonme.ops.middleware.BlankQueryValueMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Django's session, auth and messages middleware, skipped on the device API
    # (/v1/, /health) and run as usual everywhere else (the admin). CSRF stays
    # Django's own, on every path: cheap where views are exempt, as DRF's are.
    "countonme.ops.middleware.BrowserSessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "countonme.ops.middleware.BrowserAuthenticationMiddleware",
    "countonme.ops.middleware.BrowserMessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # The admin's pages in the staff's time zone (ADMIN_TIME_ZONE); the API in UTC.
    "countonme.backoffice.middleware.AdminTimeZoneMiddleware",
    # Last: a plain GET /health is answered here, with every header above, without
    # the URLconf and DRF (countonme.ops.health.ProbeMiddleware says what it keeps).
    "countonme.ops.health.ProbeMiddleware",
]

ROOT_URLCONF = "countonme.urls"
WSGI_APPLICATION = "countonme.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # First, so the back office's admin/base_site.html overrides Django's.
        "DIRS": [BASE_DIR / "countonme" / "backoffice" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# The model that owns every diary row: the shared base in countonme.base names no
# app, it points its device foreign key here. Like AUTH_USER_MODEL it is fixed
# once the first migration has run (the migrations name devices.Device); it is
# not a swappable model, it keeps the base free of an app's name.
COUNTONME_DEVICE_MODEL = "devices.Device"

# --- Database ------------------------------------------------------------------

DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}")
# Seconds a PostgreSQL pool keeps retrying one lost connection (see "reconnect_timeout").
DATABASE_RECONNECT_TIMEOUT = 3
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # psycopg 3's pool (Django 5.1+): each worker process keeps warm
    # connections instead of paying a TCP + auth handshake per request.
    # An unreachable database must cost a request about a second (then 503),
    # not a thread for as long as TCP retries: the pool hands out a connection
    # within DATABASE_POOL_TIMEOUT or gives up, and each connection attempt
    # it makes in the background gives up after DATABASE_CONNECT_TIMEOUT.
    DATABASES["default"]["OPTIONS"] = {
        "connect_timeout": env_int("DATABASE_CONNECT_TIMEOUT", 2, minimum=1),
        "pool": {
            "min_size": 1,
            # A thread holds at most one connection, and the pool opens more
            # only on demand: a sync worker keeps one, a threaded server
            # (gthread, runserver, the tests' live server) one per busy thread.
            "max_size": env_int(
                "DATABASE_POOL_MAX_SIZE",
                max(4, env_int("GUNICORN_THREADS", 1, minimum=1)),
                minimum=1,
            ),
            "timeout": env_int("DATABASE_POOL_TIMEOUT_MS", 1500, minimum=100) / 1000,
            # How long one reconnection attempt goes on, backing off 1 s then 2 s, before
            # the pool drops it; the next request that needs a connection starts a fresh
            # one at once. psycopg's default (300 s, backing off up to 128 s between
            # tries) left the API answering 503 for 40-55 s after a 75 s outage ended;
            # this bounds the wait after the database returns to about 2 s, whatever
            # the outage's length (tests/test_outage.py cuts it for 75 s).
            "reconnect_timeout": DATABASE_RECONNECT_TIMEOUT,
        },
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    if DATABASES["default"]["NAME"] != ":memory:":
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        # Writers queue for the lock at BEGIN instead of failing half-way with
        # "database is locked"; WAL lets readers run while one writes.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- PgBouncer (transaction pooling) -------------------------------------------

# In production the app may reach PostgreSQL through PgBouncer in transaction
# mode (docker-compose.yml, `make cluster`): each transaction, or each statement
# in autocommit, may run on a different server connection. Nothing may rely on
# session state, whether PgBouncer is in front or not (README, "Scaling"):
# - no server-side prepared statements: psycopg prepares a query after
#   `prepare_threshold` runs on a connection, and PgBouncer before 1.21 cannot
#   route them; None turns it off, as psycopg documents for PgBouncer (Django's
#   client-side binding cursors prepare nothing either; this says it here);
# - no server-side cursors: `QuerySet.iterator()` would DECLARE a cursor in one
#   transaction and FETCH from it in the next, on another server connection;
# - locks are transaction-scoped: the device write lock is SELECT ... FOR
#   UPDATE, and a job's single-run lock lives in Redis (countonme.jobs.locks);
# - `SET TIME ZONE`, which Django issues on a new connection, is one of the
#   parameters PgBouncer tracks per client and replays on each server connection.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
    DATABASES["default"]["OPTIONS"]["prepare_threshold"] = None

# --- Cache and throttle counters ----------------------------------------------

# Throttle counters must be shared by every worker process, never per-process
# memory (countonme.base.throttle_counters): Redis when REDIS_URL is set, else a
# SQLite file under var/ shared by the workers of this host.
REDIS_URL = env_str("REDIS_URL")
THROTTLE_COUNTERS_PATH = VAR_DIR / "throttle.sqlite3"
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "countonme",
        }
    }
else:
    # Nothing else uses the cache; the throttles keep their own file.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Authentication, throttles and the API ----------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

THROTTLE_REGISTER = env_str("THROTTLE_REGISTER", "10/min")  # per client address
THROTTLE_DEVICE = env_str("THROTTLE_DEVICE", "1200/min")  # per authenticated device
THROTTLE_QUICK_ADD = env_str("THROTTLE_QUICK_ADD", "30/min")  # quick-add parses per device
# Claims of transfer and recovery codes per client address (an IPv6 /64 counts as one).
THROTTLE_CLAIM = env_str("THROTTLE_CLAIM", "10/min")

# Quick add's language-model parser: off unless a PydanticAI model name is set
# ("openai:gpt-4o-mini"); the provider's key comes from its own variable
# (OPENAI_API_KEY). Past the timeout (seconds) the rules parser answers.
QUICK_ADD_MODEL = env_str("QUICK_ADD_MODEL")
QUICK_ADD_MODEL_TIMEOUT = env_int("QUICK_ADD_MODEL_TIMEOUT", 10, minimum=1)

# How long a support-granted re-pairing (`manage.py allow_repairing`) stays usable.
DEVICE_REPAIRING_WINDOW_HOURS = env_int("DEVICE_REPAIRING_WINDOW_HOURS", 24, minimum=1)
# How long a transfer code (POST /v1/devices/me/transfer-code) can be claimed.
DEVICE_TRANSFER_CODE_MINUTES = env_int("DEVICE_TRANSFER_CODE_MINUTES", 15, minimum=1)

# Soft-deleted rows older than this are erased by `manage.py purge_deleted`.
SOFT_DELETE_RETENTION_DAYS = env_int("SOFT_DELETE_RETENTION_DAYS", 30, minimum=1)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["devices.authentication.DeviceTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": ["countonme.base.throttling.DeviceRateThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["countonme.base.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "countonme.base.pagination.LimitOffsetNoCountPagination",
    "DEFAULT_SCHEMA_CLASS": "countonme.base.schema.ErrorDocumentingAutoSchema",
    "EXCEPTION_HANDLER": "countonme.base.errors.api_exception_handler",
    "UNAUTHENTICATED_USER": None,
    "URL_FORMAT_OVERRIDE": None,
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "CountOnMe API",
    "DESCRIPTION": (
        "**New here? Read [Getting started](/api/docs/getting-started/)**: register a "
        "device, log a food, read a day and sync, in real curl calls.\n\n"
        "Backend of the CountOnMe calorie-tracking app. A phone is the account: "
        "register a device id once (`POST /v1/devices/register`), then send "
        "`Authorization: Bearer {device_id}.{secret}` on every call. Every error "
        "is JSON of one shape: `{type, errors: [{code, detail, attr}]}`. Input is strict: "
        "days are `YYYY-MM-DD` in ASCII digits; decimals are JSON numbers or plain ASCII "
        'decimal strings (`"12.5"`, no exponent or separators); strings, booleans and '
        "whole numbers in bodies are JSON strings, booleans and integers; ids are canonical "
        "UUID strings; a query parameter with an empty value (`?day=`) is a 400 `blank`: "
        "leave it out instead; one given twice (`?day=…&day=…`) is a 400 `repeated`. A "
        "replayed create (same `id`) is validated like a first one."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_AUTHENTICATION": [],
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/v1",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "countonme.base.schema.describe_strict_input",
        "countonme.base.examples.add_parameter_examples",
    ],
    "ENUM_NAME_OVERRIDES": {
        "UnitEnum": "products.models.Unit",
        "CatalogSourceEnum": "products.models.CatalogSource",
        "SearchSourceEnum": [("user", "user"), ("catalog", "catalog")],
    },
}

# --- Jobs (Celery) --------------------------------------------------------------

# The purge and the catalog imports run on Celery workers, scheduled by one beat
# (countonme/jobs/celery.py); without a worker (`make run`) the same jobs run
# in-process from their management commands. Each job takes a single-run lock,
# so a second copy (a late beat, a redelivered message, a command run by hand)
# ends at once saying so.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL)
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", CELERY_BROKER_URL)
CELERY_TIMEZONE = "UTC"
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# A job is acknowledged when it ends, so one cut short (a worker killed) runs
# again elsewhere; they are idempotent. One message at a time per process: jobs
# are long, prefetching would park them behind a running one.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TRACK_STARTED = True
CELERY_RESULT_EXTENDED = True
CELERY_RESULT_EXPIRES = 7 * 24 * 3600
# Redis redelivers a message not acknowledged within this time: longer than the
# longest import (a full Open Food Facts dump takes about an hour here).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 6 * 3600, minimum=60)
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Keep this project's JSON log lines (LOGGING below) in the worker too, and its
# output as it is (Celery would log each write to stdout as a warning).
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_WORKER_REDIRECT_STDOUTS = False
# When the beat schedules each job (crontab lines, UTC).
JOBS_PURGE_CRONTAB = env_str("JOBS_PURGE_CRONTAB", "17 3 * * *")
JOBS_OFF_DELTA_CRONTAB = env_str("JOBS_OFF_DELTA_CRONTAB", "47 * * * *")
# Where the scheduled Open Food Facts delta import reads its files (the daily
# `*.json.gz` deltas, dropped there by whatever fetches them). Unset: the
# scheduled import does nothing.
OFF_DELTA_DIR = env_str("OFF_DELTA_DIR")
# A job's single-run lock expires this long after its last sign of progress, so
# a copy killed without releasing it blocks the next one for no longer.
JOBS_LOCK_SECONDS = env_int("JOBS_LOCK_SECONDS", 600, minimum=10)

# --- Static files, i18n --------------------------------------------------------

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
# whitenoise indexes this at start-up and warns when it is missing (before the
# first collectstatic).
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
# The zone the back office shows times in (every admin page names it); the
# API and the database stay in UTC.
ADMIN_TIME_ZONE = env_str("ADMIN_TIME_ZONE", "UTC")
try:
    zoneinfo.ZoneInfo(ADMIN_TIME_ZONE)
except (zoneinfo.ZoneInfoNotFoundError, ValueError) as error:
    raise ImproperlyConfigured(f"ADMIN_TIME_ZONE: unknown zone {ADMIN_TIME_ZONE!r}") from error
# The permission that shows the activity page (every staff member's actions).
BACK_OFFICE_ACTIVITY_PERMISSION = "devices.see_staff_activity"
USE_I18N = True
USE_TZ = True

# --- Logging -------------------------------------------------------------------

LOG_LEVEL = env_str("LOG_LEVEL", "INFO").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_context": {"()": "countonme.ops.log_format.RequestContextFilter"}},
    "formatters": {"json": {"()": "countonme.ops.log_format.JsonLineFormatter"}},
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["request_context"],
        },
    },
    "root": {"handlers": ["stderr"], "level": LOG_LEVEL},
    "loggers": {
        # Our one line per request replaces Django's own 4xx/5xx lines.
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "ERROR"},
        # A request for a host outside ALLOWED_HOSTS (scanners, stray DNS) is a 400 with
        # its access line; Django would add an ERROR with a stack trace for each one.
        "django.security.DisallowedHost": {"level": "CRITICAL"},
    },
}
