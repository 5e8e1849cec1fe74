"""What registration keeps about a resident: consents and applications with their ranked choices."""

from typing import Any

from latihkerja.residents.models import Resident
from latihkerja.residents.privacy import personal_data

from .models import Application, Consent


@personal_data("consents")
def consents(resident: Resident) -> list[dict[str, Any]]:
    return [
        dict(row)
        for row in Consent.objects.filter(resident=resident)
        .order_by("accepted_at")
        .values("version", "text_digest", "accepted_at", "source")
    ]


@personal_data("applications")
def applications(resident: Resident) -> list[dict[str, Any]]:
    rows = []
    for application in (
        Application.objects.filter(resident=resident)
        .select_related("period")
        .prefetch_related("choices__batch")
    ):
        rows.append(
            {
                "period": application.period.name,
                "status": application.status,
                "source": application.source,
                "created_at": application.created_at,
                "updated_at": application.updated_at,
                "choices": [f"{c.rank}. {c.batch.code}" for c in application.choices.all()],
            }
        )
    return rows
