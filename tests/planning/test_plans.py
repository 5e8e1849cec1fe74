"""Planning: the engine input from the database, a generated plan, edits flagged by rule, OPD approval and
Bappeda's approval creating batches once."""

import datetime as dt

import pytest
from django.urls import reverse

from latihkerja.audit.models import AuditEvent
from latihkerja.batches.models import Batch
from latihkerja.catalog.models import Theme
from latihkerja.centers.models import Center
from latihkerja.demand.services import verify_company
from latihkerja.planning.errors import PlanningError
from latihkerja.planning.models import PlannedBatch, PlanRun
from latihkerja.planning.services import (
    add_planned_batch,
    approve_plan,
    approve_plan_for_agency,
    build_input,
    evaluate_current,
    move_planned_batch,
    remove_planned_batch,
    send_plan,
    start_plan,
)
from latihkerja.regions.models import Kelurahan
from tests.factories import CompanyFactory, SkillDemandFactory

pytestmark = pytest.mark.integration


def test_input_counts_only_verified_demand_and_aggregates_interest_by_kelurahan(
    small_period, interest, bappeda_admin
):
    verified = CompanyFactory()
    verify_company(company=verified, actor=bappeda_admin)
    SkillDemandFactory(company=verified, headcount=7, needed_by=dt.date(2030, 3, 1))
    SkillDemandFactory(company=verified, headcount=3, needed_by=dt.date(2030, 3, 1))
    SkillDemandFactory(company=CompanyFactory(), headcount=50, needed_by=dt.date(2030, 3, 1))

    document = build_input(small_period)

    assert document["months"] == ["2030-01", "2030-02"]
    assert document["demand"] == [{"theme": "BARISTA", "headcount": 10}]
    sukarasa, cipondoh = (Kelurahan.objects.get(name=name) for name in ("Sukarasa", "Cipondoh"))
    assert document["interest"] == [
        {
            "theme": "BARISTA",
            "kelurahan": sukarasa.code,
            "kecamatan": sukarasa.kecamatan.code,
            "residents": 6,
        },
        {
            "theme": "LAS_SMAW",
            "kelurahan": cipondoh.code,
            "kecamatan": cipondoh.kecamatan.code,
            "residents": 4,
        },
    ]
    assert len(document["centers"]) == Center.objects.filter(is_active=True).count()
    assert {row["batches"] for row in document["opd_capacity"]} == {200}
    barista = next(t for t in document["themes"] if t["id"] == "BARISTA")
    assert barista == {"id": "BARISTA", "opd": "DISNAKER", "cost": 1_040_000 * 5, "capacity": 5, "minimum": 2}
    assert document["budget"] == small_period.budget


def test_generated_plan_covers_verified_demand_within_interest_when_run_in_the_background(done_plan):
    planned = sorted(
        PlannedBatch.objects.filter(plan=done_plan).values_list("theme__code", "center__kelurahan__name")
    )

    assert done_plan.status == "done"
    # Interest allows 3 barista batches (6 residents, minimum 2) and 2 welding; demand 10 = 2 batches of 5.
    assert done_plan.result["objective"] == 10
    assert [code for code, _name in planned] == ["BARISTA", "BARISTA", "BARISTA", "LAS_SMAW", "LAS_SMAW"]
    assert done_plan.result["feasible"] is False  # 99 other centres have no interested residents
    assert done_plan.result["generated"]["demand_covered"] == done_plan.result["objective"]
    assert done_plan.result["even_spread"]["demand_total"] == 10
    assert AuditEvent.objects.filter(action="plan.done", target_id=str(done_plan.pk)).count() == 1


def test_edit_that_breaks_the_interest_rule_is_kept_and_flagged(done_plan, bappeda_admin):
    center = Center.objects.get(kelurahan__name="Babakan")

    add_planned_batch(
        plan=done_plan,
        center=center,
        theme=Theme.objects.get(code="MEMBATIK"),
        month="2030-01",
        actor=bappeda_admin,
    )
    figures = evaluate_current(done_plan)

    assert [v["rule"] for v in figures["violations"]] == ["interest"]
    assert PlannedBatch.objects.filter(plan=done_plan, source="edited").count() == 1


