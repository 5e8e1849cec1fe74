from django.contrib import admin

from latihkerja.common.admin import ReferenceAdmin

from .models import Field, Theme


@admin.register(Field)
class FieldAdmin(ReferenceAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Theme)
class ThemeAdmin(ReferenceAdmin):
    list_display = [
        "code",
        "name",
        "field",
        "agency",
        "modality",
        "hours",
        "cost_per_participant",
        "in_scenario",
    ]
    list_filter = ["agency", "field", "modality", "in_scenario", "is_active"]
    search_fields = ["code", "name", "name_en", "isco08"]
    list_select_related = ["field", "agency"]
