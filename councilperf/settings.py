"""Settings for Council Performance.

Everything that differs between machines comes from the environment:

- ``DATABASE_URL``: default is a SQLite file in ``var/`` (ignored by git).
- ``REFERENCE_DATA_DIR``: the shared reference data (register, boundaries, population);
  default ``../shared/data`` beside the repository.
- ``REFERENCE_MANIFEST``: which population and boundary files to read, with their vintages;
  default ``config/reference.toml`` in the repository.
- ``VAR_DIR``: where generated files go (database, letters, map data); default ``var/``.
- ``DJANGO_DEBUG``: off unless ``1``. With DEBUG off, ``DJANGO_SECRET_KEY`` (or
  ``DJANGO_SECRET_KEY_FILE``) must be set or nothing starts.
- ``DJANGO_ALLOWED_HOSTS``, ``DJANGO_CSRF_TRUSTED_ORIGINS``: comma-separated.
- ``DJANGO_HTTPS=1`` behind an HTTPS reverse proxy: redirect to HTTPS, HSTS, secure cookies,
  trust ``X-Forwarded-Proto``; ``DJANGO_PROXY_COUNT`` proxies' ``X-Forwarded-For`` entries.
- ``CACHE_URL``: ``file://cache`` (under ``VAR_DIR``) by default; ``redis://host:6379/0`` in
  production (see ``councilperf/serving/environment.py``).

The production settings are listed in docs/deployment.md.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from councilperf.serving import environment as env

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var")).resolve()
REFERENCE_DATA_DIR = Path(
    os.environ.get("REFERENCE_DATA_DIR", BASE_DIR.parent / "shared" / "data")
).resolve()
REFERENCE_MANIFEST = Path(
    os.environ.get("REFERENCE_MANIFEST", BASE_DIR / "config" / "reference.toml")
).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)  # the default SQLite database lives here
BUILD_DIR = VAR_DIR / "build"
LETTERS_DIR = VAR_DIR / "letters"
# The directory settings `manage.py backup` keeps besides the database (derived files, such as
# BUILD_DIR, are rebuilt by the set-up).
BACKUP_FILE_DIRS = ["LETTERS_DIR", "SENT_LETTERS_DIR"]

# Casework files: the largest CSV, the largest workbook once unzipped, the most rows per file.
CASEWORK_MAX_FILE_BYTES = int(os.environ.get("CASEWORK_MAX_FILE_BYTES", 4 * 1024**3))
CASEWORK_MAX_EXPANDED_BYTES = int(os.environ.get("CASEWORK_MAX_EXPANDED_BYTES", 1024**3))
CASEWORK_MAX_ROWS = int(os.environ.get("CASEWORK_MAX_ROWS", 10_000_000))
# How long a second writer (import, statistics write) waits for the first before it stops.
WRITER_WAIT_SECONDS = float(os.environ.get("WRITER_WAIT_SECONDS", 30))

try:
    DEBUG = env.flag(dict(os.environ), "DJANGO_DEBUG", default=False)
    SECRET_KEY = env.secret_key(dict(os.environ), debug=DEBUG)
    HTTPS = env.flag(dict(os.environ), "DJANGO_HTTPS", default=False)
    CACHES = {
        "default": env.cache_config(os.environ.get("CACHE_URL", "file://cache"), var_dir=VAR_DIR)
    }
except env.ConfigurationError as error:
    raise ImproperlyConfigured(str(error)) from None
ALLOWED_HOSTS = env.host_list(
    os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
)
CSRF_TRUSTED_ORIGINS = env.host_list(os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", ""))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    # The data flow, in order.
    "councilperf.authorities",
    "councilperf.casework",
    "councilperf.statistics",
    "councilperf.demo",
    "councilperf.letters",
    "councilperf.distribution",
    "councilperf.portal",
    "councilperf.site",
    "councilperf.serving",
    "councilperf.api",
    "councilperf.alerts",
    "councilperf.publishing",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "councilperf.middleware.QueryCheckMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Whole published pages from the cache, with the headers below, before sessions are read
    # (never for staff or anyone logged in).
    "councilperf.serving.pagecache.PageCacheMiddleware",
    "csp.middleware.CSPMiddleware",
    "councilperf.serving.headers.PermissionsPolicyMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified(): portal/ and staff
    # Staff and council approvers must pass a second factor before staff, admin or portal pages.
    "councilperf.portal.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # login throttling: see AXES_* below
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "councilperf.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "councilperf.site.context.site",
            ],
        },
    },
]

WSGI_APPLICATION = "councilperf.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'councilperf.sqlite3'}"),
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0
# A kept connection is checked before a request uses it: one the server dropped (a restart,
# a failover, an idle timeout) is replaced instead of failing the request.
for _database in DATABASES.values():
    _database["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS: list[Path] = []
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if DEBUG:
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
WHITENOISE_MAX_AGE = 3600  # hashed names (the manifest) are served as immutable for a year

# Security headers. HSTS, the HTTPS redirect and secure cookies only when served over HTTPS.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
SESSION_COOKIE_HTTPONLY = True
# Sessions in signed cookies: a login writes no session row, so it does not wait for a long
# import holding SQLite's write lock (councilperf/serving/logins.py). Such a cookie cannot be
# revoked before it expires (a password change does end it), hence a working day's lifetime.
SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
SESSION_COOKIE_AGE = int(float(os.environ.get("SESSION_HOURS", "12")) * 3600)
# How long a login's bookkeeping (last login, access log) waits for a writer before it is
# skipped (logged) on SQLite.
LOGIN_RECORD_WAIT_SECONDS = float(os.environ.get("LOGIN_RECORD_WAIT_SECONDS", "0.5"))
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the proxy's own checks may use plain HTTP
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.flag(dict(os.environ), "DJANGO_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
TRUSTED_PROXY_COUNT = int(os.environ.get("DJANGO_PROXY_COUNT", "0"))

# Login throttling (admin and staff logins): after AXES_FAILURE_LIMIT failures of one account
# from one address, that account is locked from that address for the cool-off time (a success
# does not reset it). Username and address together: a wrong password for one account does
# not lock the others out of a shared office address (docs/deployment.md, "Lock-outs").
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "councilperf.serving.headers.client_ip"
AXES_LOCKOUT_TEMPLATE = "serving/locked_out.html"
AXES_VERBOSE = False
AXES_HANDLER = "councilperf.serving.logins.AxesHandler"

# Whole-response cache of published pages (councilperf/serving/pagecache.py); off in DEBUG,
# so that a developer's template change shows at once.
PAGE_CACHE_ENABLED = env.flag(dict(os.environ), "PAGE_CACHE", default=not DEBUG)
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", str(24 * 3600)))

# Statistics: a rate whose denominator is below this is never compared or ranked.
SMALL_NUMBER_THRESHOLD = int(os.environ.get("SMALL_NUMBER_THRESHOLD", "5"))

# --- The yearly cycle: email, the task queue, the letters as sent (issue 12) ---------------
# Django's own names for SMTP; a real deployment sets EMAIL_HOST and friends.
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "1025"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "0") == "1"
EMAIL_USE_SSL = os.environ.get("EMAIL_USE_SSL", "0") == "1"
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "annual-review@ombudsman.example")
# Where the public site lives, for the links in emails (publication page, preview link).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# The named contact of the release calendar (Code of Practice for Statistics): a statistician
# and the team's address. The defaults are the demo's invented names.
STATISTICS_CONTACT_NAME = os.environ.get("STATISTICS_CONTACT_NAME", "Alex Morgan (demonstration)")
STATISTICS_CONTACT_EMAIL = os.environ.get(
    "STATISTICS_CONTACT_EMAIL", "statistics@ombudsman.example"
)
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
# The queue's name on that Redis (tests use their own, so a running demo worker never takes them).
TASK_QUEUE = os.environ.get("TASK_QUEUE", "councilperf")
SENT_LETTERS_DIR = VAR_DIR / "sent"
# Sending: attempts per recipient for temporary failures, and the first back-off in seconds.
SEND_MAX_TRIES = int(os.environ.get("SEND_MAX_TRIES", "5"))
SEND_BACKOFF_SECONDS = float(os.environ.get("SEND_BACKOFF_SECONDS", "2"))
# Processes for a letters job on the worker (0: every core).
LETTER_JOB_PROCESSES = int(os.environ.get("LETTER_JOB_PROCESSES", "0"))
LOGIN_URL = "/admin/login/"

# --- Councils' accounts (issue 30, docs/portal-accounts.md) ---------------------------------
# Two-factor sign-in (TOTP) required for staff and council approvers; COUNCILPERF_TWO_FACTOR=0
# switches the requirement off (a development machine; tests/settings.py).
COUNCILPERF_TWO_FACTOR = env.flag(dict(os.environ), "COUNCILPERF_TWO_FACTOR", default=True)
# How long an invitation link to a council's portal works.
COUNCILPERF_INVITATION_DAYS = int(os.environ.get("COUNCILPERF_INVITATION_DAYS", "7"))
OTP_TOTP_ISSUER = "Council Performance"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
