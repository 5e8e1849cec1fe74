from django.contrib import admin

from latihkerja.common.admin import ReferenceAdmin

from .models import Kecamatan, Kelurahan


@admin.register(Kecamatan)
class KecamatanAdmin(ReferenceAdmin):
    list_display = ["code", "name", "nik_prefix", "bps_code", "postcodes"]
    search_fields = ["code", "name"]


@admin.register(Kelurahan)
class KelurahanAdmin(ReferenceAdmin):
    list_display = ["code", "name", "kecamatan", "postcodes"]
    list_filter = ["kecamatan"]
    search_fields = ["code", "name", "name_variants"]
    list_select_related = ["kecamatan"]
