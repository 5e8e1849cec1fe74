"""Rows of the raw tables the dashboard aggregates (applications, seats, sessions, attendance, outcomes),
created directly through the ORM so that the reports tests do not depend on the training services."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.db.models import F

from latihkerja.batches.models import Batch, Enrollment
from latihkerja.registration.models import Application, ApplicationChoice
from latihkerja.residents.models import Resident
from latihkerja.training.models import Attendance, ChecklistSignOff, Outcome, TrainingSession

from . import BatchFactory, ResidentFactory  # noqa: F401 - re-exported for the reports tests


def make_application(
    resident: Resident, period: Any, batches: list[Batch], status: str = "submitted"
) -> Application:
    application = Application.objects.create(resident=resident, period=period, status=status)
    for rank, batch in enumerate(batches, start=1):
        ApplicationChoice.objects.create(application=application, rank=rank, batch=batch)
    return application


def make_enrollment(resident: Resident, batch: Batch, status: str = "active") -> Enrollment:
    respond_by = dt.datetime(2020, 10, 1, tzinfo=dt.UTC) if status == "offered" else None
    enrollment = Enrollment.objects.create(
        batch=batch,
        period=batch.period,
        resident=resident,
        status=status,
        source="fcfs",
        respond_by=respond_by,
    )
    if status in ("offered", "active"):
        Batch.objects.filter(pk=batch.pk).update(seats_taken=F("seats_taken") + 1)
    return enrollment


def make_session(
    batch: Batch, number: int, *, modality: str = "luring", status: str = "held", signed_by: Any = None
) -> TrainingSession:
    room = batch.room or batch.center.rooms.first()
    session = TrainingSession.objects.create(
        batch=batch,
        number=number,
        date=batch.starts_on + dt.timedelta(days=number - 1),
        starts_at=dt.time(8),
        ends_at=dt.time(12),
        hours=Decimal("4"),
        modality=modality,
        room=room if modality == "luring" else None,
        admitted_cap=room.capacity if modality == "luring" and room else None,
        status=status,
    )
    if signed_by is not None:
        ChecklistSignOff.objects.create(session=session, signed_by=signed_by, items=[])
    return session


def make_attendance(session: TrainingSession, enrollment: Enrollment, status: str = "present") -> Attendance:
    return Attendance.objects.create(
        session=session, enrollment=enrollment, status=status, method="marked", hours_credited=Decimal("4")
    )


def make_outcome(enrollment: Enrollment, status: str) -> Outcome:
    return Outcome.objects.create(
        enrollment=enrollment,
        batch=enrollment.batch,
        status=status,
        hours_attended=Decimal("40"),
        hours_total=Decimal("48"),
        assessment_passed=status == "completed",
    )


def populate_programme(
    period: Any, *, seed: int, signer: Any, residents: list[Resident] | None = None
) -> None:
    """A varied programme over existing residents and batches: applications with 1-3 choices (a few
    withdrawn), seats in every state, luring and daring sessions with and without a sign-off, attendance and
    outcomes. Capacity is respected, as the constraints demand."""
    rng = random.Random(seed)
    people = residents if residents is not None else list(Resident.objects.order_by("pk"))
    batches = list(Batch.objects.filter(period=period).select_related("center", "room").order_by("pk"))
    room_left = {batch.pk: batch.capacity - batch.seats_taken for batch in batches}
    running: dict[int, list[Enrollment]] = {}
    # The demo may already run trainings (seed_delivery_demo): those residents keep their seat.
    seated = set(Enrollment.objects.filter(period=period).values_list("resident_id", flat=True))
    delivered = set(TrainingSession.objects.filter(batch__period=period).values_list("batch_id", flat=True))
    # ...and registered for it already (the demo gives each seated participant an application).
    applied = set(Application.objects.filter(period=period).values_list("resident_id", flat=True))
    for resident in people:
        choices = rng.sample(batches, k=min(len(batches), rng.randint(1, 3)))
        status = "withdrawn" if rng.random() < 0.05 else "submitted"
        if resident.pk not in applied:
            make_application(resident, period, choices, status=status)
        if status != "submitted" or rng.random() < 0.3 or resident.pk in seated:
            continue
        batch = next((b for b in choices if room_left[b.pk] > 0 and b.pk not in delivered), None)
        if batch is None:
            continue
        seat = rng.choices(["active", "offered", "withdrawn", "declined"], weights=[70, 10, 10, 10])[0]
        enrollment = make_enrollment(resident, batch, seat)
        if seat in ("offered", "active"):
            room_left[batch.pk] -= 1
        if seat == "active":
            running.setdefault(batch.pk, []).append(enrollment)
    for index, (batch_pk, enrollments) in enumerate(sorted(running.items())):
        batch = next(b for b in batches if b.pk == batch_pk)
        sessions = [
            make_session(
                batch,
                number,
                modality="luring" if number % 3 else "daring",
                status=rng.choice(["held", "held", "started", "scheduled", "cancelled"]),
                signed_by=signer if rng.random() < 0.7 else None,
            )
            for number in range(1, 4)
        ]
        for enrollment in enrollments:
            for session in sessions:
                if session.status in ("held", "started") and rng.random() < 0.8:
                    make_attendance(session, enrollment, rng.choice(["present", "late", "absent", "excused"]))
            if index % 2 == 0:
                make_outcome(
                    enrollment, rng.choice(["completed", "completed", "not_completed", "dropped_out"])
                )
