"""Registration forms. Every field's problem is reported beside the field and in the summary at the top."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from latihkerja.catalog.fields import ThemeMultipleChoiceField
from latihkerja.catalog.models import Theme
from latihkerja.common.forms import style_fields
from latihkerja.engine.nik import NikRule
from latihkerja.programs.models import Period
from latihkerja.regions.models import Kelurahan
from latihkerja.residents.enums import Education, EmploymentStatus, Sex
from latihkerja.residents.models import Resident
from latihkerja.residents.services import register_resident
from latihkerja.residents.validators import clean_full_name, identity_digits, nik_problems

from .consent import consent_text


class BootstrapMixin:
    """Bootstrap classes and `aria-invalid` on the widgets; the templates stay plain."""

    def apply_classes(self: Any) -> None:
        style_fields(self)


class PhoneForm(BootstrapMixin, forms.Form):
    phone = forms.CharField(
        label=_("Nomor HP"),
        max_length=20,
        help_text=_(
            "Kami akan mengirim kode 6 angka lewat SMS ke nomor ini. Boleh memakai nomor HP anggota keluarga, "
            "asalkan Anda bisa membaca SMS-nya."
        ),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )

    def __init__(self, *args: Any, assisted: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if assisted:  # the operator fills it in for the resident
            self.fields["phone"].help_text = _(
                "Kode 6 angka dikirim lewat SMS ke nomor ini. Boleh nomor keluarga atau tetangga yang pesannya bisa "
                "dibacakan kepada warga."
            )
        self.apply_classes()


class CodeForm(BootstrapMixin, forms.Form):
    code = forms.RegexField(
        label=_("Kode dari SMS"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("Kode terdiri dari 6 angka.")},
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "maxlength": "6"}
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.apply_classes()


class PersonForm(BootstrapMixin, forms.Form):
    """Who is signing in, when several residents share the verified phone: their NIK."""

    nik = forms.CharField(
        label=_("NIK Anda"),
        max_length=24,
        help_text=_("16 angka pada KTP atau KK."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.apply_classes()

    def clean_nik(self) -> str:
        nik = identity_digits(self.cleaned_data["nik"])
        if not re.fullmatch(r"[0-9]{16}", nik):
            raise forms.ValidationError(_("NIK harus 16 angka."))
        return nik


class KelurahanChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} (Kec. {obj.kecamatan.name})"


class ProfileForm(BootstrapMixin, forms.Form):
    nik = forms.CharField(
        label=_("NIK"),
        max_length=20,
        help_text=_("16 angka pada KTP atau KK."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    kk = forms.CharField(
        label=_("Nomor KK"),
        max_length=20,
        help_text=_("16 angka pada Kartu Keluarga."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    full_name = forms.CharField(
        label=_("Nama lengkap sesuai KTP"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    sex = forms.ChoiceField(label=_("Jenis kelamin"), choices=Sex.choices, widget=forms.RadioSelect)
    birth_date = forms.DateField(
        label=_("Tanggal lahir"),
        # Typed day first as the KTP writes it, whatever language the page or the browser is in: a browser's
        # date picker shows month first in an English browser, and "05/08/1995" then became 8 May.
        widget=forms.DateInput(
            attrs={"inputmode": "numeric", "autocomplete": "bday", "placeholder": "DD/MM/YYYY"},
            format="%d/%m/%Y",
        ),
        input_formats=["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d%m%Y", "%Y-%m-%d"],
        help_text=_("Hari/bulan/tahun seperti di KTP, misalnya 17/08/1995."),
        error_messages={
            "invalid": _(
                "Tanggal ini tidak ada atau tidak terbaca. Tulis hari/bulan/tahun seperti di KTP, misalnya "
                "17/08/1995."
            )
        },
    )
    kelurahan = KelurahanChoiceField(
        label=_("Kelurahan tempat tinggal"),
        queryset=Kelurahan.objects.select_related("kecamatan").order_by("name"),
        to_field_name="code",
        empty_label=_("Pilih kelurahan"),
    )
    address = forms.CharField(
        label=_("Alamat (jalan, RT/RW)"),
        max_length=300,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    email = forms.EmailField(
        label=_("Email (tidak wajib)"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    education = forms.ChoiceField(
        label=_("Pendidikan terakhir"), choices=[("", _("Pilih")), *Education.choices]
    )
    employment_status = forms.ChoiceField(
        label=_("Status pekerjaan sekarang"), choices=EmploymentStatus.choices, widget=forms.RadioSelect
    )
    has_disability = forms.BooleanField(label=_("Saya penyandang disabilitas"), required=False)
    interests = ThemeMultipleChoiceField(
        label=_("Minat pelatihan (tidak wajib)"),
        queryset=Theme.objects.filter(is_active=True).order_by("name"),
        to_field_name="code",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    consent = forms.BooleanField(
        label=_("Saya setuju"),
        required=True,
        error_messages={"required": _("Centang persetujuan untuk melanjutkan.")},
    )

    def __init__(self, *args: Any, period: Period, assisted: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.period = period
        self.consent_text = consent_text()
        if assisted:  # an operator fills it in for the resident: the labels speak of them, not of "me"
            self.fields["full_name"].label = _("Nama lengkap warga sesuai KTP")
            self.fields["has_disability"].label = _("Warga penyandang disabilitas")
            self.fields["consent"].label = _(
                "Warga sudah membaca (atau dibacakan) teks ini dan menyetujuinya"
            )
        self.apply_classes()

    def clean_nik(self) -> str:
        return identity_digits(self.cleaned_data["nik"])

    def clean_kk(self) -> str:
        kk = identity_digits(self.cleaned_data["kk"])
        if not re.fullmatch(r"[0-9]{16}", kk):
            raise forms.ValidationError(_("Nomor KK harus 16 angka."))
        return kk

    def clean_birth_date(self) -> dt.date:
        value: dt.date = self.cleaned_data["birth_date"]
        if value > timezone.localdate() or value.year < 1900:
            raise forms.ValidationError(
                _(
                    "Tanggal lahir ini tidak mungkin benar (di masa depan atau sebelum 1900). Periksa lagi di KTP."
                )
            )
        return value

    def clean_full_name(self) -> str:
        return clean_full_name(self.cleaned_data["full_name"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "nik" in data:
            for rule, problem in nik_problems(
                data["nik"],
                period=self.period,
                birth_date=data.get("birth_date"),
                sex=data.get("sex"),
                kelurahan=data.get("kelurahan"),
            ):
                # An age outside the programme is the birth date's (which the NIK agrees with), as in the import.
                field = "birth_date" if rule is NikRule.AGE_OUT_OF_RANGE and data.get("birth_date") else "nik"
                self.add_error(field, problem)
        return data

    def register(self, *, user: Any, phone: str, source: str, assisted_by: Any = None) -> Resident:
        """Register the resident this valid form describes (`residents.services.register_resident`, which may
        still refuse with a `ResidentError`: an NIK taken meanwhile, an account that already has a profile)."""
        data = self.cleaned_data
        return register_resident(
            period=self.period,
            user=user,
            nik=data["nik"],
            kk=data["kk"],
            full_name=data["full_name"],
            sex=data["sex"],
            birth_date=data["birth_date"],
            kelurahan=data["kelurahan"],
            address=data["address"],
            phone=phone,
            email=data["email"],
            education=data["education"],
            employment_status=data["employment_status"],
            has_disability=data["has_disability"],
            interests=data["interests"],
            consent_given=data["consent"],
            source=source,
            assisted_by=assisted_by,
        )


class ChoicesForm(BootstrapMixin, forms.Form):
    """N ranked choices; each a select of open batches (grouped by kecamatan in the template's data)."""

    def __init__(self, *args: Any, batches: list[Any], max_choices: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for rank in range(1, max_choices + 1):
            self.fields[f"choice_{rank}"] = forms.ChoiceField(
                label=_("Pilihan ke-%(rank)s") % {"rank": rank},
                required=False,  # an empty rank is skipped: the choices move up (`codes`)
                error_messages={"invalid_choice": _("Kelas ini tidak tersedia. Pilih dari daftar.")},
                # A phone cuts the chosen option short: the page repeats it in full under the list.
                widget=forms.Select(attrs={"data-show-choice": ""}),
            )
        self._offer(batches)
        self.apply_classes()

    def _offer(self, batches: list[Any]) -> None:
        """The classes each select lists, grouped by kecamatan."""
        options: list[tuple[str, Any]] = [("", _("— tidak memilih —"))]
        groups: dict[str, list[tuple[str, str]]] = {}
        for batch in batches:
            label = _("%(theme)s · %(center)s · mulai %(date)s") % {
                "theme": batch.theme.display_name,
                "center": batch.center.name,
                "date": date_format(batch.starts_on, "j M Y"),
            }
            groups.setdefault(batch.center.kelurahan.kecamatan.name, []).append((batch.code, label))
        options += [(f"Kec. {name}", items) for name, items in sorted(groups.items())]
        for name, field in self.fields.items():
            if name.startswith("choice_"):
                field.choices = options  # type: ignore[attr-defined]

    def codes(self) -> list[str]:
        """The chosen classes in rank order, gaps closed (a class in rank 2 alone is the first choice)."""
        return [value for name, value in self.cleaned_data.items() if name.startswith("choice_") and value]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen = [value for name, value in data.items() if name.startswith("choice_") and value]
        if not chosen and not self.errors:
            self.add_error("choice_1", _("Pilih setidaknya satu kelas."))
        if len(set(chosen)) != len(chosen):
            raise forms.ValidationError(_("Setiap kelas hanya boleh dipilih sekali."))
        return data
