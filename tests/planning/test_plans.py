"""Planning: the engine input from the database, a generated plan, edits flagged by rule, OPD approval and
Bappeda's approval creating batches once."""

import datetime as dt

import pytest
from django.urls import reverse

from latihkerja.audit.models import AuditEvent
from latihkerja.batches.enums import BatchStatus
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
    batch_start,
    build_input,
    evaluate_current,
    move_planned_batch,
    remove_planned_batch,
    send_plan,
    start_plan,
)
from latihkerja.regions.models import Kelurahan
from tests.factories import BatchFactory, CompanyFactory, PeriodFactory, SkillDemandFactory

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


def test_approved_classes_are_placed_in_their_centres_largest_room(done_plan, bappeda_admin):
    """A small room listed first took every class of its centre, too small for it under the health protocol."""
    from latihkerja.centers.models import Room

    center = PlannedBatch.objects.filter(plan=done_plan).first().center
    Room.objects.create(center=center, name="Ruang kecil", capacity=8)
    hall = Room.objects.create(center=center, name="Aula besar", capacity=80)

    approve_plan(plan=done_plan, actor=bappeda_admin)

    assert set(
        Batch.objects.filter(period=done_plan.period, center=center).values_list("room", flat=True)
    ) == {hall.pk}


def test_bappeda_approval_opens_batches_in_the_public_catalogue(done_plan, bappeda_admin, client):
    approve_plan(plan=done_plan, actor=bappeda_admin, open_registration=True)

    batches = Batch.objects.filter(period=done_plan.period)
    response = client.get(reverse("batches:catalogue"))

    assert set(batches.values_list("status", flat=True)) == {"open"}
    assert response.status_code == 200
    assert PlanRun.objects.get(pk=done_plan.pk).approved_by == bappeda_admin


def test_classes_opened_by_approving_a_plan_tell_the_residents_who_wanted_them(
    done_plan, bappeda_admin, django_capture_on_commit_callbacks
):
    """The `interest` fixture: six residents of Sukarasa want barista, four of Cipondoh want welding (all on
    one phone number); the generated plan seats both."""
    with django_capture_on_commit_callbacks(execute=True):
        approve_plan(plan=done_plan, actor=bappeda_admin, open_registration=True)

    from latihkerja.notifications.models import Message

    opened = set(Batch.objects.filter(period=done_plan.period).values_list("theme__code", flat=True))
    assert opened == {"BARISTA", "LAS_SMAW"}
    assert Message.objects.filter(kind="classes_open").count() == 10


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


# --- Months that have passed and batches that already exist ---------------------------------------------------


def test_only_months_in_which_a_new_batch_can_still_start_are_planned(db):
    today = dt.date(2026, 11, 29)  # a Sunday
    period = PeriodFactory(
        code="2026-11",
        starts_on=dt.date(2026, 11, 1),
        ends_on=dt.date(2027, 1, 31),
        registration_closes_at=dt.datetime(2026, 12, 5, 23, 59, tzinfo=dt.UTC),
    )

    starts = {month: batch_start(period, month, today) for month in ("2026-11", "2026-12", "2027-01")}

    assert starts == {
        "2026-11": None,  # over: no day left after registration closes
        "2026-12": dt.date(2026, 12, 7),  # the first working day after registration closes on 5 December
        "2027-01": dt.date(2027, 1, 1),
    }


def test_a_month_too_short_for_the_shortest_batch_is_not_planned(db):
    period = PeriodFactory(
        code="2031-01",
        starts_on=dt.date(2031, 1, 1),
        ends_on=dt.date(2031, 2, 3),  # a Monday: no room for three working days in February
        registration_closes_at=dt.datetime(2030, 12, 20, tzinfo=dt.UTC),
    )

    assert batch_start(period, "2031-02", dt.date(2030, 12, 1)) is None
    assert batch_start(period, "2031-01", dt.date(2030, 12, 1)) == dt.date(2031, 1, 1)


