"""Admin of running trainings: read-only views through the scopes (every change goes through
`training.services`, which keeps the room cap, the corrections log and the audit trail); the health-protocol
checklist items are configured here by Bappeda."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from latihkerja.common.admin import ScopedModelAdmin

from .models import (
    Assessment,
    Attendance,
    AttendanceCorrection,
    AttendanceSheet,
    ChecklistItem,
    ChecklistSignOff,
    Outcome,
    SupervisionVisit,
    TrainingSession,
)


class ReadOnlyAdmin(ScopedModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class BatchScopedAdmin(ReadOnlyAdmin):
    """Rows reached through a session or an enrollment: scoped by the session's batch."""

    batch_path = "session__batch"

    def get_queryset(self, request: HttpRequest) -> Any:
        from latihkerja.batches.models import Batch

        queryset = super().get_queryset(request)
        return queryset.filter(**{f"{self.batch_path}__in": Batch.objects.for_user(request.user)})


@admin.register(TrainingSession)
class TrainingSessionAdmin(ReadOnlyAdmin):
    list_display = [
        "batch",
        "number",
        "date",
        "starts_at",
        "ends_at",
        "modality",
        "room",
        "admitted",
        "admitted_cap",
        "status",
    ]
    list_filter = ["status", "modality", "date"]
    search_fields = ["batch__code", "topic"]
    list_select_related = ["batch__theme", "batch__center", "room__center"]


@admin.register(ChecklistItem)
class ChecklistItemAdmin(ScopedModelAdmin):
    list_display = ["position", "code", "label", "is_active"]
    list_editable = ["label", "is_active"]
    list_display_links = ["code"]

    def get_queryset(self, request: HttpRequest) -> Any:
        return ChecklistItem.objects.all()


@admin.register(ChecklistSignOff)
class ChecklistSignOffAdmin(BatchScopedAdmin):
    list_display = ["session", "signed_by", "signed_at"]
    list_select_related = ["session__batch", "signed_by"]


@admin.register(Attendance)
class AttendanceAdmin(BatchScopedAdmin):
    list_display = ["session", "enrollment", "status", "method", "checked_in_at", "hours_credited"]
    list_filter = ["status", "method"]
    list_select_related = ["session__batch", "enrollment__resident", "enrollment__batch"]


@admin.register(AttendanceCorrection)
class AttendanceCorrectionAdmin(BatchScopedAdmin):
    batch_path = "attendance__session__batch"
    list_display = ["attendance", "from_status", "to_status", "changed_by", "changed_at", "reason"]
    list_select_related = ["attendance", "changed_by"]


@admin.register(AttendanceSheet)
class AttendanceSheetAdmin(BatchScopedAdmin):
    list_display = ["session", "file", "uploaded_by", "uploaded_at"]
    list_select_related = ["session__batch", "uploaded_by"]


@admin.register(SupervisionVisit)
class SupervisionVisitAdmin(BatchScopedAdmin):
    batch_path = "batch"
    list_display = ["batch", "visited_on", "supervisor", "rating"]
    list_select_related = ["batch", "supervisor"]


@admin.register(Assessment)
class AssessmentAdmin(BatchScopedAdmin):
    batch_path = "enrollment__batch"
    list_display = ["enrollment", "passed", "score", "assessed_by", "assessed_at"]
    list_select_related = ["enrollment__resident", "enrollment__batch", "assessed_by"]


@admin.register(Outcome)
class OutcomeAdmin(BatchScopedAdmin):
    batch_path = "batch"
    list_display = ["enrollment", "batch", "status", "hours_attended", "hours_total", "assessment_passed"]
    list_filter = ["status"]
    list_select_related = ["enrollment__resident", "enrollment__batch", "batch__theme", "batch__center"]
