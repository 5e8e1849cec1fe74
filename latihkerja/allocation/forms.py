"""Forms of the allocation pages: input parsing only; the rules live in `services`."""

from __future__ import annotations

import secrets
from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from latihkerja.common.forms import style_fields
from latihkerja.programs.models import Period

from .enums import Mechanism
from .services import SEED_PATTERN


def suggested_seed() -> str:
    """A fresh public seed to suggest; Bappeda may replace it (e.g. by numbers drawn in public)."""
    return secrets.token_hex(8)


class StartRunForm(forms.Form):
    period = forms.ModelChoiceField(
        label=_("Periode"),
        queryset=Period.objects.exclude(is_published=False).order_by("-starts_on"),
        empty_label=None,
    )
    mechanism = forms.ChoiceField(
        label=_("Mekanisme"),
        choices=Mechanism.choices,
        initial=Mechanism.DA,
        help_text=_("Hanya hasil penerimaan tertunda (DA) yang dapat diumumkan; yang lain untuk pembanding."),
    )
    seed = forms.CharField(
        label=_("Benih undian (diumumkan)"),
        max_length=64,
        validators=[
            RegexValidator(
                rf"\A{SEED_PATTERN.pattern}\Z",
                _("Gunakan 1–64 huruf, angka, titik, garis bawah atau tanda hubung."),
            )
        ],
        help_text=_("Siapa pun dapat menghitung ulang nomor undian setiap pendaftar dari benih ini."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self)
