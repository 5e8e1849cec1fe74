from django.contrib import admin

from latihkerja.common.admin import ReferenceAdmin

from .models import Agency


@admin.register(Agency)
class AgencyAdmin(ReferenceAdmin):
    list_display = ["code", "short_name", "name", "supervises_training", "name_verified"]
    list_filter = ["supervises_training", "name_verified"]
    search_fields = ["code", "short_name", "name"]
