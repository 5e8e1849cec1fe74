"""Reads for registration, scoped by viewer."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from latihkerja.batches.enums import BatchStatus
from latihkerja.batches.models import Batch
from latihkerja.programs.models import Period
from latihkerja.residents.models import Resident

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
    return Resident.objects.for_user(user).select_related("kelurahan__kecamatan").filter(user=user).first()


def application_of(resident: Resident, period: Period) -> Application | None:
    return (
        Application.objects.filter(resident=resident, period=period)
        .prefetch_related("choices__batch__theme", "choices__batch__center")
        .first()
    )
