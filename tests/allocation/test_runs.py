"""Runs: reproducible from seed and input, cancelled batches re-matched, published into offers and wait lists."""

import datetime as dt
import io

import pytest
from django.utils import timezone

from latihkerja.allocation.errors import AllocationError
from latihkerja.allocation.models import AllocationRun, Placement, WaitlistEntry
from latihkerja.allocation.services import execute_run, publish_run, start_run
from latihkerja.audit.models import AuditEvent
from latihkerja.batches.models import Batch, Enrollment
from latihkerja.centers.models import Center
from latihkerja.notifications.models import Message
from tests.allocation.helpers import applicant, closed_period, computed_run, published_run
from tests.factories import BatchFactory

pytestmark = pytest.mark.integration


def placements(run):
    return list(
        Placement.objects.filter(run=run)
        .order_by("application_id")
        .values_list(
            "application_id", "batch_id", "choice_rank", "priority_group", "locality", "lottery", "key"
        )
    )


@pytest.fixture
def market(db):
    """Two batches of 3 seats; 8 applicants of mixed groups, all ranking A then B."""
    period = closed_period()
    a = BatchFactory(code="a", period=period, capacity=3, minimum=1)
    b = BatchFactory(
        code="b", period=period, capacity=3, minimum=1, center=Center.objects.get(kelurahan__name="Cipondoh")
    )
    statuses = ["bekerja", "menganggur", "phk", "pelajar", "dirumahkan", "menganggur", "phk", "usaha"]
    apps = [applicant(period, [a, b], employment=s, name=f"Pelamar {n}") for n, s in enumerate(statuses)]
    return period, a, b, apps


def test_rerun_gives_identical_placements_and_inputs_hash_when_the_seed_and_input_are_the_same(
    market, bappeda_admin
):
    period, *_ = market

    first = computed_run(period, bappeda_admin, seed="sama")
    second = computed_run(period, bappeda_admin, seed="sama")
    other = computed_run(period, bappeda_admin, seed="lain")

    assert first.status == second.status == "done"
    assert first.inputs_hash == second.inputs_hash
    assert len(first.inputs_hash) == 64
    assert placements(first) == placements(second)
    assert first.engine_version == "1"
    assert other.inputs_hash != first.inputs_hash
    assert [p[5] for p in placements(other)] != [p[5] for p in placements(first)]


def test_laid_off_come_before_unemployed_before_others_when_a_batch_is_full(market, bappeda_admin):
    period, a, b, apps = market

    run = computed_run(period, bappeda_admin)

    got = dict(Placement.objects.filter(run=run).values_list("application_id", "batch_id"))
    laid_off = [x.pk for x in apps if x.resident.employment_status in ("phk", "dirumahkan")]
    unemployed = [x.pk for x in apps if x.resident.employment_status == "menganggur"]
    others = [x.pk for x in apps if x.resident.employment_status in ("bekerja", "pelajar", "usaha")]
    assert [got[pk] for pk in laid_off] == [a.pk, a.pk, a.pk]
    assert [got[pk] for pk in unemployed] == [b.pk, b.pk]
    assert sorted(got[pk] is None for pk in others) == [False, True, True]
    assert run.metrics["engine"]["assigned"] == 6
    assert run.metrics["cancelled"] == []
    assert set(run.metrics["comparison"]) == {"da", "fcfs", "welfare"}
    assert run.progress == 100


