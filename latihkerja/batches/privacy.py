"""Seats a resident was offered or held."""

from typing import Any

from django.db.models import F
from django.utils.translation import gettext as _

from latihkerja.residents.models import Resident
from latihkerja.residents.privacy import erasure_blocker, personal_data

from .enums import BatchStatus
from .models import SEAT_HOLDING_STATUSES, Enrollment


@personal_data("seats")
def seats(resident: Resident) -> list[dict[str, Any]]:
    return [
        dict(row)
        for row in Enrollment.objects.filter(resident=resident)
        .order_by("created_at")
        .values(
            "status",
            "source",
            "created_at",
            class_code=F("batch__code"),
            theme_name=F("batch__theme__name"),
            centre_name=F("batch__center__name"),
        )
    ]


@erasure_blocker
def seat_in_a_class_not_closed(resident: Resident) -> str | None:
    """A seat offered or held in a class not yet closed: the class needs its participant (attendance, the
    completion rule, the certificate). The resident declines the offer or withdraws first, or it waits."""
    seat = (
        Enrollment.objects.filter(resident=resident, status__in=SEAT_HOLDING_STATUSES)
        .exclude(batch__status__in=(BatchStatus.COMPLETED, BatchStatus.CANCELLED))
        .select_related("batch")
        .first()
    )
    if seat is None:
        return None
    return _(
        "warga memegang kursi di kelas %(batch)s yang belum ditutup; hapus setelah kelas ditutup, atau setelah "
        "warga menolak tawaran atau mengundurkan diri."
    ) % {"batch": seat.batch.code}
