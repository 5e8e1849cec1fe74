from typing import Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from latihkerja.common.admin import ScopedModelAdmin

from .errors import DemandError
from .models import Company, DemandImport, SkillDemand, Vacancy


class SkillDemandInlineFormSet(BaseInlineFormSet):  # type: ignore[type-arg]
    """An inline row's form leaves out the company, so Django skips the rule that a need is declared once: the
    rows are checked here, against each other and against the stored needs, before anything is saved."""

    def clean(self) -> None:
        super().clean()
        seen = set()
        for form in self.forms:
            if not form.is_valid() or form.cleaned_data.get("DELETE"):
                continue
            need = form.instance
            key = (need.theme_id, need.occupation_code, need.headcount, need.needed_by, need.kecamatan_id)
            if key in seen:
                form.add_error(None, DemandError.DUPLICATE)
            elif form.has_changed():
                try:
                    need.validate_constraints()
                except ValidationError as error:
                    form.add_error(None, error)
            seen.add(key)


class SkillDemandInline(admin.TabularInline[SkillDemand, Company]):
    model = SkillDemand
    formset = SkillDemandInlineFormSet
    extra = 0


class VerificationFilter(admin.SimpleListFilter):
    """Where a company stands with Disnaker: waiting, verified, or declined (declined ones are on no page)."""

    title = _("verifikasi")
    parameter_name = "verifikasi"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("menunggu", _("Menunggu")), ("terverifikasi", _("Terverifikasi")), ("ditolak", _("Ditolak"))]

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        if self.value() == "menunggu":
            return queryset.filter(verified_at__isnull=True, declined_at__isnull=True)
        if self.value() == "terverifikasi":
            return queryset.filter(verified_at__isnull=False)
        if self.value() == "ditolak":
            return queryset.filter(verified_at__isnull=True, declined_at__isnull=False)
        return queryset


@admin.register(Company)
class CompanyAdmin(ScopedModelAdmin):
    list_display = ["name", "nib", "sector", "kecamatan", "verified_at", "declined_at"]
    list_filter = [VerificationFilter, "sector", "kecamatan"]
    search_fields = ["name", "nib"]
    # Verification goes through `services.verify_company` (the Disnaker page): audit-logged, one writer.
    readonly_fields = ["verified_at", "verified_by"]
    inlines = [SkillDemandInline]


@admin.register(SkillDemand)
class SkillDemandAdmin(ScopedModelAdmin):
    list_display = ["company", "theme", "occupation_code", "headcount", "needed_by", "kecamatan"]
    list_filter = ["theme", "kecamatan"]
    list_select_related = ["company", "theme", "kecamatan"]
    search_fields = ["company__name", "company__nib", "theme__name", "theme__code", "occupation_code"]


@admin.register(Vacancy)
class VacancyAdmin(ScopedModelAdmin):
    list_display = ["title", "company", "theme", "count", "kecamatan", "salary_min", "salary_max", "deadline"]
    list_filter = ["theme", "kecamatan"]
    list_select_related = ["company", "theme", "kecamatan"]
    search_fields = ["title", "company__name"]


@admin.register(DemandImport)
class DemandImportAdmin(ScopedModelAdmin):
    """Read-only: imports are created, checked and committed on the import pages only."""

    list_display = ["original_name", "uploaded_by", "status", "row_count", "error_count", "created_at"]
    list_filter = ["status"]
    exclude = ["content"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in DemandImport._meta.fields if f.name != "content"]
