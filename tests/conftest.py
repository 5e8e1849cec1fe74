"""Personas (one per role, plus outsiders) and the shipped reference data, loaded once per test database."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.utils import translation

from latihkerja.accounts.enums import Role
from latihkerja.accounts.models import User
from latihkerja.agencies.services import load_agencies
from latihkerja.batches.enums import BatchStatus
from latihkerja.catalog.services import load_catalog
from latihkerja.centers.models import Center
from latihkerja.centers.services import create_default_centers
from latihkerja.regions.models import Kecamatan
from latihkerja.regions.services import load_regions
from tests.factories import BatchFactory, PeriodFactory, UserFactory, agency

PASSWORD = "rahasia-123"


def load_reference_data() -> None:
    load_regions()
    load_agencies()
    load_catalog()
    create_default_centers()


@pytest.fixture(autouse=True)
def default_language() -> Iterator[None]:
    """Each test starts in the default language. LocaleMiddleware activates a request's language in the thread
    and leaves it active, so one English request would make every later test's messages English."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    with django_db_blocker.unblock():
        load_reference_data()
    yield
    if connection.vendor == "postgresql":
        # A connection can outlive its test: once the session's browser has run, a later test's connection was
        # seen left open (idle after ROLLBACK, no other thread alive), apparently not the wrapper that
        # pytest-django closes; Playwright's sync API switches greenlets, and Django's connections are
        # context-local. PostgreSQL then refuses to drop a database "being accessed by other users".
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )


@pytest.fixture
def reference_data(db: Any) -> None:
    """For transactional tests, whose flush removes the session's reference data."""
    if not Kecamatan.objects.exists():
        load_reference_data()


@pytest.fixture
def period(db: Any) -> Any:
    return PeriodFactory()


@pytest.fixture
def open_batches(period: Any) -> list[Any]:
    """Four open batches in three kecamatan and a draft, for registration tests."""
    centers = {name: Center.objects.get(kelurahan__name=name) for name in ("Sukarasa", "Cipondoh", "Babakan")}
    return [
        BatchFactory(code="reg-1", center=centers["Sukarasa"], status=BatchStatus.OPEN),
        BatchFactory(code="reg-2", center=centers["Sukarasa"], status=BatchStatus.OPEN),
        BatchFactory(code="reg-3", center=centers["Cipondoh"], status=BatchStatus.OPEN),
        BatchFactory(code="reg-4", center=centers["Babakan"], status=BatchStatus.OPEN),
        BatchFactory(code="reg-draft", center=centers["Babakan"], status=BatchStatus.DRAFT),
    ]


@pytest.fixture
def center_a(reference_data: None) -> Center:
    return Center.objects.get(kelurahan__name="Sukarasa")


@pytest.fixture
def center_b(reference_data: None) -> Center:
    return Center.objects.get(kelurahan__name="Cipondoh")


@pytest.fixture
def bappeda_admin(db: Any) -> User:
    return UserFactory(username="bappeda", role=Role.BAPPEDA, is_staff=True)


@pytest.fixture
def opd_supervisor(reference_data: None) -> User:
    return UserFactory(username="opd.disnaker", role=Role.OPD, agency=agency("DISNAKER"), is_staff=True)


@pytest.fixture
def other_opd_supervisor(reference_data: None) -> User:
    return UserFactory(username="opd.disbudpar", role=Role.OPD, agency=agency("DISBUDPAR"), is_staff=True)


@pytest.fixture
def operator_blk_a(center_a: Center) -> User:
    return UserFactory(username="operator.a", role=Role.OPERATOR, center=center_a, is_staff=True)


@pytest.fixture
def operator_blk_b(center_b: Center) -> User:
    return UserFactory(username="operator.b", role=Role.OPERATOR, center=center_b, is_staff=True)


@pytest.fixture
def instructor(db: Any) -> User:
    return UserFactory(username="instruktur", role=Role.INSTRUCTOR, is_staff=True)


@pytest.fixture
def employer(reference_data: None) -> User:
    from tests.factories import CompanyFactory

    return UserFactory(username="pemberikerja", role=Role.EMPLOYER, company=CompanyFactory())


@pytest.fixture
def resident(db: Any) -> User:
    return UserFactory(username="warga", role=Role.RESIDENT)


@pytest.fixture
def other_resident(db: Any) -> User:
    return UserFactory(username="warga.lain", role=Role.RESIDENT)


@pytest.fixture
def login(client: Client) -> Callable[[User], Client]:
    def _login(user: User) -> Client:
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def chromium_path() -> str | None:
    return os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's chromium driven by Playwright (no browser download). Skipped, with the reason, without it."""
    path = chromium_path()
    if path is None:
        pytest.skip(
            "browser tests skipped: no chromium on this machine (apt-get install chromium; .ci/run does)"
        )
    sync_api = pytest.importorskip("playwright.sync_api")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=path,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield instance
        instance.close()


@pytest.fixture(autouse=True)
def _empty_cache() -> Any:
    """Counters kept in the cache (rate limits) start from zero in every test: ids are reused across tests."""
    from django.core.cache import cache

    yield
    cache.clear()
