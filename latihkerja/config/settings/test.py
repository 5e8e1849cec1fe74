"""The test suite: fast hashing, in-process task execution, fixed keys. DATABASE_URL picks SQLite or PostgreSQL."""

from .base import *  # noqa: F403
from .base import DATABASES, NOTIFICATIONS, env

SECRET_KEY = "test-secret-key-not-for-production"  # noqa: S105
NIK_KEY = "test-nik-key-not-for-production"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tests sign staff in directly; tests/accounts/test_two_factor.py turns the second step on.
STAFF_TWO_FACTOR = False
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" and env.str("DATABASE_URL", "").endswith(
    ":memory:"
):
    DATABASES["default"]["OPTIONS"] = {}

# Notifications stay in memory (latihkerja.notifications.channels.outbox); nothing leaves the test run.
NOTIFICATIONS = {
    **NOTIFICATIONS,
    "sms": "latihkerja.notifications.channels.LocmemChannel",
    "whatsapp": "latihkerja.notifications.channels.LocmemChannel",
    "email": "latihkerja.notifications.channels.LocmemChannel",
}

# Each test sees /healthz's checks of the moment, not those of an earlier test.
HEALTHZ_CHECKS_SECONDS = 0

# Tests date sessions from today: a real holiday on such a day would change what they schedule. The tests of
# the national calendar turn it on with `settings.DAYS_OFF_COUNTRY = "ID"`.
DAYS_OFF_COUNTRY = ""
