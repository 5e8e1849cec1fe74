"""What registration keeps about a resident: consents and applications with their ranked choices."""

import datetime as dt
from typing import Any

from django.db.models import F

from latihkerja.audit.services import record_event
from latihkerja.residents.models import Resident
from latihkerja.residents.privacy import blank_admin_history, kept_since, on_erasure, personal_data, retention

from .consent import TEXTS, consent_text
from .enums import ApplicationStatus
from .models import Application, Consent, ImportStatus, InterestNotice, RegistrationImport


@personal_data("consents")
def consents(resident: Resident) -> list[dict[str, Any]]:
    return [
        {**row, "text": consent_text(row["version"]) if row["version"] in TEXTS else ""}
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


@personal_data("interest_notices")
def interest_notices(resident: Resident) -> list[dict[str, Any]]:
    """The themes the resident was told had opened, per period (they follow the resident's interests)."""
    return [
        dict(row)
        for row in InterestNotice.objects.filter(resident=resident)
        .order_by("told_at")
        .values(period_name=F("period__name"), theme_code=F("theme__code"), at=F("told_at"))
    ]


@on_erasure
def forget_interest_notices(resident: Resident, actor: Any) -> None:
    """They say which themes the resident wanted, like the interests erased with them."""
    InterestNotice.objects.filter(resident=resident).delete()


@on_erasure
def withdraw_applications(resident: Resident, actor: Any) -> None:
    """An erased resident's standing applications are withdrawn: no allocation run reads them again and no
    wait list offers them a freed seat. Their history stays, like the consents (the record of what was done)."""
    standing = list(
        Application.objects.select_for_update().filter(resident=resident, status=ApplicationStatus.SUBMITTED)
    )
    Application.objects.filter(pk__in=[a.pk for a in standing]).update(
        status=ApplicationStatus.WITHDRAWN, revision=F("revision") + 1
    )
    for application in standing:
        record_event(actor=actor, action="application.withdrawn", target=application, detail={"erased": True})
    blank_admin_history(Application, resident.applications.values_list("pk", flat=True))
    blank_admin_history(Consent, resident.consents.values_list("pk", flat=True))


# Imports that are over: their error report and preview (names, phones, the cells that failed) are not needed
# once the operator has acted on them.
_FINISHED_IMPORTS = (
    ImportStatus.INVALID,
    ImportStatus.COMMITTED,
    ImportStatus.FAILED,
    ImportStatus.DISCARDED,
)


@retention("import_reports")
def old_import_reports(now: dt.datetime) -> int:
    """Blank the error reports and previews of imports finished before the retention period; their counts stay."""
    old = RegistrationImport.objects.filter(
        status__in=_FINISHED_IMPORTS, updated_at__lt=kept_since("import_reports", now)
    ).exclude(errors=[], preview=[])
    for registration_import in old.exclude(file=""):
        registration_import.file.delete(save=False)
    return old.update(errors=[], preview=[], file="")
