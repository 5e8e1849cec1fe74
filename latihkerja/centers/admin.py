from django.contrib import admin

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


@admin.register(Room)
class RoomAdmin(ScopedModelAdmin):
    list_display = ["name", "center", "capacity"]
    search_fields = ["name", "center__name"]
    list_select_related = ["center"]
