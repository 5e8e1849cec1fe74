from django.contrib import admin
from django.http import HttpRequest

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    """Read-only, and only for Bappeda (superuser-level): the trail itself is personal data about staff."""

    list_display = ["at", "actor", "action", "target_type", "target_id"]
    list_filter = ["action", "target_type", "at"]  # "at": today, the past 7 days, this month… (no grouping)
    search_fields = ["target_id", "actor__username"]
    list_select_related = ["actor"]
    # The trail grows with every view of a record: no count of the whole table, no grouping of it by day.
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return bool(
            request.user.is_authenticated and (request.user.is_superuser or request.user.role == "bappeda")
        )

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)
