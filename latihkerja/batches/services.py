"""State changes of a batch. The only place where `Batch.status` is written."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import formats, timezone, translation

from latihkerja.audit.services import record_event
from latihkerja.programs.models import Period

from .enums import TRANSITIONS, BatchStatus
from .errors import BatchError
from .models import SEAT_HOLDING_STATUSES, Batch, Enrollment, EnrollmentSource, EnrollmentStatus
from .rules import can_transition

logger = logging.getLogger(__name__)


def change_batch_status(*, batch: Batch, to: str, actor: Any, reason: str = "") -> Batch:
    """Move `batch` to status `to` if the life-cycle allows it and `actor` may do it.

    A cancellation needs a reason: it reaches the participants and the supervising agency.

    The update is conditional on the status the caller saw (`UPDATE … WHERE status = old`), so two people
    acting at once cannot both succeed from the same state: the second gets `CHANGED_MEANWHILE`.

    Cancelling a batch that already holds seats (pending offers or participants) releases every seat in the
    same transaction and tells each holder by SMS, so nobody waits for a class that will not run and each can
    take a remaining seat elsewhere.
    """
    if to not in BatchStatus.values:
        raise BatchError(BatchError.UNKNOWN_STATUS, target=to)
    if to in _BY_TRAINING:
        raise BatchError(_BY_TRAINING[to])
    return _transition(batch=batch, to=to, actor=actor, reason=reason)


# The moves the training makes and nobody makes by hand, with what a person asking for one is told. A class runs
# when a session of it starts (`training.services.start_session`, or one recorded from its paper sheet): set by
# hand, the catalogue called a class running that had not met. Completing is closing: outcomes and certificates
# come with it (`training.services.close_batch`).
_BY_TRAINING: dict[str, Any] = {
    BatchStatus.RUNNING: BatchError.RUN_IN_TRAINING,
    BatchStatus.COMPLETED: BatchError.CLOSE_IN_TRAINING,
}
SET_BY_TRAINING = frozenset(_BY_TRAINING)


def mark_running(*, batch: Batch, actor: Any) -> Batch:
    """Move an allocated batch to running; only for `training.services`, when its first session starts or is
    recorded as held."""
    return _transition(batch=batch, to=BatchStatus.RUNNING, actor=actor, reason="")


def mark_completed(*, batch: Batch, actor: Any) -> Batch:
    """Move a running batch to completed; only for `training.services.close_batch`, which decides the outcomes
    in the same transaction."""
    return _transition(batch=batch, to=BatchStatus.COMPLETED, actor=actor, reason="")


def _transition(*, batch: Batch, to: str, actor: Any, reason: str) -> Batch:
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
    if to == BatchStatus.ALLOCATED:
        closes = Period.objects.values_list("registration_closes_at", flat=True).get(pk=batch.period_id)
        if timezone.now() < closes:
            # Seats are shared out after registration closes (the published allocation does this move).
            raise BatchError(
                BatchError.REGISTRATION_STILL_OPEN,
                closes=formats.date_format(timezone.localtime(closes), "DATETIME_FORMAT"),
            )
    with transaction.atomic():
        updated = Batch.objects.filter(pk=batch.pk, status=current).update(status=to)
        if updated != 1:
            raise BatchError(BatchError.CHANGED_MEANWHILE)
        released = _release_seats_of_cancelled(batch, reason) if to == BatchStatus.CANCELLED else 0
        record_event(
            actor=actor,
            action="batch.status",
            target=batch,
            detail={"from": current, "to": to, "reason": reason, "seats_released": released},
        )
        if to == BatchStatus.OPEN:
            announce_opening(batch.period_id)
    batch.status = to
    return batch


def announce_opening(period_id: int) -> None:
    """After the commit, tell residents who asked for the themes of the period's open classes nearby that they
    can now choose them (`registration.services.notify_interested`). Called for every class that opens, by a
    transition or created open; one task per transaction and period, however many classes it opened (a plan
    opens 520 at once)."""
    from latihkerja.registration.tasks import notify_interested_task  # registration builds on batches

    key = ("announce_opening", period_id)
    # Each entry is (savepoint ids, callback, robust); the list empties at commit and at rollback.
    if any(getattr(entry[1], "once_key", None) == key for entry in connection.run_on_commit):
        return

    def enqueue() -> None:
        notify_interested_task.enqueue(period_id)

    enqueue.once_key = key  # type: ignore[attr-defined]
    # robust: the class is open; a queue that is down must not undo that or turn it into an error page (the
    # hourly `notify_interested` job catches up).
    transaction.on_commit(enqueue, robust=True)


def _release_seats_of_cancelled(batch: Batch, reason: str) -> int:
    """Runs inside `change_batch_status`'s transaction, after the batch left every seat-taking status, so no
    new seat can be taken meanwhile (`take_open_seat` and wait-list promotion require allocated or running)."""
    holders = list(
        Enrollment.objects.filter(batch=batch, status__in=SEAT_HOLDING_STATUSES)
        .select_related("resident__user", "batch__theme")
        .order_by("pk")
    )
    if not holders:
        return 0
    Enrollment.objects.filter(pk__in=[e.pk for e in holders]).update(status=EnrollmentStatus.CANCELLED)
    Batch.objects.filter(pk=batch.pk).update(seats_taken=F("seats_taken") - len(holders))
    url = settings.SITE_URL.rstrip("/") + reverse("batches:catalogue")
    for enrollment in holders:
        _notify_cancelled(enrollment, reason, url)
    return len(holders)


def _notify_cancelled(enrollment: Enrollment, reason: str, url: str) -> None:
    from latihkerja.notifications.enums import Kind
    from latihkerja.notifications.errors import NotificationError
    from latihkerja.notifications.services import queue_message

    resident = enrollment.resident
    language = resident.language
    with translation.override(language):
        batch_name = enrollment.batch.theme.display_name  # in the resident's language, as the rest of the SMS
    try:
        queue_message(
            channel="sms",
            recipient=resident.phone,
            kind=Kind.CLASS_CANCELLED,
            context={"batch": batch_name, "reason": reason.strip(), "url": url},
            language=language,
            resident=resident,
            dedupe_key=f"batch-cancelled-{enrollment.pk}",
        )
    except NotificationError as error:  # an unusable number must not block the cancellation (logged)
        logger.warning("enrollment %s: no cancellation message sent: %s", enrollment.pk, error.message)


# Seats left after allocation are offered first come, first served while the batch is allocated or running.
FCFS_STATUSES = (BatchStatus.ALLOCATED, BatchStatus.RUNNING)


def take_open_seat(*, batch: Batch, resident: Any, actor: Any) -> Enrollment:
    """Give `resident` one of `batch`'s remaining seats, or say it is full. Never overbooks.

    The seat is consumed by one conditional UPDATE (`seats_taken + 1 WHERE seats_taken < capacity`), which the
    database executes atomically per row, so any number of parallel requests on the last seats leave exactly
    `capacity` taken; the `batch_never_overbooked` constraint is the backstop. The enrollment row's partial
    unique constraint keeps one seat (offered or active) per resident per period; if it fails, the whole
    transaction (including the seat) rolls back. Seats held by pending allocation offers count as taken, so
    first come, first served only ever gets what nobody was offered. A running class stops taking late joiners
    once they could no longer meet its attendance rule (`BatchQuerySet.with_late_join`).
    """
    # Session hours are summed only for a running class (the other statuses never match the status filter).
    running = Batch.objects.filter(pk=batch.pk, status=BatchStatus.RUNNING)
    if running.with_late_join().filter(late_join_open=False).exists():
        raise BatchError(BatchError.TOO_LATE)
    try:
        with transaction.atomic():
            # The seat row is locked from the UPDATE to the commit, so the UPDATE comes last: the inserts before
            # it do not extend the time a hot batch is held (measured in docs/bench-registration.md).
            enrollment = Enrollment.objects.create(
                batch=batch, period_id=batch.period_id, resident=resident, source=EnrollmentSource.FCFS
            )
            record_event(
                actor=actor, action="enrollment.fcfs", target=enrollment, detail={"batch": batch.code}
            )
            taken = Batch.objects.filter(
                pk=batch.pk, status__in=FCFS_STATUSES, seats_taken__lt=F("capacity")
            ).update(seats_taken=F("seats_taken") + 1)
            if taken != 1:
                status = Batch.objects.filter(pk=batch.pk).values_list("status", flat=True).first()
                raise BatchError(BatchError.FULL if status in FCFS_STATUSES else BatchError.NOT_TAKING_SEATS)
    except IntegrityError as error:
        raise BatchError(BatchError.ALREADY_SEATED) from error
    return enrollment


def announce_new_dates(*, batch: Batch, starts_was: Any, ends_was: Any, actor: Any) -> int:
    """After a class's start or end date was changed by hand (the admin), tell everyone holding a seat — an
    offer not yet answered included — by SMS in their language, once per new pair of dates, and audit the
    change. Returns how many messages were queued."""
    if (batch.starts_on, batch.ends_on) == (starts_was, ends_was):
        return 0
    record_event(
        actor=actor,
        action="batch.dates_changed",
        target=batch,
        detail={
            "from": [str(starts_was), str(ends_was)],
            "to": [batch.starts_on.isoformat(), batch.ends_on.isoformat()],
        },
    )

    def change() -> str:
        return translation.gettext("kelas berlangsung %(start)s sampai %(end)s") % {
            "start": formats.date_format(batch.starts_on, "j F Y"),
            "end": formats.date_format(batch.ends_on, "j F Y"),
        }

    return tell_seat_holders(
        batch=batch,
        statuses=SEAT_HOLDING_STATUSES,
        change=change,
        key=f"batch-dates-{batch.pk}-{batch.starts_on:%Y%m%d}-{batch.ends_on:%Y%m%d}",
        url=settings.SITE_URL.rstrip("/") + reverse("accounts:start"),
    )


def tell_seat_holders(
    *,
    batch: Batch,
    statuses: Sequence[str],
    change: Callable[[], str],
    key: str,
    url: str,
    first: bool = False,
) -> int:
    """Queue the "schedule changed" SMS to each enrollment of `batch` in `statuses`, written in the resident's
    language (`change()` is called with it active), once per `key` and enrollment. An unusable phone number
    must not undo the change: it is logged. Returns how many messages were queued."""
    from latihkerja.notifications.enums import Kind
    from latihkerja.notifications.errors import NotificationError
    from latihkerja.notifications.services import queue_message

    holders = (
        Enrollment.objects.filter(batch=batch, status__in=statuses)
        .select_related("resident__user", "batch__theme")
        .order_by("pk")
    )
    sent = 0
    for enrollment in holders:
        resident = enrollment.resident
        with translation.override(resident.language):  # the whole message in their language, the class's too
            text = change()
            name = enrollment.batch.theme.display_name
        try:
            queue_message(
                channel="sms",
                recipient=resident.phone,
                kind=Kind.SCHEDULE_CHANGED,
                context={"batch": name, "change": text, "url": url, "first": first},
                language=resident.language,
                resident=resident,
                dedupe_key=f"{key}-{enrollment.pk}",
            )
        except NotificationError as error:
            logger.warning("batch %s: no message to enrollment %s: %s", batch.pk, enrollment.pk, error)
        else:
            sent += 1
    return sent
