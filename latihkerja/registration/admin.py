from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from latihkerja.common.admin import ScopedModelAdmin

from .models import Application, ApplicationChoice, Consent, RegistrationImport


class ChoiceInline(admin.TabularInline[ApplicationChoice, Application]):
    model = ApplicationChoice
    extra = 0
    can_delete = False
    readonly_fields = ["rank", "batch"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Application)
class ApplicationAdmin(ScopedModelAdmin):
    """Read-only: applications change only through registration.services (window, limits, audit)."""

    list_display = ["resident", "period", "status", "source", "revision", "updated_at"]
    list_filter = ["period", "status", "source"]
    search_fields = ["resident__full_name"]
    list_select_related = ["resident", "period"]
    show_full_result_count = False
    readonly_fields = ["resident", "period", "status", "source", "submitted_by", "revision"]
    inlines = [ChoiceInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Consent)
class ConsentAdmin(ScopedModelAdmin):
    list_display = ["resident", "version", "source", "accepted_at", "assisted_by"]
    list_filter = ["version", "source"]
    readonly_fields = ["resident", "version", "text_digest", "source", "assisted_by", "accepted_at"]

    def get_queryset(self, request: HttpRequest) -> Any:
        from latihkerja.residents.models import Resident

        return super().get_queryset(request).filter(resident__in=Resident.objects.for_user(request.user))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(RegistrationImport)
class RegistrationImportAdmin(ScopedModelAdmin):
    """Read-only: imports are validated and committed through their own pages (saya/impor/)."""

    list_display = ["original_name", "period", "center", "status", "row_count", "error_count", "created_at"]
    list_filter = ["status", "period"]
    list_select_related = ["period", "center"]
    exclude = ["file", "errors"]
    readonly_fields = [
        "original_name",
        "period",
        "center",
        "uploaded_by",
        "status",
        "row_count",
        "error_count",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
