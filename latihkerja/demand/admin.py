from django.contrib import admin

from latihkerja.common.admin import ScopedModelAdmin

from .models import Company, SkillDemand


class SkillDemandInline(admin.TabularInline[SkillDemand, Company]):
    model = SkillDemand
    extra = 0


@admin.register(Company)
class CompanyAdmin(ScopedModelAdmin):
    list_display = ["name", "nib", "sector", "kecamatan", "verified_at"]
    list_filter = ["sector", "kecamatan"]
    search_fields = ["name", "nib"]
    inlines = [SkillDemandInline]


@admin.register(SkillDemand)
class SkillDemandAdmin(ScopedModelAdmin):
    list_display = ["company", "theme", "occupation_code", "headcount", "needed_by", "kecamatan"]
    list_filter = ["theme", "kecamatan"]
    list_select_related = ["company", "theme", "kecamatan"]
