"""Uptake settings: every value comes from the environment through the helpers below.

Each variable is documented in docs/configuration.md; a test fails when one is not.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP  # type: ignore[import-untyped,unused-ignore]

from uptake.release import cache_version

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("UPTAKE_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from exc
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {value}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
TESTING = env_bool("UPTAKE_TESTING", False)
DEMO = env_bool("UPTAKE_DEMO", False)
# Known to everyone who has read the source: the demo and the tests only. Outside them
# Uptake refuses to start with it (here, and the uptake.E001 system check for
# ``check --deploy``), whether it comes by default or was copied into SECRET_KEY.
DEMO_SECRET_KEY = "dev-insecure-uptake-key-change-me-0123456789abcdefghijklmnopqrstuvwxyz"
SECRET_KEY = env_str("SECRET_KEY", "") or DEMO_SECRET_KEY
if SECRET_KEY == DEMO_SECRET_KEY and not (TESTING or DEMO):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a secret of your own (see docs/configuration.md); "
        "for a local demo use UPTAKE_DEMO=1")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

# Open Badges (docs/badges.md). Issuers' private keys are encrypted at rest with the first
# of these Fernet keys; the others still decrypt, so the key can be rotated. Outside the
# demo and the tests it must be set: a key derived from SECRET_KEY would be lost with it.
BADGE_KEY_ENCRYPTION_KEYS = env_list("BADGE_KEY_ENCRYPTION_KEYS", [])
if not BADGE_KEY_ENCRYPTION_KEYS and not (TESTING or DEMO):
    raise ImproperlyConfigured(
        "BADGE_KEY_ENCRYPTION_KEYS must be set (see docs/configuration.md): generate one "
        "with `python -c 'from cryptography.fernet import Fernet; "
        "print(Fernet.generate_key().decode())'`")
# Hosts (besides SITE_URL's own) whose status lists the verifier may fetch over HTTPS.
BADGE_STATUS_LIST_HOSTS = env_list("BADGE_STATUS_LIST_HOSTS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    # Before django_tasks_db, so that its db_worker command, which keeps a lease
    # (uptake.operations.workers), is the one `manage.py db_worker` runs.
    "uptake.operations",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    # Sign-in with the school account, configured per district (docs/sso.md).
    "allauth.socialaccount",
    "allauth.socialaccount.providers.google",
    "allauth.socialaccount.providers.microsoft",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.saml",
    "axes",
    "ninja",  # the API reference page's own static files (no CDN)
    # OAuth 2.0 client credentials for district integrations (docs/api-authentication.md).
    "allauth.idp.oidc",
    "uptake.accounts",
    "uptake.audit",
    "uptake.notifications",
    "uptake.api",
    "uptake.roster",
    "uptake.demo",
    "uptake.learning",
    "uptake.inquiry",
    "uptake.evidence",
    "uptake.observation",
    "uptake.studentwork",
    "uptake.stories",
    "uptake.library",
    "uptake.credentials",
    "uptake.badges",
    "uptake.programs",
    "uptake.surveys",
    "uptake.spending",
    "uptake.networks",
    "uptake.district",
    "uptake.reports",
]

MIDDLEWARE = [
    # First: refuses a body over its URL's limit before anything reads it.
    "uptake.operations.middleware.RequestBodyLimitMiddleware",
    # A dropped database connection or a full disk: 503/507 saying nothing was saved.
    "uptake.operations.faults.FaultMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "uptake.urls"
WSGI_APPLICATION = "uptake.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "uptake" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "uptake.accounts.context.roles",
                "uptake.notifications.context.unread",
            ],
            # {% idempotency_key %} in every creation form, without a {% load %}.
            "builtins": ["uptake.idempotency"],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'uptake.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0, minimum=0),
        # A kept connection is checked before a request reuses it, so a database restart
        # or a fail-over costs one reconnect instead of one failed request per process.
        conn_health_checks=True,
        # Behind PgBouncer in transaction mode a server-side cursor (QuerySet.iterator())
        # would outlive the transaction that opened it (docs/production.md).
        disable_server_side_cursors=env_bool("DATABASE_DISABLE_SERVER_SIDE_CURSORS", False),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
         "transaction_mode": "IMMEDIATE", "timeout": 20}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Argon2 is slow by design; tests create many accounts. A test checks production's list.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account_login"

# django-allauth: local accounts by e-mail, optional TOTP / recovery codes / WebAuthn.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_ADAPTER = "uptake.accounts.adapter.AccountAdapter"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = None
if TESTING:
    # Lockout is django-axes' job and is tested; allauth's own IP throttle would hide it.
    ACCOUNT_RATE_LIMITS = {"login_failed": "1000/m/ip,1000/5m/key"}
# Sign-in with the school account: each district's IdP comes from its accounts.SignInMethod
# (uptake.accounts.sso), never from settings or the admin; the adapter matches accounts to
# the roster by verified e-mail and never signs anyone up.
SOCIALACCOUNT_ADAPTER = "uptake.accounts.adapter.SocialAccountAdapter"
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
# Coordinators give IdP URLs that Uptake fetches; by default only https URLs to public
# addresses. The tests' own IdP runs on http://127.0.0.1 and sets this.
SSO_ALLOW_LOCAL_IDP = env_bool("SSO_ALLOW_LOCAL_IDP", False)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Uptake"

# django-axes: lock an account after repeated failures.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 30, minimum=1) / 60
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_FORM_FIELD = "login"
AXES_USERNAME_CALLABLE = "uptake.accounts.lockout.attempted_login"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_VERBOSE = False
# Lockout is per account, not per address: schools put hundreds of staff behind one NAT
# address, so an address lock would let one forgetful colleague lock out a whole school.
# allauth's per-address rate limit covers address-based guessing. See docs/decisions.md.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# Outgoing mail (Django 6.1 MAILERS). Development prints messages to the console.
EMAIL_BACKEND_PATH = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
_SMTP = EMAIL_BACKEND_PATH.endswith("smtp.EmailBackend")
MAILERS = {
    "default": {
        "BACKEND": EMAIL_BACKEND_PATH,
        "OPTIONS": {
            "host": env_str("EMAIL_HOST", "localhost"),
            "port": env_int("EMAIL_PORT", 25, minimum=1),
            "username": env_str("EMAIL_HOST_USER", ""),
            "password": env_str("EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("EMAIL_USE_TLS", False),
        } if _SMTP else {},
    }
}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Uptake <no-reply@uptake.invalid>")

# Background work (checking and applying roster imports) waits in a table of this database
# until `manage.py db_worker` runs it; see docs/configuration.md ("The background worker").
# TASK_BACKEND=rq queues it in Redis instead (TASK_REDIS_URL, never the cache's REDIS_URL:
# that one evicts keys, and an evicted job would leave its import queued for ever), for
# `manage.py rq_worker` on as many hosts as needed (uptake.operations.tasks_rq).
TASK_BACKEND = env_str("TASK_BACKEND", "database")
TASK_REDIS_URL = env_str("TASK_REDIS_URL", "")
if TESTING and env_str("UPTAKE_TEST_TASKS", "") == "rq":
    # `UPTAKE_TEST_TASKS=rq pytest ...`: the same tests with the queue in Redis, in a
    # database of its own that the tests flush (conftest.py).
    TASK_BACKEND = "rq"
    TASK_REDIS_URL = env_str("UPTAKE_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")
if TASK_BACKEND not in {"database", "rq"}:
    raise ImproperlyConfigured(f"TASK_BACKEND must be database or rq, not {TASK_BACKEND!r}")
if TASK_BACKEND == "rq" and not TASK_REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured(
        "TASK_BACKEND=rq needs TASK_REDIS_URL, a redis://, rediss:// or unix:// URL of a "
        "Redis that keeps every key (maxmemory-policy noeviction, not the cache's "
        f"REDIS_URL), not {TASK_REDIS_URL!r}")
TASKS: dict[str, dict[str, Any]] = {"default": {
    "BACKEND": "uptake.operations.tasks_rq.RQBackend",
    "OPTIONS": {"URL": TASK_REDIS_URL},
} if TASK_BACKEND == "rq" else {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Each worker records every WORKER_HEARTBEAT_SECONDS that it is alive; a task whose worker
# has been silent for WORKER_LOST_AFTER_SECONDS (or whose process is gone, on the same
# machine) is taken as lost and rolled back (uptake.operations.workers).
WORKER_HEARTBEAT_SECONDS = env_int("WORKER_HEARTBEAT_SECONDS", 15, minimum=1)
WORKER_LOST_AFTER_SECONDS = env_int("WORKER_LOST_AFTER_SECONDS", 300, minimum=60)
if WORKER_LOST_AFTER_SECONDS < 3 * WORKER_HEARTBEAT_SECONDS:
    raise ImproperlyConfigured(
        "WORKER_LOST_AFTER_SECONDS must be at least three WORKER_HEARTBEAT_SECONDS, not "
        f"{WORKER_LOST_AFTER_SECONDS} against {WORKER_HEARTBEAT_SECONDS}")

# One cache shared by every process (sign-in throttling, idempotency keys), so that limits
# hold across gunicorn workers and restarts: Redis when REDIS_URL (or CACHE_URL) is set,
# else a table in the database (created by `migrate`, uptake.operations.apps).
CACHE_URL = env_str("REDIS_URL", "") or env_str("CACHE_URL", "")
if CACHE_URL and not CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured(
        f"REDIS_URL / CACHE_URL must be a redis://, rediss:// or unix:// URL, not {CACHE_URL!r}")
CACHES: dict[str, dict[str, Any]] = {"default": {
    "BACKEND": "django.core.cache.backends.redis.RedisCache",
    "LOCATION": CACHE_URL,
    "KEY_PREFIX": "uptake",
} if CACHE_URL else {
    "BACKEND": "django.core.cache.backends.db.DatabaseCache",
    "LOCATION": "uptake_cache",
    # Culling drops arbitrary keys once the table is full: keep it far above what a
    # district's sign-ins and forms put there in a few minutes.
    "OPTIONS": {"MAX_ENTRIES": 200_000},
}}
# Rendered parts of pages (charts, tables, panels), keyed by a hash of everything they are
# drawn from: a key never goes stale, so each process may keep its own copy. Shared in
# Redis when it is configured; otherwise in each process's memory, bounded.
# The installed code's version (uptake/release.py): what an earlier deploy cached under
# another version is never read, even in a shared Redis, whatever version was forgotten.
RELEASE_ID = env_str("RELEASE_ID", "")
CODE_VERSION = cache_version(RELEASE_ID, BASE_DIR / "uptake")
CACHES["pages"] = {
    "BACKEND": "django.core.cache.backends.redis.RedisCache",
    "LOCATION": CACHE_URL,
    "KEY_PREFIX": "uptake-pages",
    "TIMEOUT": 7 * 24 * 3600,
    "VERSION": CODE_VERSION,
} if CACHE_URL else {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "uptake-pages",
    "TIMEOUT": 7 * 24 * 3600,
    "VERSION": CODE_VERSION,
    "OPTIONS": {"MAX_ENTRIES": env_int("PAGE_CACHE_ENTRIES", 5_000, minimum=100)},
}

LANGUAGE_CODE = "en-us"
# The languages a family can read a shared story in (interface text; the teacher's own words
# stay as she wrote them). Each app keeps its catalogue in its own locale/ folder.
LANGUAGES = [("en", "English"), ("es", "Español")]
TIME_ZONE = env_str("TIME_ZONE", "America/Los_Angeles")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "uptake" / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "media/"
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG and not TESTING
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING

# Uploaded files go to the local filesystem (MEDIA_ROOT) unless STORAGE_BACKEND=s3; they are
# never served from MEDIA_URL, only through access-checked views. S3 credentials come from
# boto3's usual sources (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, an instance role).
STORAGE_BACKEND = env_str("STORAGE_BACKEND", "filesystem")
if STORAGE_BACKEND == "s3":
    _bucket = env_str("AWS_STORAGE_BUCKET_NAME", "")
    if not _bucket:
        raise ImproperlyConfigured("AWS_STORAGE_BUCKET_NAME must be set when STORAGE_BACKEND=s3")
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": _bucket,
            "region_name": env_str("AWS_S3_REGION_NAME", "") or None,
            "endpoint_url": env_str("AWS_S3_ENDPOINT_URL", "") or None,
            "location": env_str("AWS_LOCATION", ""),
            "default_acl": None,  # the bucket stays private; Uptake streams files itself
            "file_overwrite": False,
        },
    }
elif STORAGE_BACKEND != "filesystem":
    raise ImproperlyConfigured(
        f"STORAGE_BACKEND must be filesystem or s3, not {STORAGE_BACKEND!r}")

# Uploads: files are streamed to disk above this size.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
ROSTER_MAX_UPLOAD_BYTES = env_int("ROSTER_MAX_UPLOAD_BYTES", 200 * 1024 * 1024, minimum=1024)
ROSTER_MAX_UNCOMPRESSED_BYTES = env_int(
    "ROSTER_MAX_UNCOMPRESSED_BYTES", 2 * 1024 * 1024 * 1024, minimum=1024)

# Evidence uploads: largest file accepted per kind of content (after sniffing), and the
# malware-scan hook: a dotted path to a callable(file_path) -> uptake.evidence.scanning.Verdict.
EVIDENCE_MAX_IMAGE_BYTES = env_int("EVIDENCE_MAX_IMAGE_BYTES", 20 * 1024 * 1024, minimum=1024)
EVIDENCE_MAX_DOCUMENT_BYTES = env_int("EVIDENCE_MAX_DOCUMENT_BYTES", 25 * 1024 * 1024,
                                      minimum=1024)
EVIDENCE_MAX_VIDEO_BYTES = env_int("EVIDENCE_MAX_VIDEO_BYTES", 200 * 1024 * 1024, minimum=1024)
EVIDENCE_SCANNER = env_str("EVIDENCE_SCANNER", "uptake.evidence.scanning.not_scanned")

# Request bodies: refused with 413 before they are read when larger than their URL allows
# (uptake.operations.middleware). Pages that take a file allow that file's limit plus room
# for the form around it; every other request gets REQUEST_MAX_BYTES, which also bounds the
# form fields Django keeps in memory.
REQUEST_MAX_BYTES = env_int("REQUEST_MAX_BYTES", 4 * 1024 * 1024, minimum=64 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = REQUEST_MAX_BYTES
_FORM_ROOM = 1024 * 1024
REQUEST_MAX_BYTES_BY_URL = {
    "roster:import": ROSTER_MAX_UPLOAD_BYTES + _FORM_ROOM,
    "evidence:upload": max(EVIDENCE_MAX_IMAGE_BYTES, EVIDENCE_MAX_DOCUMENT_BYTES,
                           EVIDENCE_MAX_VIDEO_BYTES) + _FORM_ROOM,
    # uptake.inquiry.imports.MAX_BYTES (5 MiB); a test keeps the two in step.
    "inquiry:import": 5 * 1024 * 1024 + _FORM_ROOM,
}
REQUEST_MAX_BYTES_BY_URL["evidence:edit"] = REQUEST_MAX_BYTES_BY_URL["evidence:upload"]
# The API's roster upload (POST /api/v1/roster-imports) takes the same zip as the page.
REQUEST_MAX_BYTES_BY_URL["api-1:roster_imports"] = REQUEST_MAX_BYTES_BY_URL["roster:import"]
# An online community's export (uptake.networks.actions.community), on the page and the API.
COMMUNITY_IMPORT_MAX_BYTES = env_int("COMMUNITY_IMPORT_MAX_BYTES", 500 * 1024 * 1024,
                                     minimum=1024)
REQUEST_MAX_BYTES_BY_URL["networks:community_new"] = COMMUNITY_IMPORT_MAX_BYTES + _FORM_ROOM
REQUEST_MAX_BYTES_BY_URL["api-1:community_imports"] = COMMUNITY_IMPORT_MAX_BYTES + _FORM_ROOM

# The API (docs/api-authentication.md): requests a minute per personal access token (an
# integration's own limit is set on its page); OAuth access tokens from the client-credentials
# grant are opaque (only their hash is stored) and last an hour.
# The tests set it where they test it; elsewhere (the fuzzer's thousands of calls with one
# token) it would only get in the way.
API_TOKEN_RATE_PER_MINUTE = env_int("API_TOKEN_RATE_PER_MINUTE", 100_000 if TESTING else 600,
                                    minimum=1)
IDP_OIDC_ACCESS_TOKEN_EXPIRES_IN = 3600
IDP_OIDC_ACCESS_TOKEN_FORMAT = "opaque"
IDP_OIDC_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]
# The consent screen names the Open Badges API's scopes in words (uptake/badges/obapi.py).
IDP_OIDC_ADAPTER = "uptake.badges.oidc.OIDCAdapter"

# Results by student group are hidden below this many students (never below 5).
MIN_GROUP_SIZE = env_int("MIN_GROUP_SIZE", 10, minimum=5)
INVITATION_DAYS = env_int("INVITATION_DAYS", 14, minimum=1)

# The month a district's fiscal year starts (7 = July, as most US districts); a fiscal year
# is named by the calendar year it ends in (FY2027 runs July 2026 to June 2027).
FISCAL_YEAR_START_MONTH = env_int("FISCAL_YEAR_START_MONTH", 7, minimum=1)
if FISCAL_YEAR_START_MONTH > 12:
    raise ImproperlyConfigured(
        f"FISCAL_YEAR_START_MONTH must be a month from 1 to 12, not {FISCAL_YEAR_START_MONTH}")

# Security headers. Production runs behind TLS (docs/production.md); its defaults are the
# ones `check --deploy` asks for, whether Uptake or the proxy in front redirects to HTTPS.
_PRODUCTION = not DEBUG and not TESTING and not DEMO
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", _PRODUCTION)
# The proxy's health probe talks plain HTTP to each host (uptake.operations.health).
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", _PRODUCTION)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", _PRODUCTION)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if _PRODUCTION else 0,
                              minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool(
    "BEHIND_TLS_PROXY", False) else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600, minimum=300)
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
    # oauthlib logs request bodies (client secrets) and tokens at DEBUG: never below INFO.
    "loggers": {"oauthlib": {"level": "INFO"}},
}