def test_move_and_remove_are_recorded_when_the_plan_is_not_sent(done_plan, bappeda_admin):
    item = PlannedBatch.objects.filter(plan=done_plan).first()
    other = Center.objects.exclude(pk=item.center_id).first()

    move_planned_batch(planned=item, center=other, month="2030-02", actor=bappeda_admin)
    remove_planned_batch(planned=item, actor=bappeda_admin)

    assert not PlannedBatch.objects.filter(pk=item.pk).exists()
    assert list(
        AuditEvent.objects.filter(target_id=str(done_plan.pk), action__startswith="plan.batch")
        .values_list("action", flat=True)
        .order_by("pk")
    ) == ["plan.batch_moved", "plan.batch_removed"]


def test_edit_is_refused_when_the_plan_was_sent(done_plan, bappeda_admin):
    send_plan(plan=done_plan, actor=bappeda_admin)
    item = PlannedBatch.objects.filter(plan=done_plan).first()

    with pytest.raises(PlanningError) as caught:
        remove_planned_batch(planned=item, actor=bappeda_admin)

    assert caught.value.template is PlanningError.NOT_EDITABLE
    assert PlannedBatch.objects.filter(pk=item.pk).exists()


def test_last_agency_approval_creates_approved_batches_once(
    done_plan, bappeda_admin, opd_supervisor, other_opd_supervisor
):
    send_plan(plan=done_plan, actor=bappeda_admin)
    agencies = set(PlannedBatch.objects.filter(plan=done_plan).values_list("theme__agency__code", flat=True))
    assert agencies == {"DISNAKER"}  # the interest above is barista and welding, both Disnaker's

    with pytest.raises(PlanningError) as caught:
        approve_plan_for_agency(plan=done_plan, actor=other_opd_supervisor)
    approve_plan_for_agency(plan=done_plan, actor=opd_supervisor)
    approve_plan(plan=done_plan, actor=bappeda_admin)  # idempotent: already approved

    assert caught.value.template is PlanningError.NOTHING_FOR_AGENCY
    done_plan.refresh_from_db()
    batches = Batch.objects.filter(period=done_plan.period)
    assert done_plan.status == "approved"
    assert batches.count() == PlannedBatch.objects.filter(plan=done_plan).count()
    assert set(batches.values_list("status", flat=True)) == {"approved"}
    first = batches.order_by("code").first()
    assert first.code == f"2030-01-{first.center.code.removeprefix('blk-')}-1"
    assert first.starts_on in (dt.date(2030, 1, 1), dt.date(2030, 2, 1))  # both first days are working days
    assert (first.capacity, first.minimum) == (5, 2)


def test_bappeda_approval_opens_batches_in_the_public_catalogue(done_plan, bappeda_admin, client):
    approve_plan(plan=done_plan, actor=bappeda_admin, open_registration=True)

    batches = Batch.objects.filter(period=done_plan.period)
    response = client.get(reverse("batches:catalogue"))

    assert set(batches.values_list("status", flat=True)) == {"open"}
    assert response.status_code == 200
    assert PlanRun.objects.get(pk=done_plan.pk).approved_by == bappeda_admin


def test_only_bappeda_starts_a_plan(small_period, opd_supervisor):
    with pytest.raises(PlanningError) as caught:
        start_plan(period=small_period, actor=opd_supervisor)

    assert caught.value.template is PlanningError.NOT_ALLOWED
    assert not PlanRun.objects.exists()


def test_a_room_hosts_as_many_batches_a_month_as_the_period_allows_when_planning(small_period):
    small_period.batches_per_room_per_month = 3
    small_period.save()

    document = build_input(small_period)

    rooms = {center["id"]: center["rooms"] for center in document["centers"]}
    assert rooms["blk-3671011001"] == 3  # one hall, three short batches a month
