"""A small two-month period with interest in two kecamatan, and a plan generated for it."""

import datetime as dt

import pytest

from latihkerja.catalog.models import Theme
from latihkerja.demand.services import verify_company
from latihkerja.planning.services import start_plan
from latihkerja.regions.models import Kelurahan
from tests.factories import CompanyFactory, PeriodFactory, ResidentFactory, SkillDemandFactory


@pytest.fixture
def small_period(db):
    return PeriodFactory(
        code="2030-01",
        name="Januari–Februari 2030",
        starts_on=dt.date(2030, 1, 1),
        ends_on=dt.date(2030, 2, 28),
        trainings_per_center=1,
        batches_per_room_per_month=1,
        minimum_per_batch=2,
        maximum_per_batch=5,
    )


@pytest.fixture
def interest(db):
    """Six residents of Sukarasa want barista, four of Cipondoh want welding."""
    barista, las = Theme.objects.get(code="BARISTA"), Theme.objects.get(code="LAS_SMAW")
    for _ in range(6):
        ResidentFactory(kelurahan=Kelurahan.objects.get(name="Sukarasa")).interests.add(barista)
    for _ in range(4):
        ResidentFactory(kelurahan=Kelurahan.objects.get(name="Cipondoh")).interests.add(las)


@pytest.fixture
def done_plan(small_period, interest, bappeda_admin, django_capture_on_commit_callbacks):
    company = CompanyFactory()
    verify_company(company=company, actor=bappeda_admin)
    SkillDemandFactory(company=company, headcount=10, needed_by=dt.date(2030, 3, 1))
    with django_capture_on_commit_callbacks(execute=True):
        run = start_plan(period=small_period, actor=bappeda_admin, time_limit=5)
    run.refresh_from_db()
    return run
