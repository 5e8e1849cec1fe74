import datetime as dt

import pytest
from django.utils import timezone

from latihkerja.audit.models import AuditEvent
from latihkerja.batches.enums import BatchStatus
from latihkerja.batches.errors import BatchError
from latihkerja.batches.models import Batch
from latihkerja.batches.services import change_batch_status, mark_completed, mark_running
from latihkerja.programs.models import Period
from tests.factories import BatchFactory

pytestmark = pytest.mark.integration


def registration_closed(batch):
    Period.objects.filter(pk=batch.period_id).update(
        registration_closes_at=timezone.now() - dt.timedelta(minutes=1)
    )
    return batch


def test_bappeda_walks_a_batch_through_its_whole_life_cycle_when_each_step_is_legal(bappeda_admin):
    batch = registration_closed(BatchFactory(status=BatchStatus.DRAFT))

    for target in ["approved", "open", "allocated"]:
        change_batch_status(batch=batch, to=target, actor=bappeda_admin)
    mark_running(batch=batch, actor=bappeda_admin)  # what starting its first session does
    mark_completed(batch=batch, actor=bappeda_admin)  # what closing the batch does, after its outcomes

    batch.refresh_from_db()
    assert batch.status == "completed"
    assert list(
        AuditEvent.objects.filter(target_id=str(batch.pk))
        .order_by("at", "pk")
        .values_list("detail__to", flat=True)
    ) == ["approved", "open", "allocated", "running", "completed"]


def test_seats_are_not_shared_out_by_hand_while_registration_is_open(bappeda_admin):
    batch = BatchFactory(status=BatchStatus.OPEN)

    with pytest.raises(BatchError) as error:
        change_batch_status(batch=batch, to="allocated", actor=bappeda_admin)

    assert error.value.message.startswith("Pendaftaran periode ini masih dibuka sampai ")
    assert Batch.objects.get(pk=batch.pk).status == "open"


def test_completing_is_left_to_closing_the_batch_which_decides_the_outcomes(bappeda_admin):
    batch = BatchFactory(status=BatchStatus.RUNNING)

    with pytest.raises(BatchError) as error:
        change_batch_status(batch=batch, to="completed", actor=bappeda_admin)

    assert error.value.message == str(BatchError.CLOSE_IN_TRAINING)
    assert Batch.objects.get(pk=batch.pk).status == "running"
    assert AuditEvent.objects.count() == 0


def test_illegal_transition_is_refused_with_a_clear_message_when_skipping_steps(bappeda_admin):
    batch = BatchFactory(status=BatchStatus.DRAFT)

    with pytest.raises(BatchError) as error:
        change_batch_status(batch=batch, to="allocated", actor=bappeda_admin)

    assert error.value.message == "Status kelas tidak dapat diubah dari “Draf” ke “Kursi dibagikan”."
    batch.refresh_from_db()
    assert batch.status == "draft"
    assert AuditEvent.objects.count() == 0


@pytest.mark.parametrize("final", ["completed", "cancelled"])
def test_final_states_accept_no_transition_when_reached(bappeda_admin, final):
    batch = BatchFactory(status=final)

    for target in BatchStatus.values:
        with pytest.raises(BatchError):
            change_batch_status(batch=batch, to=target, actor=bappeda_admin)

    assert Batch.objects.get(pk=batch.pk).status == final


def test_unknown_status_is_refused_when_requested(bappeda_admin):
    batch = BatchFactory(status=BatchStatus.OPEN)

    with pytest.raises(BatchError) as error:
        change_batch_status(batch=batch, to="published", actor=bappeda_admin)

    assert error.value.message == "Status “published” tidak dikenal."


def test_opd_approves_only_its_own_agencys_batches_when_asked(opd_supervisor, other_opd_supervisor):
    batch = BatchFactory(status=BatchStatus.DRAFT)  # BARISTA is supervised by Disnaker

    with pytest.raises(BatchError) as error:
        change_batch_status(batch=batch, to="approved", actor=other_opd_supervisor)
    change_batch_status(batch=batch, to="approved", actor=opd_supervisor)

    assert error.value.message == "Anda tidak berwenang mengubah status kelas ini ke “Disetujui”."
    assert Batch.objects.get(pk=batch.pk).status == "approved"


def test_only_the_own_centres_operator_starts_a_batch_when_its_session_starts(
    operator_blk_a, operator_blk_b, center_a
):
    batch = BatchFactory(center=center_a, status=BatchStatus.ALLOCATED)

    with pytest.raises(BatchError):
        mark_running(batch=batch, actor=operator_blk_b)
    mark_running(batch=batch, actor=operator_blk_a)

    assert Batch.objects.get(pk=batch.pk).status == "running"


def test_stale_status_loses_when_someone_changed_it_meanwhile(bappeda_admin):
    batch = BatchFactory(status=BatchStatus.DRAFT)
    stale = Batch.objects.get(pk=batch.pk)
    change_batch_status(batch=batch, to="approved", actor=bappeda_admin)

    with pytest.raises(BatchError) as error:
        change_batch_status(batch=stale, to="cancelled", actor=bappeda_admin, reason="Peminat kurang")

    assert error.value.message == "Status kelas sudah diubah orang lain. Muat ulang halaman lalu coba lagi."
    assert Batch.objects.get(pk=batch.pk).status == "approved"


@pytest.mark.parametrize("reason", ["", "   "])
def test_cancelling_needs_a_reason_when_none_is_given(bappeda_admin, reason):
    batch = BatchFactory(status=BatchStatus.OPEN)

    with pytest.raises(BatchError) as error:
        change_batch_status(batch=batch, to="cancelled", actor=bappeda_admin, reason=reason)

    assert error.value.message == "Tuliskan alasan pembatalan: peserta dan OPD akan membacanya."
    assert Batch.objects.get(pk=batch.pk).status == "open"


def test_cancellation_reason_is_kept_in_the_audit_trail_when_cancelled(opd_supervisor):
    batch = BatchFactory(status=BatchStatus.APPROVED)

    change_batch_status(batch=batch, to="cancelled", actor=opd_supervisor, reason="Instruktur tidak tersedia")

    event = AuditEvent.objects.get(target_id=str(batch.pk))
    assert (event.actor, event.action, event.detail) == (
        opd_supervisor,
        "batch.status",
        {"from": "approved", "to": "cancelled", "reason": "Instruktur tidak tersedia", "seats_released": 0},
    )
