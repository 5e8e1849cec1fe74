"""The programme's headline figures, for the home page and the open-data summary."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, Sum

from latihkerja.batches.enums import BatchStatus
from latihkerja.batches.models import Batch
from latihkerja.catalog.models import Theme
from latihkerja.centers.models import Center
from latihkerja.regions.models import Kecamatan, Kelurahan

from .models import Period


@dataclass(frozen=True)
class ProgrammeFigures:
    period: Period | None
    kecamatan: int
    kelurahan: int
    centers: int
    themes: int
    batches: int
    seats: int
    batches_by_status: dict[str, int]


def programme_figures() -> ProgrammeFigures:
    period = Period.objects.current()
    batches = Batch.objects.filter(period=period) if period else Batch.objects.none()
    by_status = {
        row["status"]: row["n"] for row in batches.values("status").annotate(n=Count("id")).order_by()
    }
    totals = batches.aggregate(
        n=Count("id", filter=~Q(status=BatchStatus.CANCELLED)),
        seats=Sum("capacity", filter=~Q(status=BatchStatus.CANCELLED)),
    )
    return ProgrammeFigures(
        period=period,
        kecamatan=Kecamatan.objects.count(),
        kelurahan=Kelurahan.objects.count(),
        centers=Center.objects.filter(is_active=True).count(),
        themes=Theme.objects.filter(is_active=True).count(),
        batches=totals["n"] or 0,
        seats=totals["seats"] or 0,
        batches_by_status={status: by_status.get(status, 0) for status in BatchStatus.values},
    )
