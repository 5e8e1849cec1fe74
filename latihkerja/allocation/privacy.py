"""Allocation's part in erasing a resident: not while a run that reads their application awaits publication."""

from typing import Any

from django.db.models import F
from django.utils.translation import gettext as _

from latihkerja.registration.enums import ApplicationStatus
from latihkerja.registration.models import Application
from latihkerja.residents.models import Resident
from latihkerja.residents.privacy import erasure_blocker, personal_data

from .enums import RunStatus
from .models import AllocationRun, Placement, WaitlistEntry

# A run in these statuses may still be published, and publishing offers seats from its stored placements.
_NOT_YET_PUBLISHED = (RunStatus.QUEUED, RunStatus.RUNNING, RunStatus.DONE, RunStatus.PUBLISHING)


@erasure_blocker
def allocation_under_review(resident: Resident) -> str | None:
    """Publishing offers seats from the run's stored placements: a withdrawn application could still be
    offered one, so erasure waits until the period's allocation is published (or the run is dropped)."""
    periods = Application.objects.filter(resident=resident, status=ApplicationStatus.SUBMITTED).values(
        "period_id"
    )
    run = (
        AllocationRun.objects.filter(period_id__in=periods, status__in=_NOT_YET_PUBLISHED)
        .exclude(period__allocation_runs__status=RunStatus.PUBLISHED)
        .select_related("period")
        .first()
    )
    if run is None:
        return None
    return _("pembagian kursi periode %(period)s sedang dihitung atau ditinjau; hapus setelah diumumkan.") % {
        "period": run.period.name
    }


@personal_data("allocation")
def allocation(resident: Resident) -> list[dict[str, Any]]:
    """What each published allocation gave the person, with what decided it (a run under review is not shown)."""
    return [
        dict(row)
        for row in Placement.objects.filter(application__resident=resident, run__status=RunStatus.PUBLISHED)
        .order_by("run__published_at")
        .values(
            "choice_rank",
            "priority_group",
            "locality",
            "lottery",
            "key",
            period=F("run__period__name"),
            published_at=F("run__published_at"),
            class_code=F("batch__code"),
        )
    ]


@personal_data("wait_lists")
def wait_lists(resident: Resident) -> list[dict[str, Any]]:
    return [
        dict(row)
        for row in WaitlistEntry.objects.filter(
            application__resident=resident, run__status=RunStatus.PUBLISHED
        )
        .order_by("run__published_at", "batch__code")
        .values("position", "key", "offered_at", class_code=F("batch__code"), period=F("run__period__name"))
    ]
