"""Reads of running trainings, scoped by viewer. Staff see sessions of the batches `Batch.objects.for_user`
lets them see; a resident sees only sessions of batches where they hold an active seat."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from latihkerja.batches.enums import BatchStatus
from latihkerja.batches.models import SEAT_HOLDING_STATUSES, Batch, Enrollment, EnrollmentStatus

from .enums import AttendanceMethod, SessionModality, SessionStatus
from .models import Attendance, ChecklistSignOff, SessionQuerySet, SupervisionVisit, TrainingSession

# Batches with something to deliver or report on.
DELIVERY_PAGE_STATUSES = (BatchStatus.ALLOCATED, BatchStatus.RUNNING, BatchStatus.COMPLETED)


def delivery_batches(user: Any) -> QuerySet[Batch]:
    """Batches a staff member runs or supervises, in delivery, with their session counts."""
    return (
        Batch.objects.for_user(user)
        .filter(status__in=DELIVERY_PAGE_STATUSES)
        .select_related("theme", "center", "period")
        .annotate(
            session_count=Count(
                "sessions", filter=~Q(sessions__status=SessionStatus.CANCELLED), distinct=True
            ),
            held_count=Count("sessions", filter=Q(sessions__status=SessionStatus.HELD), distinct=True),
        )
        .order_by("starts_on", "code")
    )


def batch_for(user: Any, code: str) -> Batch | None:
    return (
        Batch.objects.for_user(user)
        .filter(code=code, status__in=DELIVERY_PAGE_STATUSES)
        .select_related("theme__agency", "center", "period", "room")
        .first()
    )


def sessions_visible_to(user: Any) -> QuerySet[TrainingSession]:
    return TrainingSession.objects.for_user(user).select_related(
        "batch__theme__agency", "batch__center", "batch__period", "room", "checklist"
    )


def sessions_of(batch: Batch) -> QuerySet[TrainingSession]:
    return (
        TrainingSession.objects.filter(batch=batch)
        .select_related("room", "checklist")
        .annotate(attending=Count("attendances", filter=Q(attendances__status__in=["present", "late"])))
        .order_by("number")
    )


def participants_of(batch: Batch) -> QuerySet[Enrollment]:
    return (
        Enrollment.objects.filter(batch=batch, status=EnrollmentStatus.ACTIVE)
        .select_related("resident__kelurahan")
        .order_by("resident__full_name", "pk")
    )


# The seat list of a class: offers awaiting an answer first (by deadline: those are the ones to follow up), then
# participants, then offers and seats that ended (latest first).
@dataclass(frozen=True)
class SeatList:
    capacity: int
    taken: int
    offered: list[Enrollment]
    active: list[Enrollment]
    ended: list[Enrollment]

    @property
    def free(self) -> int:
        return max(self.capacity - self.taken, 0)


def seat_list(batch: Batch) -> SeatList:
    """Everyone offered or holding a seat in `batch`, and those whose offer or seat ended, in one query."""
    rows = list(
        Enrollment.objects.filter(batch=batch)
        .select_related("resident__kelurahan")
        .order_by("resident__full_name", "pk")
    )
    offered = [e for e in rows if e.status == EnrollmentStatus.OFFERED]
    offered.sort(key=lambda e: e.respond_by or e.created_at)  # an offer always has a deadline (a constraint)
    ended = sorted(
        (e for e in rows if e.status not in SEAT_HOLDING_STATUSES), key=lambda e: e.updated_at, reverse=True
    )
    return SeatList(
        capacity=batch.capacity,
        taken=batch.seats_taken,
        offered=offered,
        active=[e for e in rows if e.status == EnrollmentStatus.ACTIVE],
        ended=ended,
    )


def with_namesakes(enrollments: Iterable[Enrollment]) -> list[Enrollment]:
    """`enrollments` with `namesake` set on each whose resident shares their name with another in the list:
    the roll and the test results then show a phone number's last digits and the birth year too (relatives
    may share a phone), so that a mark or a pass meant for one of two "Dewi Setiawan" (and the certificate
    resting on it) does not go to the other."""
    listed = list(enrollments)
    keys = [" ".join(e.resident.full_name.casefold().split()) for e in listed]
    counts = Counter(keys)
    for e, key in zip(listed, keys, strict=True):
        e.namesake = counts[key] > 1  # type: ignore[attr-defined]
    return listed


def roll_call(session: TrainingSession) -> list[tuple[Enrollment, Attendance | None]]:
    """Each active participant with their attendance of `session` (or None), in two queries."""
    records = {
        a.enrollment_id: a
        for a in Attendance.objects.filter(session=session).prefetch_related("corrections__changed_by")
    }
    return [(e, records.get(e.pk)) for e in with_namesakes(participants_of(session.batch))]


def started_by(now: dt.datetime) -> Q:
    """Sessions whose start time (in the city's time) has come by `now`."""
    local = timezone.localtime(now)
    return Q(date__lt=local.date()) | Q(date=local.date(), starts_at__lte=local.time())


def due_luring_sessions(now: dt.datetime) -> SessionQuerySet:
    """Luring sessions that needed a health-protocol sign-off by `now`: not cancelled, and started, held or past
    their start time. The dashboard's compliance is the signed share of these; the rest are flagged."""
    return (
        TrainingSession.objects.filter(modality=SessionModality.LURING)
        .exclude(status=SessionStatus.CANCELLED)
        .filter(Q(status__in=(SessionStatus.STARTED, SessionStatus.HELD)) | started_by(now))
    )


def flagged_sessions(user: Any, now: dt.datetime | None = None) -> QuerySet[TrainingSession]:
    """The due luring sessions (`due_luring_sessions`) in `user`'s scope that have no health-protocol sign-off."""
    return (
        due_luring_sessions(now or timezone.now())
        .for_user(user)
        .filter(checklist__isnull=True)
        .select_related("batch__theme", "batch__center", "room")
        .order_by("date", "starts_at")
    )


def participant_sessions(resident: Any) -> QuerySet[TrainingSession]:
    """The resident's schedule: sessions of every batch where they hold an active seat, with their own
    attendance prefetched (never anybody else's)."""
    return (
        TrainingSession.objects.for_participant(resident.pk)
        .exclude(status=SessionStatus.CANCELLED)
        .select_related("batch__theme", "batch__center__kelurahan", "room")
        .prefetch_related(
            Prefetch(
                "attendances",
                queryset=Attendance.objects.filter(enrollment__resident=resident),
                to_attr="mine",
            )
        )
        .order_by("date", "starts_at")
    )


def is_participant(resident: Any, session: TrainingSession) -> bool:
    return bool(
        resident is not None
        and Enrollment.objects.filter(
            batch_id=session.batch_id, resident=resident, status=EnrollmentStatus.ACTIVE
        ).exists()
    )


@dataclass
class ParticipantEvidence:
    enrollment: Enrollment
    hours: Decimal = Decimal("0")
    by_method: dict[str, int] = field(default_factory=dict)
    by_status: dict[str, int] = field(default_factory=dict)
    outcome: str = ""


@dataclass
class Evidence:
    """What a batch demonstrably delivered: the basis for payment and audit."""

    batch: Batch
    sessions: list[TrainingSession]
    held_hours: Decimal
    participants: list[ParticipantEvidence]
    visits: list[SupervisionVisit]
    attendances: list[Attendance]


def evidence(batch: Batch) -> Evidence:
    """Sessions (held or not, with sign-off and sheet counts), per-participant hours and how they were
    recorded, supervision visits; a fixed number of queries whatever the size."""
    sessions = list(
        TrainingSession.objects.filter(batch=batch)
        .select_related("room", "checklist__signed_by", "started_by")
        .annotate(
            attending=Count(
                "attendances", filter=Q(attendances__status__in=["present", "late"]), distinct=True
            ),
            sheet_count=Count("sheets", distinct=True),
        )
        .order_by("number")
    )
    held_hours = sum((s.hours for s in sessions if s.status == SessionStatus.HELD), Decimal("0"))
    attendances = list(
        Attendance.objects.filter(session__batch=batch)
        .select_related("session", "enrollment__resident", "recorded_by")
        .prefetch_related("corrections")
        .order_by("session__number", "enrollment__resident__full_name")
    )
    enrollments = (
        Enrollment.objects.filter(batch=batch)
        .filter(Q(status=EnrollmentStatus.ACTIVE) | Q(attendances__isnull=False) | Q(outcome__isnull=False))
        .distinct()
        .select_related("resident", "outcome")
        .order_by("resident__full_name", "pk")
    )
    rows = {e.pk: ParticipantEvidence(enrollment=e) for e in enrollments}
    for e in rows.values():
        outcome = getattr(e.enrollment, "outcome", None)
        e.outcome = outcome.get_status_display() if outcome else ""
    for a in attendances:
        row = rows.get(a.enrollment_id)
        if row is None or a.session.status != SessionStatus.HELD:
            continue
        row.hours += a.hours_credited
        method = str(AttendanceMethod(a.method).label)
        row.by_method[method] = row.by_method.get(method, 0) + 1
        row.by_status[a.status] = row.by_status.get(a.status, 0) + 1
    visits = list(SupervisionVisit.objects.filter(batch=batch).select_related("supervisor", "session"))
    return Evidence(
        batch=batch,
        sessions=sessions,
        held_hours=held_hours,
        participants=list(rows.values()),
        visits=visits,
        attendances=attendances,
    )


def contact_list(session: TrainingSession) -> QuerySet[Attendance]:
    """Who was in the room (present or late), for contact tracing."""
    return (
        Attendance.objects.filter(session=session, status__in=["present", "late"])
        .select_related("enrollment__resident__kelurahan")
        .order_by("checked_in_at", "pk")
    )


def signed_checklists(batch: Batch) -> QuerySet[ChecklistSignOff]:
    return ChecklistSignOff.objects.filter(session__batch=batch).select_related("session", "signed_by")


def attended_hours(enrollment: Enrollment) -> Decimal:
    total = Attendance.objects.filter(enrollment=enrollment, session__status=SessionStatus.HELD).aggregate(
        h=Sum("hours_credited")
    )["h"]
    return total or Decimal("0")
