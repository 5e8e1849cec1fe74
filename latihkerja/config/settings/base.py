"""Settings shared by every environment, read from the environment (12-factor).

Each variable has one meaning everywhere; `dev`, `test` and `prod` only change defaults and hardening.
"""

import datetime as dt
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parents[3]
PACKAGE_DIR = BASE_DIR / "latihkerja"
VAR_DIR = Path(environ.Env().str("LATIHKERJA_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'latihkerja.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the worker and the web server write without "database is locked" on the embedded default.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
        }
    )

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database host that accepts connections and never answers would hold each request until gunicorn's
    # worker timeout (30 s): give up connecting after a few seconds (`?connect_timeout=` in the URL wins).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "latihkerja.common",
    "latihkerja.accounts",
    "latihkerja.regions",
    "latihkerja.agencies",
    "latihkerja.catalog",
    "latihkerja.centers",
    "latihkerja.programs",
    "latihkerja.batches",
    "latihkerja.residents",
    "latihkerja.registration",
    "latihkerja.allocation",
    "latihkerja.planning",
    "latihkerja.demand",
    "latihkerja.training",
    "latihkerja.certificates",
    "latihkerja.reports",
    "latihkerja.audit",
    "latihkerja.notifications",
    "latihkerja.api",
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Pages compressed for residents on slow mobile links (the catalogue: 22 kB → 4 kB), whatever the proxy
    # does; Django pads each response against BREACH and masks CSRF tokens. Static files come precompressed.
    "django.middleware.gzip.GZipMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "latihkerja.common.middleware.LanguageMiddleware",
    # After the language is set, before anything looks a value up: NUL cannot reach PostgreSQL.
    "latihkerja.common.middleware.RefuseNulMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "latihkerja.accounts.two_factor.StaffTwoFactorMiddleware",
    "latihkerja.accounts.sessions.StaffIdleTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "latihkerja.common.middleware.SecurityHeadersMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # First: refuses password sign-ins for a username from an address after too many failures (SPEC §5).
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Staff password sign-in: 5 wrong passwords for one username from one address lock that pair for 15 minutes
# (counted in the database, so it holds across app servers); a success clears the count. Residents sign in
# by SMS code, limited in accounts.services.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
# Failed password sign-ins per address per hour, any usernames (`accounts.address_limit`: password spraying; the
# sign-in forms refuse more).
LOGIN_FAILURES_PER_ADDRESS = env.int("LOGIN_FAILURES_PER_ADDRESS", default=30)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "latihkerja.accounts.services.client_ip"
# How many proxies of our own stand between the client and the app server (nginx, a load balancer), each
# adding the address it saw to X-Forwarded-For. 0: the app server faces the clients (REMOTE_ADDR is theirs).
# Behind one proxy, 1: otherwise every resident has the proxy's address, and the per-address limits on codes,
# sign-ins and certificate checks would hold for the whole city at once (docs/operations.md).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# /healthz checks the task queue and the dashboard's freshness at most this often per process (common.views).
HEALTHZ_CHECKS_SECONDS = env.float("HEALTHZ_CHECKS_SECONDS", default=15)
AXES_VERBOSE = False

# Staff (Bappeda, OPD, operators, instructors, superusers) confirm every sign-in with a code from an
# authenticator app (TOTP, django-otp); on first sign-in they are walked through setting it up. On by default;
# the local demo (`make run`) turns it off so its printed logins work without a phone.
STAFF_TWO_FACTOR = env.bool("STAFF_TWO_FACTOR", default=True)
# A staff session ends after this long without a request (shared office computers); residents keep Django's
# two weeks on their own phones.
STAFF_IDLE_MINUTES = env.int("STAFF_IDLE_MINUTES", default=30)
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="LatihKerja")

ROOT_URLCONF = "latihkerja.config.urls"
WSGI_APPLICATION = "latihkerja.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "latihkerja.common.context_processors.site",
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:start"
LOGOUT_REDIRECT_URL = "home"

# Bahasa Indonesia by default; English on request (cookie set by the language switch).
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
# Times as each language writes them: 08.00 in Indonesian, 08:00 in English (`TIME_FORMAT` in templates).
FORMAT_MODULE_PATH = ["latihkerja.formats"]
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Jakarta")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Uploads and generated files (imports, attendance sheets, certificate PDFs, reports) hold personal data: they
# are never served as static files, only through views that check the viewer.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))
MEDIA_URL = "media/"

CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://latihkerja")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # Redis down or stalled must not fail requests (`common.cache`): errors degrade to a miss, and a stalled
    # Redis is given up on quickly (seconds; redis-py's connection pool options).
    CACHES["default"]["BACKEND"] = "latihkerja.common.cache.FailSoftRedisCache"
    CACHES["default"].setdefault("OPTIONS", {})
    CACHES["default"]["OPTIONS"].setdefault("socket_connect_timeout", 1.0)
    CACHES["default"]["OPTIONS"].setdefault("socket_timeout", 1.0)

# Email (e.g. EMAIL_URL=smtp+tls://user:pass@smtp.example.org:587); printed to the console by default.
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="LatihKerja <noreply@localhost>")

# Background work: Django's Tasks API (backport). The ORM backend needs no extra server; the same tasks
# can move to django-tasks-rq / Celery on Redis when one machine is not enough (docs/architecture.md).
TASKS = {"default": {"BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend")}}

# Personal data (UU PDP): the NIK is stored encrypted (Fernet) with a keyed hash (HMAC-SHA256) for look-up.
# Both keys derive from NIK_KEY; rotating it needs a re-encryption (docs/operations.md).
NIK_KEY = env.str("NIK_KEY", default="")

# How long personal data is kept, in days, enforced by `manage.py purge_personal_data` (run daily; see
# docs/privacy.md). Residents: the consent text's "the programme plus 5 years" after their last class or
# application; sign-in codes: once they can no longer count against the per-phone limit.
RETENTION_DAYS = {
    "residents": env.int("RETENTION_RESIDENT_DAYS", default=5 * 365),
    "sign_in_codes": env.int("RETENTION_SIGN_IN_CODE_DAYS", default=1),
    "messages": env.int("RETENTION_MESSAGE_DAYS", default=365),
    "import_reports": env.int("RETENTION_IMPORT_REPORT_DAYS", default=90),
}

# The deployment's city: configuration, not code. Another city ships its own regions and sets these.
CITY = {
    "name": env.str("CITY_NAME", default="Kota Tangerang"),
    "region_code": env.str("CITY_REGION_CODE", default="36.71"),
    "programme_name": env.str("PROGRAMME_NAME", default="Pelatihan Kerja Berbasis Kebutuhan"),
}

# The public address, for links in messages sent outside a request (e.g. offer reminders from the worker).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

# Whose national holidays and collective leave sessions skip (`programs.holidays`; ISO 3166 code, empty: none).
# The city's own days off are added in the admin.
DAYS_OFF_COUNTRY = env.str("DAYS_OFF_COUNTRY", default="ID")

# A new centre's hall, until its operator records the real rooms.
DEFAULT_ROOM_CAPACITY = env.int("DEFAULT_ROOM_CAPACITY", default=40)

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "latihkerja.common.views.csrf_failure"  # an expired form explained, in the site's layout
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
LANGUAGE_COOKIE_SAMESITE = "Lax"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # With the offset: the app logs in TIME_ZONE (Asia/Jakarta), while a proxy or gunicorn may log in UTC.
    "formatters": {
        "plain": {
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "datefmt": "%Y-%m-%dT%H:%M:%S%z",
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "WARNING"},
    },
}

# Notifications (latihkerja.notifications.channels): a backend per channel. The console defaults suit
# development only; production sets NOTIFY_SMS_BACKEND / NOTIFY_WHATSAPP_BACKEND to the HTTP channels with
# NOTIFY_HTTP_URL and NOTIFY_HTTP_TOKEN, and Django's EMAIL_* settings for email.
NOTIFICATIONS = {
    "sms": env.str("NOTIFY_SMS_BACKEND", default="latihkerja.notifications.channels.ConsoleChannel"),
    "whatsapp": env.str(
        "NOTIFY_WHATSAPP_BACKEND", default="latihkerja.notifications.channels.ConsoleChannel"
    ),
    "email": env.str("NOTIFY_EMAIL_BACKEND", default="latihkerja.notifications.channels.EmailChannel"),
    "http": {
        "url": env.str("NOTIFY_HTTP_URL", default=""),
        "token": env.str("NOTIFY_HTTP_TOKEN", default=""),
        # The provider's JSON field names: the recipient, the text, and (a dotted path) its id in the answer.
        "to_field": env.str("NOTIFY_HTTP_TO_FIELD", default="to"),
        "text_field": env.str("NOTIFY_HTTP_TEXT_FIELD", default="text"),
        "id_field": env.str("NOTIFY_HTTP_ID_FIELD", default="id"),
    },
    "max_attempts": 5,
}
