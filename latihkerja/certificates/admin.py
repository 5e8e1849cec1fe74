from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from latihkerja.common.admin import ScopedModelAdmin

from .models import Certificate


@admin.register(Certificate)
class CertificateAdmin(ScopedModelAdmin):
    """Read-only: certificates are issued and revoked by `services` (the staff pages), audit-logged."""

    list_display = [
        "number",
        "holder_name",
        "theme_name",
        "center_name",
        "status",
        "issued_at",
        "generated_at",
    ]
    list_filter = ["status"]
    list_select_related = ["batch"]
    search_fields = ["number", "holder_name"]
    exclude = ["outcome", "resident"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in Certificate._meta.fields if f.name not in ("outcome", "resident")]
