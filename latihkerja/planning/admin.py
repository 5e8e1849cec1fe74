from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from latihkerja.accounts.rules import is_bappeda
from latihkerja.common.admin import ReferenceAdmin, ScopedModelAdmin

from .models import OpdMonthlyCapacity, PlannedBatch, PlanRun


@admin.register(OpdMonthlyCapacity)
class OpdMonthlyCapacityAdmin(ReferenceAdmin):
    list_display = ["agency", "batches_per_month"]


class ReadOnlyAdmin(ScopedModelAdmin):
    """Plans change through `planning.services` only (the planning pages): audit-logged, one writer."""

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in self.model._meta.fields]


# The solver's input and result hold every agency's themes, costs and capacities, the budget and the interest
# counts per kelurahan: Bappeda's. An OPD supervisor sees its own agency's classes on its planning page.
BAPPEDA_ONLY_FIELDS = ("input", "result", "error")


@admin.register(PlanRun)
class PlanRunAdmin(ReadOnlyAdmin):
    list_display = ["pk", "period", "status", "created_by", "created_at", "approved_at"]
    list_filter = ["status", "period"]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        fields = [f.name for f in self.model._meta.fields if not f.auto_created]
        if is_bappeda(request.user):
            return fields
        return [name for name in fields if name not in BAPPEDA_ONLY_FIELDS]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return self.get_fields(request, obj)


@admin.register(PlannedBatch)
class PlannedBatchAdmin(ReadOnlyAdmin):
    list_display = ["plan", "center", "theme", "month", "source", "approved_by_opd_at", "batch"]
    list_filter = ["source", "month"]
    list_select_related = ["plan__period", "center", "theme", "batch"]
