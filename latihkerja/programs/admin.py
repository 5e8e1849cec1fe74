from typing import Any

from django import forms
from django.contrib import admin

from latihkerja.allocation.errors import AllocationError
from latihkerja.allocation.policy import Policy
from latihkerja.common.admin import ReferenceAdmin

from .models import DayOff, Period


class PeriodAdminForm(forms.ModelForm[Period]):
    """The admin supplies the model and the fields (`PeriodAdmin`)."""

    def clean_allocation_policy(self) -> Any:
        """Refused here rather than when Bappeda starts an allocation run (`allocation.policy.policy_for`)."""
        policy = self.cleaned_data.get("allocation_policy")
        if policy in (None, "", [], {}):
            return {}  # empty (or JSON null): the default policy, as the help text says
        if policy:
            try:
                Policy.from_json(policy)
            except AllocationError as error:
                raise forms.ValidationError(error.message, code="bad_policy") from error
        return policy


@admin.register(Period)
class PeriodAdmin(ReferenceAdmin):
    form = PeriodAdminForm
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


@admin.register(DayOff)
class DayOffAdmin(ReferenceAdmin):
    list_display = ["date", "name", "name_en"]
    search_fields = ["name", "name_en"]
    date_hierarchy = "date"
