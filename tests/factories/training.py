"""Factories for running trainings: a batch in delivery, its participants and sessions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import factory
from django.db.models import F
from django.utils import timezone

from latihkerja.accounts.enums import Role
from latihkerja.batches.enums import BatchStatus
from latihkerja.batches.models import (
    SEAT_HOLDING_STATUSES,
    Batch,
    Enrollment,
    EnrollmentSource,
    EnrollmentStatus,
)
from latihkerja.centers.models import Center, Room
from latihkerja.training.enums import SessionModality
from latihkerja.training.models import ChecklistItem, ChecklistSignOff, TrainingSession
from latihkerja.training.services import occupancy_cap
from tests.factories import BatchFactory, ResidentFactory, UserFactory


def delivery_batch(**kwargs: Any) -> Any:
    """An allocated batch at Sukarasa (centre A) with its default room (40 seats → 20 under a 50% cap)."""
    kwargs.setdefault("status", BatchStatus.ALLOCATED)
    kwargs.setdefault("center", Center.objects.get(kelurahan__name="Sukarasa"))
    return BatchFactory(**kwargs)


def programme_hours(batch: Any, hours: int) -> Any:
    """Give `batch`'s theme a programme of `hours` JP, so that a test's few held sessions deliver it all (a class
    closes only when its held sessions reach the programme's JP)."""
    from latihkerja.catalog.models import Theme

    Theme.objects.filter(pk=batch.theme_id).update(hours=hours)
    batch.theme.refresh_from_db()
    return batch


def room(center: Center, *, name: str = "Aula kecil", capacity: int = 10) -> Room:
    return Room.objects.get_or_create(center=center, name=name, defaults={"capacity": capacity})[0]


def participant(
    batch: Any, *, user: Any = None, status: str = EnrollmentStatus.ACTIVE, **resident: Any
) -> Enrollment:
    """An enrollment in `batch` for a resident with a login (a new one unless `user` is given)."""
    if user is None:
        user = UserFactory(role=Role.RESIDENT)
    person = ResidentFactory(user=user, **resident)
    enrollment = Enrollment.objects.create(
        batch=batch,
        period_id=batch.period_id,
        resident=person,
        status=status,
        source=EnrollmentSource.ALLOCATION,
        # An offer waits for an answer until a deadline (a database constraint).
        respond_by=timezone.now() + dt.timedelta(days=3) if status == EnrollmentStatus.OFFERED else None,
    )
    if status in SEAT_HOLDING_STATUSES:
        Batch.objects.filter(pk=batch.pk).update(seats_taken=F("seats_taken") + 1)
    return enrollment


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingSession

    batch = factory.LazyFunction(delivery_batch)
    number = factory.Sequence(lambda n: n + 1)
    date = dt.date(2020, 10, 5)
    starts_at = dt.time(8, 0)
    ends_at = dt.time(12, 0)
    hours = Decimal("4")
    modality = SessionModality.LURING
    room = factory.LazyAttribute(lambda o: o.batch.center.rooms.first())
    admitted_cap = factory.LazyAttribute(
        lambda o: occupancy_cap(o.room, o.batch.period.occupancy_percent) if o.room else None
    )
    meeting_url = ""
    join_code = ""


def daring_session(batch: Any, **kwargs: Any) -> TrainingSession:
    kwargs.setdefault("meeting_url", "https://meet.example.org/rahasia-kelas")
    kwargs.setdefault("join_code", "KODE42")
    return SessionFactory(
        batch=batch, modality=SessionModality.DARING, room=None, admitted_cap=None, **kwargs
    )


def signed(session: TrainingSession, by: Any) -> ChecklistSignOff:
    items = [
        {"code": i.code, "label": i.label, "ok": True} for i in ChecklistItem.objects.filter(is_active=True)
    ]
    return ChecklistSignOff.objects.create(session=session, signed_by=by, items=items)


def session_now(
    batch: Any, *, ends_in: dt.timedelta = dt.timedelta(hours=2), **kwargs: Any
) -> TrainingSession:
    """A session of today whose window holds the current time (for pages that read the real clock); one that
    `ends_in` under `END_GRACE` can be ended at once."""
    now = timezone.localtime()
    start = max(now - dt.timedelta(minutes=10), now.replace(hour=0, minute=0, second=0, microsecond=0))
    end = min(now + ends_in, now.replace(hour=23, minute=59, second=59, microsecond=0))
    if end <= now:  # the last second of the day
        end = now.replace(hour=23, minute=59, second=59, microsecond=999999)
    kwargs.setdefault("date", now.date())
    kwargs.setdefault("starts_at", start.time().replace(microsecond=0))
    kwargs.setdefault("ends_at", end.time())
    return SessionFactory(batch=batch, **kwargs)


# When the operator plans the sessions of the test classes (which run in October 2020): before they start.
PLANNED_AT = dt.datetime(2020, 10, 1, 9, tzinfo=dt.timezone(dt.timedelta(hours=7)))


def at(session: TrainingSession, minutes: float) -> dt.datetime:
    """`minutes` after the session's start, as an aware datetime."""
    tz = timezone.get_current_timezone()
    return dt.datetime.combine(session.date, session.starts_at, tzinfo=tz) + dt.timedelta(minutes=minutes)


def hybrid_batch(**kwargs: Any) -> Any:
    """An allocated hybrid batch (photography: DISNAKER, daring and luring sessions allowed) at centre A."""
    from latihkerja.catalog.models import Theme

    kwargs.setdefault("theme", Theme.objects.get(code="FOTOGRAFI"))
    kwargs.setdefault("modality", "campuran")
    return delivery_batch(**kwargs)


def book(
    batch: Any,
    hall: Room,
    actor: Any,
    *,
    day: dt.date = dt.date(2020, 10, 5),
    starts: int = 8,
    ends: int = 12,
) -> list[TrainingSession]:
    """Schedule one 4-JP luring session of `batch` in `hall` through the service (its room check included)."""
    from latihkerja.training.services import schedule_sessions

    return schedule_sessions(
        batch=batch,
        dates=[day],
        starts_at=dt.time(starts),
        ends_at=dt.time(ends),
        hours=Decimal("4"),
        modality="luring",
        room=hall,
        actor=actor,
        now=PLANNED_AT,
    )
