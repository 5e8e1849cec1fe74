"""Reads for registration, scoped by viewer."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from latihkerja.batches.enums import BatchStatus
from latihkerja.batches.models import SEAT_HOLDING_STATUSES, Batch, Enrollment
from latihkerja.programs.models import Period
from latihkerja.residents.models import Resident

from .enums import ApplicationStatus
from .models import Application


def registration_period() -> Period | None:
    """The period taking registrations now; otherwise the one the public pages show."""
    now = timezone.now()
    open_now = Period.objects.filter(
        is_published=True, registration_opens_at__lte=now, registration_closes_at__gt=now
    ).order_by("registration_closes_at")
    return open_now.first() or Period.objects.current()


def open_batches(period: Period, *, kecamatan_code: str | None = None) -> QuerySet[Batch]:
    batches = Batch.objects.filter(period=period, status=BatchStatus.OPEN).select_related(
        "theme", "center__kelurahan__kecamatan"
    )
    if kecamatan_code:
        batches = batches.filter(center__kelurahan__kecamatan__code=kecamatan_code)
    return batches.order_by("center__kelurahan__kecamatan__name", "theme__name", "starts_on")


def resident_of(user: Any) -> Resident | None:
    resident = (
        Resident.objects.for_user(user).select_related("kelurahan__kecamatan").filter(user=user).first()
    )
    if resident is not None:
        resident.user = user  # the signed-in user, already loaded: what follows need not read it again
    return resident


def application_of(resident: Resident, period: Period) -> Application | None:
    return (
        Application.objects.filter(resident=resident, period=period)
        .prefetch_related("choices__batch__theme", "choices__batch__center")
        .first()
    )


def current_choices(application: Application | None) -> list[str]:
    """The batch codes a choices form starts from: the submitted choices, none after a withdrawal (the
    resident registers afresh)."""
    if application is None or application.status != ApplicationStatus.SUBMITTED:
        return []
    return [choice.batch.code for choice in application.choices.all()]


def choosable_batches(period: Period, *, kecamatan_code: str | None, keep: list[str]) -> list[Batch]:
    """The batches a choices form offers: those of one kecamatan ("" = all), plus the open ones in `keep` (already
    chosen, or picked and being sent), so that a pick from another kecamatan is valid and shown."""
    batches = list(open_batches(period, kecamatan_code=kecamatan_code))
    missing = {code for code in keep if code} - {b.code for b in batches}
    if missing:
        batches += list(open_batches(period).filter(code__in=missing))
    return batches


def other_kecamatan_query(posted: Any, max_choices: int) -> str | None:
    """The choices page's "show another kecamatan" button posts the whole form: the query string that shows
    that kecamatan with the picks made so far kept (`carried_picks`), or None for a real submit."""
    from django.utils.http import urlencode

    if not posted.get("show"):
        return None
    query = {"kecamatan": str(posted.get("kecamatan", ""))[:20]}
    query |= {
        f"choice_{rank}": code for rank, code in enumerate(carried_picks(posted, max_choices), 1) if code
    }
    return urlencode(query)


def carried_picks(query: Any, max_choices: int) -> list[str]:
    """Class codes picked but not yet sent, carried in the query when another kecamatan is shown
    (`choice_1`…); a request without them gives an empty list."""
    return [str(query.get(f"choice_{rank}", ""))[:60] for rank in range(1, max_choices + 1)]


def shown_kecamatan(requested: str | None, default: str) -> str:
    """The kecamatan whose batches a choices page lists: the one asked for if it exists ("" = all)."""
    from latihkerja.regions.models import Kecamatan

    if requested is None:
        return default
    if requested and not Kecamatan.objects.filter(code=requested).exists():
        return default
    return requested


def holds_seat(resident: Resident, period: Period) -> bool:
    """Whether `resident` has been offered or holds a seat in `period` (their choices are then settled)."""
    return Enrollment.objects.filter(
        resident=resident, period=period, status__in=SEAT_HOLDING_STATUSES
    ).exists()


def priority_fields_open(resident: Resident, period: Period | None) -> bool:
    """Whether what decides `resident`'s eligibility and priority (kelurahan, education, employment, disability)
    may still change in `period` (the `registration_period()`): while it takes registrations and they hold no
    seat. The allocation reads these after registration closes, so a change then would change a priority
    already ranked."""
    return (
        period is not None
        and period.registration_is_open(timezone.now())
        and not holds_seat(resident, period)
    )