def test_batches_the_period_already_has_are_what_the_plan_adds_to(small_period, interest):
    company = CompanyFactory()
    company.verified_at = company.created_at
    company.save()
    SkillDemandFactory(
        company=company, theme=Theme.objects.get(code="BARISTA"), headcount=12, needed_by=dt.date(2030, 3, 1)
    )
    sukarasa = Center.objects.get(code="blk-3671011001")
    BatchFactory(
        period=small_period,
        center=sukarasa,
        theme=Theme.objects.get(code="BARISTA"),
        capacity=5,
        minimum=2,
        starts_on=dt.date(2030, 1, 6),
        ends_on=dt.date(2030, 1, 10),
    )
    BatchFactory(
        period=small_period,
        center=sukarasa,
        status="cancelled",
        starts_on=dt.date(2030, 1, 6),
        ends_on=dt.date(2030, 1, 10),
    )
    before = build_input(small_period, count_existing=False)

    document = build_input(small_period)

    targets = {center["id"]: center["trainings"] for center in document["centers"]}
    assert targets["blk-3671011001"] == 0  # its one training exists; the cancelled one does not count
    assert targets["blk-3671011002"] == 1
    assert document["demand"] == [{"theme": "BARISTA", "headcount": 7}]  # 12 needed, 5 seated already
    barista = Theme.objects.get(code="BARISTA")
    assert (
        document["budget"] == before["budget"] - barista.cost_per_participant * small_period.maximum_per_batch
    )
    january = {(row["opd"], row["month"]): row["batches"] for row in document["opd_capacity"]}
    old = {(row["opd"], row["month"]): row["batches"] for row in before["opd_capacity"]}
    assert january[("DISNAKER", "2030-01")] == old[("DISNAKER", "2030-01")] - 1
    assert january[("DISNAKER", "2030-02")] == old[("DISNAKER", "2030-02")]


def test_a_plan_is_refused_when_every_centre_already_has_its_trainings(small_period, bappeda_admin):
    for center in Center.objects.filter(is_active=True):
        BatchFactory(
            period=small_period, center=center, starts_on=dt.date(2030, 1, 6), ends_on=dt.date(2030, 1, 10)
        )

    with pytest.raises(PlanningError) as caught:
        start_plan(period=small_period, actor=bappeda_admin)

    assert caught.value.template is PlanningError.NOTHING_TO_PLAN
    assert not PlanRun.objects.exists()


def test_a_plan_starts_when_a_centres_only_training_was_cancelled(small_period, bappeda_admin):
    centers = list(Center.objects.filter(is_active=True).order_by("pk"))
    for center in centers:
        BatchFactory(
            period=small_period,
            center=center,
            starts_on=dt.date(2030, 1, 6),
            ends_on=dt.date(2030, 1, 10),
            status=BatchStatus.CANCELLED if center == centers[-1] else BatchStatus.OPEN,
        )

    run = start_plan(period=small_period, actor=bappeda_admin)

    assert run.status == "queued"


def test_a_plan_is_refused_when_no_month_is_left(bappeda_admin):
    period = PeriodFactory(code="2020-10", starts_on=dt.date(2020, 10, 1), ends_on=dt.date(2020, 12, 31))

    with pytest.raises(PlanningError) as caught:
        start_plan(period=period, actor=bappeda_admin)

    assert caught.value.template is PlanningError.NO_MONTHS_LEFT


def test_approval_is_refused_when_a_planned_month_has_passed_meanwhile(done_plan, bappeda_admin):
    PlannedBatch.objects.filter(pk=PlannedBatch.objects.filter(plan=done_plan).first().pk).update(
        month="2029-12"
    )

    with pytest.raises(PlanningError) as caught:
        approve_plan(plan=done_plan, actor=bappeda_admin)

    assert caught.value.template is PlanningError.MONTHS_PASSED
    assert "Des 2029" in caught.value.message
    assert not Batch.objects.filter(period=done_plan.period).exists()
    assert PlanRun.objects.get(pk=done_plan.pk).status == "done"


def test_approved_batches_start_after_registration_closes_and_end_within_the_period(done_plan, bappeda_admin):
    period = done_plan.period
    period.registration_closes_at = dt.datetime(2030, 1, 14, 12, tzinfo=dt.UTC)  # a Monday
    period.save()
    PlannedBatch.objects.filter(plan=done_plan).update(month="2030-01")

    approve_plan(plan=done_plan, actor=bappeda_admin)

    batches = Batch.objects.filter(period=period)
    assert batches.exists()
    assert {b.starts_on for b in batches} == {dt.date(2030, 1, 15)}
    assert all(b.ends_on <= period.ends_on for b in batches)


