"""Allocation's part in erasing a resident: not while a run that reads their application awaits publication."""

from django.utils.translation import gettext as _

from latihkerja.registration.enums import ApplicationStatus
from latihkerja.registration.models import Application
from latihkerja.residents.models import Resident
from latihkerja.residents.privacy import erasure_blocker

from .enums import RunStatus
from .models import AllocationRun

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
