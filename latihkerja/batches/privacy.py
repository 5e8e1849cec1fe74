"""Seats a resident was offered or held."""

from typing import Any

from django.db.models import F

from latihkerja.residents.models import Resident
from latihkerja.residents.privacy import personal_data

from .models import Enrollment


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
