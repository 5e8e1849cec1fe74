"""Seats a resident was offered or held."""

from typing import Any

from latihkerja.residents.models import Resident
from latihkerja.residents.privacy import personal_data

from .models import Enrollment


@personal_data("seats")
def seats(resident: Resident) -> list[dict[str, Any]]:
    return [
        dict(row)
        for row in Enrollment.objects.filter(resident=resident)
        .order_by("created_at")
        .values("batch__code", "batch__theme__name", "batch__center__name", "status", "source", "created_at")
    ]