def test_rule_sentences_name_themes_and_write_rupiah_the_readers_way(db):
    from django.utils import translation

    from latihkerja.planning.explain import display_names, explain_rule

    entry = {"rule": "budget", "used": 1_820_000_000, "limit": 1_500_000_000, "over": 320_000_000}
    theme_entry = {
        "rule": "interest",
        "theme": "FOTOGRAFI",
        "kecamatan": "36.71.01",
        "batches": 1,
        "needed": 2,
        "residents": 0,
    }
    with translation.override("en"):
        names = display_names()
        budget = explain_rule(entry, names)
        interest = explain_rule(theme_entry, names)
    indonesian = explain_rule(entry, display_names())

    assert "Rp 1,820,000,000" in budget
    assert "Rp 1.820.000.000" in indonesian
    assert "Photography" in interest


def test_a_plan_of_an_unannounced_period_cannot_open_registration_nobody_could_see(done_plan, bappeda_admin):
    period = done_plan.period
    period.is_published = False
    period.save()

    with pytest.raises(PlanningError) as caught:
        approve_plan(plan=done_plan, actor=bappeda_admin, open_registration=True)
    approve_plan(plan=done_plan, actor=bappeda_admin)

    assert caught.value.template is PlanningError.PERIOD_NOT_PUBLISHED
    assert set(Batch.objects.filter(period=period).values_list("status", flat=True)) == {"approved"}


def test_an_opd_returns_a_sent_plan_with_a_note_and_bappeda_can_edit_it_again(
    done_plan, bappeda_admin, opd_supervisor, other_opd_supervisor
):
    from django.utils import timezone

    from latihkerja.planning.services import return_plan

    send_plan(plan=done_plan, actor=bappeda_admin)
    # An approval already given is cleared too: the plan will change.
    PlannedBatch.objects.filter(plan=done_plan).update(
        approved_by_opd_at=timezone.now(), approved_by_opd=opd_supervisor
    )

    with pytest.raises(PlanningError) as no_reason:
        return_plan(plan=done_plan, actor=opd_supervisor, reason="  ")
    with pytest.raises(PlanningError) as too_long:
        return_plan(plan=done_plan, actor=opd_supervisor, reason="x" * 1001)
    with pytest.raises(PlanningError) as not_theirs:
        return_plan(plan=done_plan, actor=other_opd_supervisor, reason="Bukan urusan kami")
    return_plan(plan=done_plan, actor=opd_supervisor, reason="Instruktur las kami penuh pada Januari.")

    assert no_reason.value.template is PlanningError.RETURN_REASON_REQUIRED
    assert too_long.value.message == "Catatan untuk Bappeda paling panjang 1000 karakter."
    assert not_theirs.value.template is PlanningError.NOTHING_FOR_AGENCY
    done_plan.refresh_from_db()
    assert done_plan.status == "done"
    assert not PlannedBatch.objects.filter(plan=done_plan, approved_by_opd_at__isnull=False).exists()
    item = PlannedBatch.objects.filter(plan=done_plan).first()
    remove_planned_batch(planned=item, actor=bappeda_admin)  # editable again
    event = AuditEvent.objects.get(action="plan.returned")
    assert event.detail["reason"] == "Instruktur las kami penuh pada Januari."


def test_the_admin_shows_an_opd_a_sent_plan_without_the_citys_solver_data(
    done_plan, bappeda_admin, opd_supervisor, login
):
    """The solver's input holds every agency's costs and capacities, the budget and the interest counts per
    kelurahan: Bappeda's. An OPD reads its own classes on its planning page."""
    send_plan(plan=done_plan, actor=bappeda_admin)
    url = reverse("admin:planning_planrun_change", args=[done_plan.pk])

    opd_page = login(opd_supervisor).get(url)
    bappeda_page = login(bappeda_admin).get(url)

    assert opd_page.status_code == bappeda_page.status_code == 200
    assert "field-status" in opd_page.content.decode()
    assert "field-input" not in opd_page.content.decode()
    assert "field-result" not in opd_page.content.decode()
    assert "field-input" in bappeda_page.content.decode()


