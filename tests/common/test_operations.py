import os
import subprocess
import sys
from unittest import mock

import pytest
from django.db import DatabaseError

pytestmark = pytest.mark.integration


def test_healthz_is_ok_when_the_database_answers(client, db):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_is_503_when_the_database_is_unreachable(client, db):
    with mock.patch("latihkerja.common.views.connection.cursor", side_effect=DatabaseError("down")):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unreachable"}


@pytest.mark.parametrize(
    ("secret", "nik_key", "database", "message"),
    [
        ("", "k" * 40, "postgres://db/lk", "SECRET_KEY must be set"),
        ("s" * 60, "", "postgres://db/lk", "NIK_KEY must be set"),
        ("s" * 60, "k" * 40, "", "DATABASE_URL must be set"),  # not the embedded SQLite file by default
    ],
)
def test_production_settings_refuse_to_start_without_secrets_when_missing(secret, nik_key, database, message):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "latihkerja.config.settings.prod",
        "SECRET_KEY": secret,
        "NIK_KEY": nik_key,
        "ALLOWED_HOSTS": "example.org",
        "DATABASE_URL": database,
    }
    if not database:
        del env["DATABASE_URL"]

    result = subprocess.run(
        [sys.executable, "manage.py", "check"], env=env, capture_output=True, text=True, check=False
    )

    assert result.returncode != 0
    assert message in result.stderr


def test_favicon_request_is_sent_to_the_shipped_icon_when_asked(client, db):
    response = client.get("/favicon.ico")

    assert response.status_code == 301
    assert response.url == "/static/favicon.svg"


def test_healthz_says_degraded_but_stays_200_when_the_shared_cache_is_unreachable(client, db, settings):
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.CACHES = {
        "default": {
            "BACKEND": "latihkerja.common.cache.FailSoftRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_connect_timeout": 1.0, "socket_timeout": 1.0},
        }
    }

    response = client.get("/healthz")

    assert response.status_code == 200  # pages still work: a load balancer keeps the server
    assert response.json() == {"status": "degraded", "database": "ok", "cache": "unreachable"}


def test_healthz_says_the_worker_is_late_when_queued_work_waits_too_long(client, db, settings):
    """A stopped worker left SMS codes and imports waiting while /healthz said ok (resilience review)."""
    import datetime as dt

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from latihkerja.notifications.tasks import retry_failed_messages

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    retry_failed_messages.using(backend="default").enqueue()
    fresh = client.get("/healthz").json()
    DBTaskResult.objects.update(enqueued_at=timezone.now() - dt.timedelta(minutes=6))

    late = client.get("/healthz").json()

    assert fresh["status"] == "ok"
    assert late["status"] == "degraded"
    assert late["worker"] == "late"
    assert late["oldest_queued_seconds"] >= 360


def test_healthz_does_not_count_bulk_messages_waiting_their_turn_as_a_late_worker(client, db, settings):
    """A publication's SMS wait an hour or two behind each other by design: that is not an outage (diff
    review)."""
    import datetime as dt

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from latihkerja.notifications.services import BULK_PRIORITY
    from latihkerja.notifications.tasks import deliver_messages

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    deliver_messages.using(priority=BULK_PRIORITY).enqueue([1, 2, 3])
    DBTaskResult.objects.update(enqueued_at=timezone.now() - dt.timedelta(minutes=90))

    assert client.get("/healthz").json() == {"status": "ok", "database": "ok"}


def test_healthz_says_the_reports_are_late_when_no_refresher_computes_a_live_period(client, db):
    """The set-up review never started `refresh_reports`: the dashboard kept saying 'computing' while /healthz
    said ok."""
    import datetime as dt

    from django.utils import timezone

    from latihkerja.reports.models import FigureRefresh
    from latihkerja.reports.services import refresh_all
    from tests.factories import PeriodFactory

    period = PeriodFactory(ends_on=timezone.localdate() + dt.timedelta(days=30))
    never = client.get("/healthz").json()
    refresh_all()
    fresh = client.get("/healthz").json()
    FigureRefresh.objects.filter(period=period).update(refreshed_at=timezone.now() - dt.timedelta(minutes=11))
    stale = client.get("/healthz").json()

    assert (never["status"], never["reports"]) == ("degraded", "late")
    assert fresh == {"status": "ok", "database": "ok"}
    assert (stale["status"], stale["reports"]) == ("degraded", "late")


def test_healthz_checks_background_work_at_most_every_few_seconds_per_process(
    client, db, settings, monkeypatch
):
    """A load balancer probes every few seconds: each probe stays one SELECT 1 between the checks."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from latihkerja.common import views

    monkeypatch.setattr(views, "_checked", None)
    settings.HEALTHZ_CHECKS_SECONDS = 60
    client.get("/healthz")  # checks, and keeps the result

    with CaptureQueriesContext(connection) as queries:
        body = client.get("/healthz").json()

    assert body["status"] == "ok"
    assert [q["sql"] for q in queries.captured_queries] == ["SELECT 1"]
