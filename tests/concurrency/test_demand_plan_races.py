"""Disnaker's verification and the plan's approval pressed by several people at once: one effect, recorded once."""

import datetime as dt

import pytest

from latihkerja.audit.models import AuditEvent
from latihkerja.batches.models import Batch
from latihkerja.demand.errors import DemandError
from latihkerja.demand.models import Company
from latihkerja.demand.services import verify_company
from latihkerja.planning.errors import PlanningError
from latihkerja.planning.models import PlannedBatch, PlanRun
from latihkerja.planning.services import approve_plan, execute_plan, start_plan
from tests.concurrency.conftest import run_in_parallel
from tests.factories import CompanyFactory, SkillDemandFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_one_verification_is_recorded_when_many_supervisors_verify_a_company_at_once(
    reference_data, bappeda_admin, opd_supervisor
):
    company = CompanyFactory()
    actors = [bappeda_admin, opd_supervisor] * 10

    outcomes = run_in_parallel(
        [lambda actor=actor: verify_company(company=company, actor=actor) for actor in actors], workers=20
    )

    refused = [o for o in outcomes if isinstance(o, DemandError)]
    assert len(outcomes) - len(refused) == 1
    assert {e.template for e in refused} == {DemandError.ALREADY_VERIFIED}
    assert not [o for o in outcomes if isinstance(o, Exception) and not isinstance(o, DemandError)]
    assert Company.objects.get(pk=company.pk).verified_at is not None
    assert AuditEvent.objects.filter(action="company.verified", target_id=str(company.pk)).count() == 1


@pytest.fixture
def plans(reference_data, bappeda_admin):
    """Two finished plans of one period (a second run after a change of mind)."""
    from latihkerja.catalog.models import Theme
    from latihkerja.regions.models import Kelurahan
    from tests.factories import PeriodFactory, ResidentFactory

    period = PeriodFactory(
        code="2031-01",
        starts_on=dt.date(2031, 1, 1),
        ends_on=dt.date(2031, 2, 28),
        trainings_per_center=1,
        batches_per_room_per_month=1,
        minimum_per_batch=2,
        maximum_per_batch=5,
    )
    barista = Theme.objects.get(code="BARISTA")
    for _ in range(6):
        ResidentFactory(kelurahan=Kelurahan.objects.get(name="Sukarasa")).interests.add(barista)
    company = CompanyFactory()
    verify_company(company=company, actor=bappeda_admin)
    SkillDemandFactory(company=company, headcount=10, needed_by=dt.date(2031, 3, 1))
    runs = []
    for _ in range(2):
        run = start_plan(period=period, actor=bappeda_admin, time_limit=5)
        execute_plan(run.pk)
        runs.append(PlanRun.objects.get(pk=run.pk))
    return runs


def test_batches_are_created_once_when_bappeda_approves_the_same_plan_many_times_at_once(
    plans, bappeda_admin
):
    plan = plans[0]
    planned = PlannedBatch.objects.filter(plan=plan).count()

    outcomes = run_in_parallel(
        [lambda: approve_plan(plan=plan, actor=bappeda_admin) for _ in range(12)], workers=12
    )

    assert not [o for o in outcomes if isinstance(o, Exception)]
    assert planned > 0
    assert Batch.objects.filter(period=plan.period).count() == planned
    assert PlanRun.objects.get(pk=plan.pk).status == "approved"


def test_only_one_plan_of_a_period_is_approved_when_two_are_approved_at_once(plans, bappeda_admin):
    outcomes = run_in_parallel(
        [lambda plan=plan: approve_plan(plan=plan, actor=bappeda_admin) for plan in plans * 4], workers=8
    )

    approved = PlanRun.objects.filter(period=plans[0].period, status="approved")
    assert approved.count() == 1
    refused = [o for o in outcomes if isinstance(o, Exception)]
    assert refused
    assert all(isinstance(o, PlanningError) for o in refused)
    assert (
        Batch.objects.filter(period=plans[0].period).count()
        == PlannedBatch.objects.filter(plan=approved.get()).count()
    )


def test_the_same_need_declared_many_times_at_once_is_stored_once_and_the_rest_told_why(
    reference_data, employer
):
    from latihkerja.catalog.models import Theme
    from latihkerja.demand.models import SkillDemand
    from latihkerja.demand.services import declare_demand

    company = employer.company
    need = {
        "company": company,
        "actor": employer,
        "theme": Theme.objects.get(code="BARISTA"),
        "occupation_code": "",
        "headcount": 12,
        "needed_by": dt.date.today() + dt.timedelta(days=90),
        "kecamatan": company.kecamatan,
    }

    outcomes = run_in_parallel([lambda: declare_demand(**need)] * 30, workers=30)

    refused = [o for o in outcomes if isinstance(o, DemandError)]
    assert len(outcomes) - len(refused) == 1
    assert {e.template for e in refused} == {DemandError.DUPLICATE}
    assert not [o for o in outcomes if isinstance(o, Exception) and not isinstance(o, DemandError)]
    assert SkillDemand.objects.filter(company=company).count() == 1
    assert AuditEvent.objects.filter(action="demand.declared").count() == 1
