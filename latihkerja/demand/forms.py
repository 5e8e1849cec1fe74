"""Forms of the employer pages: input parsing and messages only; the rules live in `services`."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from latihkerja.catalog.fields import ThemeChoiceField
from latihkerja.catalog.models import Theme
from latihkerja.common.forms import StyledForm
from latihkerja.regions.models import Kecamatan

from .errors import DemandError
from .imports import EXTENSIONS
from .models import (
    MAX_HEADCOUNT,
    MAX_SALARY,
    MIN_SALARY,
    REQUIREMENTS_MAX,
    contact_phone_validator,
    nib_validator,
    occupation_code_is_isco,
    occupation_code_validator,
)
from .services import latest_deadline, latest_need_date


def _kecamatan_field() -> forms.ModelChoiceField[Kecamatan]:
    return forms.ModelChoiceField(
        label=_("Kecamatan"),
        queryset=Kecamatan.objects.order_by("name"),
        empty_label=_("Pilih kecamatan…"),
        error_messages={
            "required": _("Pilih kecamatan."),
            "invalid_choice": _("Pilih kecamatan dari daftar."),
        },
    )


def _theme_field(required: bool = False) -> ThemeChoiceField:
    return ThemeChoiceField(
        label=_("Tema pelatihan"),
        queryset=Theme.objects.filter(is_active=True).order_by("name"),
        to_field_name="code",
        required=required,
        empty_label=_("Pilih tema…"),
        error_messages={"invalid_choice": _("Pilih tema dari daftar.")},
    )


def _positive(label: Any, message: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=1,
        max_value=MAX_HEADCOUNT,
        error_messages={
            "invalid": _("Tulis angka bulat."),
            "min_value": message,
            "max_value": _("Paling banyak 100.000."),
        },
    )


def _date(label: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Tulis tanggal yang sah.")},
    )


class EmployerSignupForm(StyledForm):
    username = forms.CharField(
        label=_("Nama pengguna"),
        max_length=150,
        validators=[RegexValidator(r"\A[\w.@+-]+\Z", _("Gunakan huruf, angka dan . @ + - _ saja."))],
    )
    password = forms.CharField(label=_("Kata sandi"), widget=forms.PasswordInput, strip=False)
    name = forms.CharField(label=_("Nama perusahaan"), max_length=200)
    nib = forms.CharField(
        label=_("NIB"),
        help_text=_("Nomor Induk Berusaha dari OSS, 13 angka."),
        validators=[nib_validator],
    )
    sector = forms.CharField(label=_("Sektor usaha"), max_length=100)
    kecamatan = _kecamatan_field()
    address = forms.CharField(label=_("Alamat"), max_length=300, required=False)
    contact_name = forms.CharField(label=_("Nama kontak"), max_length=200)
    contact_phone = forms.CharField(
        label=_("Telepon kontak"),
        max_length=20,
        validators=[contact_phone_validator],
    )
    contact_email = forms.EmailField(label=_("Email kontak"))

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        validate_password(password)
        return password


class CompanyProfileForm(StyledForm):
    """What an employer keeps current about their company. The name and NIB are what Disnaker verifies: once
    verified, a change there goes through Disnaker (`verified=True` leaves them out)."""

    name = forms.CharField(label=_("Nama perusahaan"), max_length=200)
    nib = forms.CharField(
        label=_("NIB"), help_text=_("Nomor Induk Berusaha dari OSS, 13 angka."), validators=[nib_validator]
    )
    sector = forms.CharField(label=_("Sektor usaha"), max_length=100)
    kecamatan = _kecamatan_field()
    address = forms.CharField(label=_("Alamat"), max_length=300, required=False)
    contact_name = forms.CharField(label=_("Nama kontak"), max_length=200)
    contact_phone = forms.CharField(
        label=_("Telepon kontak"), max_length=20, validators=[contact_phone_validator]
    )
    contact_email = forms.EmailField(label=_("Email kontak"))

    def __init__(self, *args: Any, verified: bool, **kwargs: Any) -> None:
        self.verified = verified
        super().__init__(*args, **kwargs)

    def setup(self) -> None:
        if self.verified:
            del self.fields["name"], self.fields["nib"]


class DemandForm(StyledForm):
    theme = _theme_field()
    occupation_code = forms.CharField(
        label=_("Atau kode jabatan (ISCO-08)"),
        max_length=4,
        required=False,
        validators=[occupation_code_validator, occupation_code_is_isco],
        help_text=_("Isi bila tidak ada tema yang cocok, misalnya 7212 (tukang las)."),
    )
    headcount = _positive(_("Jumlah orang"), DemandError.HEADCOUNT_POSITIVE)
    needed_by = _date(_("Dibutuhkan paling lambat"))
    kecamatan = _kecamatan_field()
    requirements = forms.CharField(
        label=_("Persyaratan"),
        required=False,
        max_length=REQUIREMENTS_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_needed_by(self) -> Any:
        value = self.cleaned_data["needed_by"]
        if value <= timezone.localdate():
            raise forms.ValidationError(DemandError.NEEDED_BY_PAST)
        if value > latest_need_date():
            raise forms.ValidationError(DemandError.NEEDED_BY_FAR)
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            not data.get("theme")
            and not data.get("occupation_code")
            and not {"theme", "occupation_code"} & set(self.errors)
        ):
            self.add_error("theme", DemandError.THEME_OR_OCCUPATION)
        if data.get("theme") and data.get("occupation_code"):
            # A theme with an unrelated occupation (Barista · 7212 welders) would be counted under the theme.
            self.add_error("occupation_code", DemandError.THEME_AND_OCCUPATION)
        return data


class RupiahField(forms.IntegerField):
    """Rupiah a month, typed as people write it: 4500000, 4.500.000, Rp 4.500.000, 4.500.000,00, 4.500.000,-,
    4,500,000 or 4,500,000.00.

    A text field, not a number field: a browser's number field reads "4.500.000" as 4.5 and sends 4."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", MAX_SALARY)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
        kwargs.setdefault(
            "error_messages",
            {
                "invalid": _("Tulis jumlah rupiah dengan angka, misalnya 4.500.000."),
                "min_value": DemandError.SALARY_NEGATIVE,
                "max_value": DemandError.SALARY_TOO_HIGH,
            },
        )
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            text = re.sub(r"(?i)^\s*rp\.?", "", value).strip().replace(" ", "")
            text = re.sub(r",-$", "", text)  # 4.500.000,-
            text = re.sub(
                r"^(\d{1,3}(?:[.,]\d{3})+|\d+)[.,]0{1,2}$", r"\1", text
            )  # 4.500.000,00 / 4,500,000.00
            if re.fullmatch(r"\d{1,3}([.,]\d{3})+", text):
                text = re.sub(r"[.,]", "", text)
            value = text
        return super().to_python(value)

    def prepare_value(self, value: Any) -> Any:
        """A stored amount shown grouped the reader's way (4.500.000), as it is typed."""
        if isinstance(value, int) and not isinstance(value, bool):
            return number_format(value, force_grouping=True)
        return value

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value is not None and 0 < value < MIN_SALARY:
            raise forms.ValidationError(DemandError.SALARY_TOO_LOW, code="too_low")


