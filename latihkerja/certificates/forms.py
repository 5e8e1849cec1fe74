from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .errors import CertificateError
from .numbers import MAX_INPUT_LENGTH, normalize_number
from .services import REASON_MAX_LENGTH


class VerifyForm(forms.Form):
    nomor = forms.CharField(
        label=_("Nomor sertifikat"),
        help_text=_(
            "Tertulis di sertifikat, misalnya LK-7QX4-M2KD-9HZP. Huruf besar/kecil dan tanda hubung boleh diabaikan."
        ),
        max_length=MAX_INPUT_LENGTH,
        widget=forms.TextInput(
            attrs={
                "class": "form-control form-control-lg",
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
            }
        ),
    )

    def clean_nomor(self) -> str:
        number = normalize_number(self.cleaned_data["nomor"])
        if number is None:
            raise forms.ValidationError(CertificateError.NUMBER_INVALID)
        return number


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan pencabutan"),
        help_text=_("Alasan ini dicatat dan tidak ditampilkan kepada publik."),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
        error_messages={"required": CertificateError.REASON_REQUIRED},
    )
