"""Forms of the planning pages: input parsing only; the rules live in `services`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from latihkerja.catalog.fields import ThemeChoiceField
from latihkerja.catalog.models import Theme
from latihkerja.centers.models import Center
from latihkerja.common.dates import month_label
from latihkerja.common.forms import StyledForm
from latihkerja.programs.models import Period


class StartPlanForm(StyledForm):
    period = forms.ModelChoiceField(
        label=_("Periode"), queryset=Period.objects.order_by("-starts_on"), empty_label=None
    )
    time_limit = forms.FloatField(
        label=_("Batas waktu penghitungan (detik)"),
        initial=10,
        min_value=1,
        max_value=600,
        error_messages={
            "invalid": _("Tulis angka."),
            "min_value": _("Paling sedikit 1 detik."),
            "max_value": _("Paling lama 600 detik."),
        },
    )


def _center_field() -> forms.ModelChoiceField[Center]:
    return forms.ModelChoiceField(
        label=_("BLK"),
        queryset=Center.objects.filter(is_active=True).order_by("name"),
        to_field_name="code",
        empty_label=_("Pilih BLK…"),
        error_messages={"required": _("Pilih BLK."), "invalid_choice": _("Pilih BLK dari daftar.")},
    )


class MonthChoiceMixin(StyledForm):
    month = forms.ChoiceField(
        label=_("Bulan"), error_messages={"invalid_choice": _("Pilih bulan periode rencana.")}
    )

    def __init__(self, *args: Any, months: list[str], **kwargs: Any) -> None:
        self.months = months
        super().__init__(*args, **kwargs)

    def setup(self) -> None:
        field = self.fields["month"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(month, month_label(month)) for month in self.months]


class AddPlannedBatchForm(MonthChoiceMixin):
    center = _center_field()
    theme = ThemeChoiceField(
        label=_("Tema"),
        queryset=Theme.objects.filter(is_active=True).order_by("name"),
        to_field_name="code",
        empty_label=_("Pilih tema…"),
        error_messages={"required": _("Pilih tema."), "invalid_choice": _("Pilih tema dari daftar.")},
    )
    field_order = ["center", "theme", "month"]


class MovePlannedBatchForm(MonthChoiceMixin):
    center = _center_field()
    field_order = ["center", "month"]

    def __init__(
        self, *args: Any, center_choices: list[tuple[str, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if center_choices is not None:
            # The review page shows one form per planned batch: the centre list is read once for all of them
            # (validation on POST still checks the queryset).
            self.fields["center"].choices = center_choices  # type: ignore[attr-defined]

    @staticmethod
    def read_center_choices(kecamatan: Any = None) -> list[tuple[str, str]]:
        """The centres offered to move to: those of `kecamatan` when given. The review page lists one
        kecamatan's classes, and residents travel within their kecamatan (the planner's rule); listing every
        centre in every row made 4,463 options a page at city scale and 5,000 per row at national scale. A
        class goes to another kecamatan by removing it and adding it there."""
        field = MovePlannedBatchForm.base_fields["center"]
        assert isinstance(field, forms.ModelChoiceField)
        assert field.queryset is not None
        centers = field.queryset.all()
        if kecamatan is not None:
            centers = centers.filter(kelurahan__kecamatan=kecamatan)
        return [("", str(field.empty_label))] + [(c.code, c.name) for c in centers]


class ApprovePlanForm(StyledForm):
    open_registration = forms.BooleanField(
        label=_("Langsung buka pendaftaran kelas-kelas ini (tampil di katalog publik)"), required=False
    )