class VacancyForm(StyledForm):
    title = forms.CharField(label=_("Judul lowongan"), max_length=200)
    theme = _theme_field()
    skills = forms.CharField(label=_("Keterampilan"), max_length=300, required=False)
    count = _positive(_("Jumlah lowongan"), DemandError.COUNT_POSITIVE)
    kecamatan = _kecamatan_field()
    place = forms.CharField(label=_("Tempat kerja"), max_length=300, required=False)
    salary_min = RupiahField(
        label=_("Gaji minimum (Rp)"), help_text=_("Sebulan. Isi 0 bila tidak disebutkan.")
    )
    salary_max = RupiahField(
        label=_("Gaji maksimum (Rp)"),
        help_text=_("Sebulan. Isi 0 bila tidak disebutkan (misalnya hanya gaji minimum yang disebutkan)."),
    )
    deadline = _date(_("Batas lamaran"))

    def clean_deadline(self) -> Any:
        value = self.cleaned_data["deadline"]
        if value <= timezone.localdate():
            raise forms.ValidationError(DemandError.DEADLINE_PAST)
        if value > latest_deadline():
            raise forms.ValidationError(DemandError.DEADLINE_FAR)
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("salary_min"), data.get("salary_max")
        if low is not None and high and low > high:  # a maximum of 0 is not stated
            self.add_error("salary_max", DemandError.SALARY_RANGE)
        return data


class DemandImportForm(StyledForm):
    file = forms.FileField(
        label=_("Berkas kebutuhan (.xlsx atau .csv)"),
        help_text=_(
            "Baris pertama berisi judul kolom: nib, tema atau kode_jabatan, jumlah, paling_lambat, "
            "kecamatan, persyaratan."
        ),
        error_messages={"required": _("Pilih berkas yang akan diimpor."), "empty": _("Berkas kosong.")},
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(EXTENSIONS):
            raise forms.ValidationError(_("Hanya berkas .csv atau .xlsx yang bisa diimpor."))
        return upload
