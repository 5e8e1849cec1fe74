from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse

from latihkerja.audit.services import record_event
from latihkerja.common.admin import ScopedModelAdmin

from .models import DeletionRequest, Resident


@admin.register(Resident)
class ResidentAdmin(ScopedModelAdmin):
    """Every opening of a resident's record by staff is written to the audit trail (UU PDP)."""

    list_display = ["full_name", "kelurahan", "employment_status", "created_at"]
    list_filter = ["employment_status", "sex", "kelurahan__kecamatan"]
    search_fields = ["full_name"]
    list_select_related = ["kelurahan"]
    readonly_fields = ["masked_nik"]
    exclude = ["user"]

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        if response.status_code == 200:
            obj = self.get_object(request, object_id)
            if obj is not None:
                record_event(
                    actor=request.user, action="resident.viewed", target=obj, detail={"via": "admin"}
                )
        return response


@admin.register(DeletionRequest)
class DeletionRequestAdmin(ScopedModelAdmin):
    """Bappeda decides each request and writes the note the resident reads on their data page."""

    list_display = ["resident", "requested_at", "status", "handled_at"]
    list_filter = ["status"]
    list_select_related = ["resident"]
    readonly_fields = ["resident", "requested_at", "reason", "handled_by", "handled_at"]
    fields = ["resident", "requested_at", "reason", "status", "note", "handled_by", "handled_at"]

    def save_model(self, request: HttpRequest, obj: DeletionRequest, form: Any, change: bool) -> None:
        from django.utils import timezone

        if change and "status" in form.changed_data:
            obj.handled_by = request.user  # type: ignore[assignment]
            obj.handled_at = timezone.now()
            record_event(
                actor=request.user,
                action="resident.deletion_decided",
                target=obj.resident,
                detail={"status": obj.status},
            )
        super().save_model(request, obj, form, change)
