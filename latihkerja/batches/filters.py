"""The catalogue's filters. Bad values (an unknown kecamatan, a date like 31/02) are form errors, not 500s."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from latihkerja.catalog.enums import Modality
from latihkerja.catalog.models import Theme
from latihkerja.regions.models import Kecamatan, Kelurahan

from .enums import BatchStatus


class WholeNumberFilter(django_filters.NumberFilter):
    """A count of seats: "2.5" or "1e400" is a typing slip, not a number of seats."""

    field_class = forms.IntegerField


class CatalogueForm(forms.Form):
    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts_from, starts_until = data.get("starts_from"), data.get("starts_until")
        if starts_from and starts_until and starts_from > starts_until:
            self.add_error("starts_until", _("Tanggal akhir harus sama dengan atau setelah tanggal awal."))
        return data


class CatalogueFilter(django_filters.FilterSet):
    kecamatan = django_filters.ModelChoiceFilter(
        field_name="center__kelurahan__kecamatan",
        queryset=Kecamatan.objects.order_by("name"),
        to_field_name="code",
        label=_("Kecamatan"),
        empty_label=_("Semua kecamatan"),
    )
    kelurahan = django_filters.ModelChoiceFilter(
        field_name="center__kelurahan",
        queryset=Kelurahan.objects.order_by("name"),
        to_field_name="code",
        label=_("Kelurahan"),
        empty_label=_("Semua kelurahan"),
    )
    theme = django_filters.ModelChoiceFilter(
        queryset=Theme.objects.filter(is_active=True),
        to_field_name="code",
        label=_("Jenis pelatihan"),
        empty_label=_("Semua jenis pelatihan"),
    )
    modality = django_filters.ChoiceFilter(
        choices=Modality.choices, label=_("Bentuk kelas"), empty_label=_("Semua")
    )
    starts_from = django_filters.DateFilter(
        field_name="starts_on",
        lookup_expr="gte",
        label=_("Mulai paling cepat"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    starts_until = django_filters.DateFilter(
        field_name="starts_on",
        lookup_expr="lte",
        label=_("Mulai paling lambat"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    seats = WholeNumberFilter(
        method="filter_seats",
        label=_("Sisa kursi minimal"),
        min_value=1,
        max_value=1000,
        error_messages={"invalid": _("Tulis bilangan bulat, misalnya 5.")},
    )
    status = django_filters.ChoiceFilter(
        choices=[
            (s.value, s.label)
            for s in BatchStatus
            if s not in (BatchStatus.DRAFT, BatchStatus.APPROVED, BatchStatus.CANCELLED)
        ],
        label=_("Status"),
        empty_label=_("Semua"),
    )

    def filter_seats(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        """Seats left count only where someone can still get one: by registering (open), or first come, first
        served after allocation while a late joiner can still complete the class (`late_join_open`)."""
        if value is None:
            return queryset
        takes_people = Q(status=BatchStatus.OPEN) | Q(late_join_open=True)
        return queryset.filter(takes_people, seats_left__gte=value)

    class Meta:
        form = CatalogueForm

    def __init__(self, data: Any = None, *args: Any, **kwargs: Any) -> None:
        kecamatan_code = data.get("kecamatan") if data else None
        kelurahan_code = data.get("kelurahan") if data else None
        if kecamatan_code and kelurahan_code and not kelurahan_code.startswith(f"{kecamatan_code}."):
            # A kelurahan left from the kecamatan chosen before: the new kecamatan wins, with all its kelurahan.
            data = data.copy()
            data.pop("kelurahan")
        # Every kelurahan stays in the list: the page narrows it to the chosen kecamatan's as it changes
        # (static/js/app.js), which a list cut to the kecamatan sent last could not.
        super().__init__(data, *args, **kwargs)
        for name, field in self.form.fields.items():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            if self.form.is_bound and name in self.form.errors:
                css += " is-invalid"
            field.widget.attrs["class"] = css
