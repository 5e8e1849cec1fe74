"""Every operation of the OpenAPI document, fed generated input (schemathesis): no answer is a server error,
and every answer matches what the document says (status, content type, body).

Runs each operation as three callers: nobody signed in, a resident with a profile in an open registration
window, and a verified employer. Requests go through Django's real WSGI handler, CSRF check included.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import ignored_auth

from latihkerja.api.urls import api
from tests.api.test_registration_api import API_PROFILE, signed_in

pytestmark = pytest.mark.integration

CSRF = "k" * 32

# Schema-valid input may still break a rule the document cannot express (a phone number's spelling, the NIK's
# rules): the API answers those 400 with the reason, as documented, so 400 counts as a proper answer to it.
CONFIG = SchemathesisConfig.from_dict(
    {
        "checks": {
            "positive_data_acceptance": {
                "expected-statuses": ["2xx", "400", "401", "403", "404", "409", "429"]
            }
        }
    }
)
schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1"), config=CONFIG)


def _caller_cookies(client: Client | None) -> dict[str, str]:
    cookies = {"csrftoken": CSRF}
    if client is not None:
        cookies["sessionid"] = client.cookies["sessionid"].value
    return cookies


@contextmanager
def _test_connection_kept() -> Iterator[None]:
    """Django's handler closes the database connection around each request; the test's transaction lives on
    it. Django's test client holds these signals back the same way (and connects them again after each of its
    requests, so this is done around each call)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def resident_cookies(client, open_batches) -> dict[str, str]:
    signed_in(client)
    assert client.post("/api/v1/me/profile", API_PROFILE, content_type="application/json").status_code == 201
    return _caller_cookies(client)


@pytest.fixture
def employer_cookies(client, employer) -> dict[str, str]:
    employer.company.verified_at = timezone.now()
    employer.company.save(update_fields=["verified_at"])
    client.force_login(employer)
    return _caller_cookies(client)


FUZZ = settings(
    # 30 examples per operation and caller keep the suite's run under a minute; set more to hunt deeper.
    max_examples=int(os.environ.get("LATIHKERJA_FUZZ_EXAMPLES", "30")),
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
    database=None,
    # The same examples on every run, so that a failure in CI can be replayed; LATIHKERJA_FUZZ_RANDOM=1 explores.
    derandomize=os.environ.get("LATIHKERJA_FUZZ_RANDOM") != "1",
)


def _check(case: Any, cookies: dict[str, str]) -> None:
    signed_in = "sessionid" in cookies
    if signed_in and schema.is_security_param_negated(case):
        # A case generated to go without the session cookie goes without it: it must be refused (401).
        cookies = {name: value for name, value in cookies.items() if name != "sessionid"}
    with _test_connection_kept():
        case.call_and_validate(
            app=WSGIHandler(),
            cookies=cookies,
            # The WSGI test transport does not decompress; GZipMiddleware would answer gzip to its default header.
            headers={"X-CSRFToken": CSRF, "Accept-Encoding": "identity"},
            # Its replay without credentials would still carry the cookies given here; the anonymous run covers it.
            excluded_checks=[ignored_auth] if signed_in else None,
        )


@schema.parametrize()
@FUZZ
def test_api_as_anonymous(case, db, open_batches):
    _check(case, {"csrftoken": CSRF})


@schema.parametrize()
@FUZZ
def test_api_as_resident(case, resident_cookies):
    _check(case, resident_cookies)


@schema.parametrize()
@FUZZ
def test_api_as_employer(case, employer_cookies):
    _check(case, employer_cookies)
