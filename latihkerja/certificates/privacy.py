"""The certificates issued to a resident, as printed on them."""

from typing import Any

from latihkerja.residents.models import Resident
from latihkerja.residents.privacy import personal_data

from .models import Certificate


@personal_data("certificates")
def certificates(resident: Resident) -> list[dict[str, Any]]:
    return [
        dict(row)
        for row in Certificate.objects.filter(resident=resident)
        .order_by("issued_at")
        .values(
            "number",
            "status",
            "holder_name",
            "theme_name",
            "center_name",
            "period_name",
            "starts_on",
            "ends_on",
            "hours_attended",
            "hours_total",
            "issued_at",
        )
    ]
