from django.contrib import admin

from latihkerja.common.admin import ReferenceAdmin

from .models import Period


@admin.register(Period)
class PeriodAdmin(ReferenceAdmin):
    list_display = [
        "code",
        "name",
        "starts_on",
        "ends_on",
        "trainings_per_center",
        "minimum_per_batch",
        "participant_target_min",
        "participant_target_max",
        "budget",
    ]
    search_fields = ["code", "name"]
