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
