"""The same submit arriving several times at once (a double click, a reloaded form): one record, one job."""

import datetime as dt
from types import SimpleNamespace

import pytest

from latihkerja.allocation import tasks
from latihkerja.allocation.models import AllocationRun
from latihkerja.allocation.services import start_run
from latihkerja.demand.errors import DemandError
from latihkerja.demand.models import Vacancy
from latihkerja.demand.services import post_vacancy
from latihkerja.regions.models import Kecamatan
from latihkerja.reports import tasks as report_tasks
from latihkerja.reports.enums import Scope
from latihkerja.reports.models import ReportExport
from latihkerja.reports.services import request_export
from latihkerja.training.errors import TrainingError
from latihkerja.training.models import SupervisionVisit
from latihkerja.training.services import record_supervision_visit
from tests.allocation.helpers import applicant, closed_period
from tests.concurrency.conftest import run_in_parallel
from tests.factories import BatchFactory
from tests.factories.training import delivery_batch

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_ten_identical_starts_at_once_queue_one_run(reference_data, bappeda_admin, monkeypatch):
    period = closed_period()
    batch = BatchFactory(code="kelas", period=period, capacity=5, minimum=1)
    applicant(period, [batch])
    # Keep every run queued, as while a worker is busy: the race is between the starts, not the computation.
    monkeypatch.setattr(tasks, "execute_allocation_run", SimpleNamespace(enqueue=lambda run_id: None))

    outcomes = run_in_parallel(
        [lambda: start_run(period=period, mechanism="da", seed="sama", actor=bappeda_admin)] * 10, workers=10
    )

    assert all(isinstance(o, AllocationRun) for o in outcomes), outcomes
    assert AllocationRun.objects.count() == 1
    assert {o.pk for o in outcomes} == {AllocationRun.objects.get().pk}


def test_ten_identical_export_requests_at_once_queue_one_file(reference_data, bappeda_admin, monkeypatch):
    period = closed_period()
    monkeypatch.setattr(report_tasks, "build_report_export", SimpleNamespace(enqueue=lambda export_id: None))

    def ask():
        return request_export(period=period, scope=Scope.CITY, scope_id=0, format="xlsx", actor=bappeda_admin)

    outcomes = run_in_parallel([ask] * 10, workers=10)

    assert all(isinstance(o, ReportExport) for o in outcomes), outcomes
    assert ReportExport.objects.count() == 1
    assert {o.pk for o in outcomes} == {ReportExport.objects.get().pk}


def test_the_same_vacancy_posted_ten_times_at_once_is_kept_once(employer):
    opening = {
        "company": employer.company,
        "actor": employer,
        "title": "Barista",
        "theme": None,
        "count": 3,
        "kecamatan": Kecamatan.objects.order_by("code").first(),
        "salary_min": 4_000_000,
        "salary_max": 5_000_000,
        "deadline": dt.date.today() + dt.timedelta(days=30),
    }

    outcomes = run_in_parallel([lambda: post_vacancy(**opening)] * 10, workers=10)

    assert sum(isinstance(o, Vacancy) for o in outcomes) == 1
    assert {o.template for o in outcomes if not isinstance(o, Vacancy)} == {DemandError.VACANCY_DUPLICATE}
    assert Vacancy.objects.count() == 1


def test_the_same_visit_recorded_ten_times_at_once_is_kept_once(reference_data, opd_supervisor):
    batch = delivery_batch()
    visit = {
        "batch": batch,
        "visited_on": dt.date(2020, 10, 5),
        "rating": 4,
        "notes": "Rapi",
        "actor": opd_supervisor,
    }

    outcomes = run_in_parallel([lambda: record_supervision_visit(**visit)] * 10, workers=10)

    assert sum(isinstance(o, SupervisionVisit) for o in outcomes) == 1
    assert {o.template for o in outcomes if not isinstance(o, SupervisionVisit)} == {
        TrainingError.VISIT_DUPLICATE
    }
    assert SupervisionVisit.objects.count() == 1