def test_a_class_bappeda_approved_without_its_opd_says_so_on_its_page(
    done_plan, bappeda_admin, opd_supervisor, login
):
    """Bappeda may approve over an OPD that has not answered (the question names those OPDs); the class's page
    then keeps that visible, instead of reading "approved" like the others."""
    from django.utils import timezone

    send_plan(plan=done_plan, actor=bappeda_admin)
    items = list(PlannedBatch.objects.filter(plan=done_plan).order_by("pk"))
    assert len(items) >= 2
    PlannedBatch.objects.filter(pk=items[0].pk).update(
        approved_by_opd_at=timezone.now(), approved_by_opd=opd_supervisor
    )
    approve_plan(plan=done_plan, actor=bappeda_admin)
    created = [PlannedBatch.objects.get(pk=item.pk).batch for item in items[:2]]
    Batch.objects.filter(pk__in=[b.pk for b in created]).update(status=BatchStatus.ALLOCATED)
    client = login(bappeda_admin)

    approved, not_approved = (
        client.get(reverse("training:batch", args=[b.code])).content.decode() for b in created
    )

    assert f"oleh {opd_supervisor.username}" in approved or opd_supervisor.get_full_name() in approved
    assert "tidak disetujui OPD" not in approved
    assert (
        "tidak disetujui OPD: Bappeda menyetujui rencana tanpa persetujuan OPD untuk kelas ini"
        in not_approved
    )


def test_bappeda_opens_every_class_its_opds_approved_in_one_step(
    done_plan, bappeda_admin, opd_supervisor, login, client
):
    """After the OPDs approve, the classes wait as "approved": opening them one by one would be 520 clicks."""
    send_plan(plan=done_plan, actor=bappeda_admin)
    approve_plan_for_agency(plan=done_plan, actor=opd_supervisor)
    page = login(bappeda_admin).get(reverse("planning:review", args=[done_plan.pk])).content.decode()

    response = client.post(reverse("planning:open-registration", args=[done_plan.pk]), follow=True)

    batches = Batch.objects.filter(period=done_plan.period)
    assert 'id="waiting-to-open"' in page
    assert set(batches.values_list("status", flat=True)) == {"open"}
    assert [str(m) for m in response.context["messages"]] == [
        f"Pendaftaran dibuka untuk {batches.count()} kelas."
    ]
    assert AuditEvent.objects.filter(action="batch.status", detail__to="open").count() == batches.count()


def test_opening_a_plans_classes_is_refused_before_approval_and_to_an_opd(
    done_plan, bappeda_admin, opd_supervisor
):
    from latihkerja.planning.services import open_plan_registration

    with pytest.raises(PlanningError) as early:
        open_plan_registration(plan=done_plan, actor=bappeda_admin)
    with pytest.raises(PlanningError) as opd:
        open_plan_registration(plan=done_plan, actor=opd_supervisor)

    assert early.value.template is PlanningError.NOT_APPROVED_YET
    assert opd.value.template is PlanningError.NOT_ALLOWED


def test_a_plan_abandoned_by_its_worker_fails_with_the_reason_and_an_unchecked_demand_upload_is_checked(
    small_period, bappeda_admin, django_capture_on_commit_callbacks
):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.utils import timezone

    from latihkerja.demand.imports import create_import
    from latihkerja.demand.models import DemandImport

    stuck = PlanRun.objects.create(period=small_period, created_by=bappeda_admin, status="running")
    busy = PlanRun.objects.create(period=small_period, created_by=bappeda_admin, status="running")
    upload = create_import(
        uploaded_by=bappeda_admin,
        upload=SimpleUploadedFile("k.csv", b"nib,tema,jumlah,paling_lambat,kecamatan\n"),
    )  # its check was never run (the task is enqueued only on commit)
    long_ago = timezone.now() - dt.timedelta(minutes=31)
    PlanRun.objects.filter(pk=stuck.pk).update(updated_at=long_ago)
    DemandImport.objects.filter(pk=upload.pk).update(updated_at=long_ago)

    with django_capture_on_commit_callbacks(execute=True):
        call_command("recover_stalled_work", stdout=io.StringIO())

    stuck.refresh_from_db()
    assert (stuck.status, stuck.error) == (
        "failed",
        "Perhitungan rencana terhenti karena pekerja latar berhenti. Buat rencana lagi.",
    )
    assert PlanRun.objects.get(pk=busy.pk).status == "running"
    assert DemandImport.objects.get(pk=upload.pk).status == "invalid"  # checked at last: a header alone
