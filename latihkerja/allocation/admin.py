from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from latihkerja.common.admin import ScopedModelAdmin

from .models import AllocationRun, Placement, WaitlistEntry


class ReadOnlyAdmin(ScopedModelAdmin):
    """Read-only: runs change only through allocation.services (reproducibility, publishing, audit)."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AllocationRun)
class AllocationRunAdmin(ReadOnlyAdmin):
    list_display = ["pk", "period", "mechanism", "status", "progress", "seed", "created_by", "created_at"]
    list_filter = ["period", "mechanism", "status"]
    list_select_related = ["period", "created_by"]
    readonly_fields = [
        "period",
        "mechanism",
        "seed",
        "policy",
        "offer_response_days",
        "inputs_hash",
        "engine_version",
        "status",
        "progress",
        "metrics",
        "error",
        "created_by",
        "finished_at",
        "published_at",
        "published_by",
    ]


@admin.register(Placement)
class PlacementAdmin(ReadOnlyAdmin):
    list_display = ["run", "application", "batch", "choice_rank", "priority_group", "locality", "key"]
    list_filter = ["run", "choice_rank", "priority_group"]
    # The columns, not the related models' own orderings: those joined every placement to its resident and
    # sorted them all on each page (1 s at 140,000 applicants); this order is the unique index's.
    ordering = ["run_id", "application_id"]
    show_full_result_count = False
    list_select_related = [
        "run__period",
        "application__resident",
        "application__period",
        "batch__theme",
        "batch__center",
    ]
    readonly_fields = [
        "run",
        "application",
        "batch",
        "choice_rank",
        "priority_group",
        "locality",
        "lottery",
        "key",
    ]


@admin.register(WaitlistEntry)
class WaitlistEntryAdmin(ReadOnlyAdmin):
    list_display = ["run", "batch", "position", "application", "key", "offered_at"]
    list_filter = ["run"]
    search_fields = ["batch__code"]
    ordering = ["run_id", "batch_id", "position"]  # the unique index's order (see PlacementAdmin)
    show_full_result_count = False
    list_select_related = [
        "run__period",
        "application__resident",
        "application__period",
        "batch__theme",
        "batch__center",
    ]
    readonly_fields = ["run", "batch", "application", "key", "position", "offered_at"]