def test_batch_under_its_minimum_is_cancelled_and_its_applicants_get_their_next_choice_when_published(
    bappeda_admin,
):
    period = closed_period()
    small = BatchFactory(code="kecil", period=period, capacity=5, minimum=3)
    big = BatchFactory(code="besar", period=period, capacity=5, minimum=2)
    moved = [applicant(period, [small, big]) for _ in range(2)]
    stayed = [applicant(period, [big]) for _ in range(2)]

    run = published_run(period, bappeda_admin)

    assert run.metrics["cancelled"] == ["kecil"]
    assert Batch.objects.get(pk=small.pk).status == "cancelled"
    assert Batch.objects.get(pk=big.pk).status == "allocated"
    assert sorted(
        Placement.objects.filter(run=run, application__in=moved).values_list("batch__code", "choice_rank")
    ) == [("besar", 2), ("besar", 2)]
    assert Enrollment.objects.filter(batch=big, status="offered").count() == 4
    assert len(stayed) == 2
    reasons = {
        e.target_id: e.detail["reason"]
        for e in AuditEvent.objects.filter(action="batch.status", detail__to="cancelled")
    }
    assert reasons == {str(small.pk): "Peserta kurang dari minimum"}


def test_publish_creates_one_offer_per_placement_and_counts_them_as_taken_seats_when_the_run_is_done(
    market, bappeda_admin
):
    period, _a, _b, _apps = market
    empty = BatchFactory(code="kosong", period=period, capacity=5, minimum=0)

    run = published_run(period, bappeda_admin)

    offers = Enrollment.objects.filter(run=run, status="offered")
    assert run.status == "published"
    assert offers.count() == 6
    assert {(x.code, x.seats_taken, x.status) for x in Batch.objects.filter(period=period)} == {
        ("a", 3, "allocated"),
        ("b", 3, "allocated"),
        ("kosong", 0, "cancelled"),
    }
    assert {o.respond_by for o in offers} == {run.published_at + dt.timedelta(days=3)}
    messages = Message.objects.filter(kind="offer")
    assert messages.count() == 6
    assert "https://latihkerja.example/akun/saya/" in messages.first().body
    assert empty.pk in run.metrics["batch_ids"]


