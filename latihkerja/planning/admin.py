from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from latihkerja.common.admin import ReferenceAdmin, ScopedModelAdmin

from .models import OpdMonthlyCapacity, PlannedBatch, PlanRun


@admin.register(OpdMonthlyCapacity)
class OpdMonthlyCapacityAdmin(ReferenceAdmin):
    list_display = ["agency", "batches_per_month"]


class ReadOnlyAdmin(ScopedModelAdmin):
    """Plans change through `planning.services` only (the planning pages): audit-logged, one writer."""

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in self.model._meta.fields]


@admin.register(PlanRun)
class PlanRunAdmin(ReadOnlyAdmin):
    list_display = ["pk", "period", "status", "created_by", "created_at", "approved_at"]
    list_filter = ["status", "period"]


@admin.register(PlannedBatch)
class PlannedBatchAdmin(ReadOnlyAdmin):
    list_display = ["plan", "center", "theme", "month", "source", "approved_by_opd_at", "batch"]
    list_filter = ["source", "month"]
    list_select_related = ["plan__period", "center", "theme", "batch"]
