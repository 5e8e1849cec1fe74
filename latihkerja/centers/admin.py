from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from latihkerja.accounts.rules import is_bappeda
from latihkerja.common.admin import ScopedModelAdmin

from .models import Center, Room


class RoomInline(admin.TabularInline[Room, Center]):
    model = Room
    extra = 0


@admin.register(Center)
class CenterAdmin(ScopedModelAdmin):
    list_display = ["code", "name", "kelurahan", "is_active"]
    list_filter = ["kelurahan__kecamatan", "is_active"]
    search_fields = ["code", "name", "kelurahan__name"]
    list_select_related = ["kelurahan"]
    inlines = [RoomInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        """An operator keeps their centre's rooms, address and contacts up to date, but not what scopes them:
        the kelurahan decides which residents they see, and the code and status are Bappeda's."""
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and not is_bappeda(request.user):
            fields += ["code", "name", "kelurahan", "is_active"]
        return fields


@admin.register(Room)
class RoomAdmin(ScopedModelAdmin):
    list_display = ["name", "center", "capacity"]
    search_fields = ["name", "center__name"]
    list_select_related = ["center"]