def test_wait_lists_hold_everyone_who_ranked_the_batch_higher_in_key_order_when_published(
    market, bappeda_admin
):
    period, a, b, _apps = market

    run = published_run(period, bappeda_admin)

    waiting_a = list(WaitlistEntry.objects.filter(run=run, batch=a).order_by("position"))
    assert [e.position for e in waiting_a] == [1, 2, 3, 4, 5]
    assert [e.key for e in waiting_a] == sorted(e.key for e in waiting_a)
    assert [int(e.key // 3) for e in waiting_a] == [1, 1, 2, 2, 2]
    assert WaitlistEntry.objects.filter(run=run, batch=b).count() == 2


def test_run_fails_with_the_reason_when_the_stored_policy_is_invalid(market, bappeda_admin):
    period, *_ = market
    run = AllocationRun.objects.create(
        period=period,
        mechanism="da",
        seed="x",
        policy={"groups": [["bos"]]},
        offer_response_days=3,
        engine_version="1",
    )

    execute_run(run.pk)

    run.refresh_from_db()
    assert run.status == "failed"
    assert (
        run.error
        == "AllocationError: Kebijakan prioritas periode ini tidak sah: unknown employment status 'bos'"
    )
    assert Placement.objects.filter(run=run).count() == 0


def test_executing_a_finished_run_again_changes_nothing_when_it_is_done(market, bappeda_admin):
    period, *_ = market
    run = computed_run(period, bappeda_admin)
    before = placements(run)

    again = execute_run(run.pk)

    assert again.status == "done"
    assert placements(again) == before


def test_start_is_refused_when_the_actor_is_not_bappeda(market, operator_blk_a):
    period, *_ = market

    with pytest.raises(AllocationError) as error:
        start_run(period=period, mechanism="da", seed="x", actor=operator_blk_a)

    assert error.value.message == "Hanya Bappeda yang dapat menjalankan dan mengumumkan alokasi kursi."
    assert AllocationRun.objects.count() == 0


@pytest.mark.parametrize(
    ("mechanism", "seed", "message"),
    [
        ("lotre", "x", "Mekanisme “lotre” tidak dikenal."),
        (
            "da",
            "benih dengan spasi",
            "Benih undian harus 1–64 huruf, angka, titik, garis bawah atau tanda hubung.",
        ),
        ("da", "", "Benih undian harus 1–64 huruf, angka, titik, garis bawah atau tanda hubung."),
    ],
)
def test_start_is_refused_with_a_message_when_the_input_is_bad(
    market, bappeda_admin, mechanism, seed, message
):
    period, *_ = market

    with pytest.raises(AllocationError) as error:
        start_run(period=period, mechanism=mechanism, seed=seed, actor=bappeda_admin)

    assert error.value.message == message
    assert AllocationRun.objects.count() == 0


def test_start_is_refused_when_a_run_of_the_period_is_already_published(market, bappeda_admin):
    period, *_ = market
    published_run(period, bappeda_admin)

    with pytest.raises(AllocationError) as error:
        start_run(period=period, mechanism="da", seed="lagi", actor=bappeda_admin)

    assert (
        error.value.message == "Hasil alokasi periode ini sudah diumumkan; hitungan baru tidak dapat dibuat."
    )
    assert AllocationRun.objects.count() == 1


def test_a_second_start_while_the_same_run_is_still_computing_returns_that_run(market, bappeda_admin):
    period, *_ = market

    # Outside a committed transaction the background job is not started: the run stays queued.
    first = start_run(period=period, mechanism="da", seed="klik", actor=bappeda_admin)
    again = start_run(period=period, mechanism="da", seed="klik", actor=bappeda_admin)
    other_seed = start_run(period=period, mechanism="da", seed="klik-2", actor=bappeda_admin)
    other_mechanism = start_run(period=period, mechanism="fcfs", seed="klik", actor=bappeda_admin)

    assert again == first
    assert len({first.pk, other_seed.pk, other_mechanism.pk}) == 3
    assert AuditEvent.objects.filter(action="allocation.run_started").count() == 3
    AllocationRun.objects.filter(pk=first.pk).update(status="done")
    assert start_run(period=period, mechanism="da", seed="klik", actor=bappeda_admin) != first


def test_publish_is_refused_while_registration_is_open_when_the_run_was_a_preview(market, bappeda_admin):
    period, *_ = market
    period.registration_closes_at = timezone.now() + dt.timedelta(days=1)
    period.save()
    run = computed_run(period, bappeda_admin)

    with pytest.raises(AllocationError) as error:
        publish_run(run=run, actor=bappeda_admin)

    assert error.value.message.startswith("Pendaftaran periode ini masih dibuka sampai ")
    assert AllocationRun.objects.get(pk=run.pk).status == "done"
    assert Enrollment.objects.count() == 0


def test_publish_is_refused_when_applications_changed_after_the_run(market, bappeda_admin):
    period, a, b, _apps = market
    run = computed_run(period, bappeda_admin)
    applicant(period, [b])

    with pytest.raises(AllocationError) as error:
        publish_run(run=run, actor=bappeda_admin)

    assert error.value.message == (
        "Data pendaftaran atau kelas berubah sejak hitungan ini dibuat. Jalankan hitungan baru lalu tinjau lagi."
    )
    assert Enrollment.objects.count() == 0
    assert Batch.objects.get(pk=a.pk).status == "open"


def test_publish_is_refused_when_the_mechanism_is_only_a_comparison(market, bappeda_admin):
    period, *_ = market
    run = computed_run(period, bappeda_admin, mechanism="welfare")

    with pytest.raises(AllocationError) as error:
        publish_run(run=run, actor=bappeda_admin)

    assert error.value.message == (
        "Hanya hasil mekanisme penerimaan tertunda (DA) yang dapat diumumkan; mekanisme lain untuk pembanding."
    )
    assert AllocationRun.objects.get(pk=run.pk).status == "done"


def test_second_publish_is_refused_when_the_run_is_already_published(market, bappeda_admin):
    period, *_ = market
    run = published_run(period, bappeda_admin)

    with pytest.raises(AllocationError) as error:
        publish_run(run=run, actor=bappeda_admin)

    assert (
        error.value.message == "Hanya hitungan yang sudah selesai dan belum diumumkan yang dapat diumumkan."
    )
    assert Enrollment.objects.count() == 6


def test_applicants_who_already_hold_a_seat_in_the_period_are_left_out_of_a_run(market, bappeda_admin):
    from tests.factories.reports import make_enrollment

    period, _a, _b, apps = market
    earlier = BatchFactory(code="lebih-dulu", period=period, status="running")
    make_enrollment(apps[0].resident, earlier)  # a seat of an earlier run, or taken first come

    run = computed_run(period, bappeda_admin)

    placed = set(Placement.objects.filter(run=run).values_list("application_id", flat=True))
    assert apps[0].pk not in placed  # not counted as an applicant left without a seat
    assert placed == {app.pk for app in apps[1:]}
    assert run.metrics["engine"]["applicants"] == 7


def test_a_class_nobody_chose_is_cancelled_for_having_no_applicants_not_for_too_few(market, bappeda_admin):
    period, _a, _b, _apps = market
    unchosen = BatchFactory(code="sepi", period=period, capacity=5, minimum=3)
    few = BatchFactory(code="sedikit", period=period, capacity=5, minimum=3)
    applicant(period, [few], employment="phk", name="Satu-satunya")

    published_run(period, bappeda_admin)

    reasons = {
        event.target_id: event.detail["reason"]
        for event in AuditEvent.objects.filter(action="batch.status")
        if event.detail["to"] == "cancelled"
    }
    assert reasons[str(unchosen.pk)] == "Tidak ada pendaftar"
    assert reasons[str(few.pk)] == "Peserta kurang dari minimum"


def test_applicants_left_without_a_seat_are_told_by_sms_when_the_result_is_published(market, bappeda_admin):
    period, _a, _b, apps = market

    run = published_run(period, bappeda_admin)

    unplaced = set(
        Placement.objects.filter(run=run, batch__isnull=True).values_list("application_id", flat=True)
    )
    told = Message.objects.filter(kind="no_seat")
    assert len(unplaced) == 2  # 8 applicants, 6 seats
    assert told.count() == 2
    assert {m.resident_id for m in told} == {app.resident_id for app in apps if app.pk in unplaced}
    assert "https://latihkerja.example/akun/saya/" in told.first().body


def test_a_run_or_publication_abandoned_by_its_worker_is_put_back_so_it_can_be_done_again(
    market, bappeda_admin
):
    """A worker that died (or lost its database) left a run `running` and a publication `publishing` for good;
    the same public seed could not be started again (resilience review)."""
    from django.core.management import call_command

    period, *_ = market
    stuck = start_run(period=period, mechanism="da", seed="benih-umum", actor=bappeda_admin)
    busy = start_run(period=period, mechanism="fcfs", seed="benih-umum", actor=bappeda_admin)
    publishing = computed_run(period, bappeda_admin, seed="benih-lain")
    long_ago = timezone.now() - dt.timedelta(minutes=31)
    AllocationRun.objects.filter(pk=stuck.pk).update(status="running", updated_at=long_ago)
    AllocationRun.objects.filter(pk=busy.pk).update(status="running", updated_at=timezone.now())
    AllocationRun.objects.filter(pk=publishing.pk).update(status="publishing", updated_at=long_ago)

    call_command("recover_stalled_work", stdout=io.StringIO())
    again = start_run(period=period, mechanism="da", seed="benih-umum", actor=bappeda_admin)

    statuses = dict(AllocationRun.objects.values_list("pk", "status"))
    assert (statuses[stuck.pk], statuses[busy.pk], statuses[publishing.pk]) == ("failed", "running", "done")
    assert AllocationRun.objects.get(pk=stuck.pk).error.startswith("Hitungan terhenti karena pekerja latar")
    assert AllocationRun.objects.get(pk=publishing.pk).error.startswith("Pengumuman terhenti")
    assert again.pk not in (stuck.pk, busy.pk)  # a new run of the same seed, not the abandoned one
    assert Enrollment.objects.count() == 0  # nothing was published
    assert AuditEvent.objects.filter(action="allocation.run_interrupted").count() == 2
