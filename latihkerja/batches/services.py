"""State changes of a batch. The only place where `Batch.status` is written."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from latihkerja.audit.services import record_event

from .enums import TRANSITIONS, BatchStatus
from .errors import BatchError
from .models import Batch
from .rules import can_transition


def change_batch_status(*, batch: Batch, to: str, actor: Any, reason: str = "") -> Batch:
    """Move `batch` to status `to` if the life-cycle allows it and `actor` may do it.

    A cancellation needs a reason: it reaches the participants and the supervising agency.

    The update is conditional on the status the caller saw (`UPDATE … WHERE status = old`), so two people
    acting at once cannot both succeed from the same state: the second gets `CHANGED_MEANWHILE`.
    """
    if to not in BatchStatus.values:
        raise BatchError(BatchError.UNKNOWN_STATUS, target=to)
    current = batch.status
    if to not in TRANSITIONS[current]:
        raise BatchError(
            BatchError.ILLEGAL_TRANSITION,
            current=BatchStatus(current).label,
            target=BatchStatus(to).label,
        )
    if not can_transition(actor, batch, to):
        raise BatchError(BatchError.NOT_ALLOWED, target=BatchStatus(to).label)
    if to == BatchStatus.CANCELLED and not reason.strip():
        raise BatchError(BatchError.REASON_REQUIRED)
    with transaction.atomic():
        updated = Batch.objects.filter(pk=batch.pk, status=current).update(status=to)
        if updated != 1:
            raise BatchError(BatchError.CHANGED_MEANWHILE)
        record_event(
            actor=actor,
            action="batch.status",
            target=batch,
            detail={"from": current, "to": to, "reason": reason},
        )
    batch.status = to
    return batch
