"""The one NIK validator used by forms, the API and the import (each broken rule has its own message), and the
rule of a resident's name shared by the registration form, the import and the admin."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from latihkerja.engine.nik import NikPolicy, NikRule, Sex, check_nik
from latihkerja.programs.models import Period
from latihkerja.regions.models import Kecamatan, Kelurahan

MESSAGES = {
    NikRule.LENGTH: _("NIK harus 16 angka."),
    NikRule.NOT_DIGITS: _("NIK hanya boleh berisi angka."),
    NikRule.PROVINCE_UNKNOWN: _(
        "NIK ini tidak mungkin benar: dua angka pertamanya bukan kode provinsi. Periksa lagi NIK di KTP."
    ),
    NikRule.KECAMATAN_UNKNOWN: _(
        "Kode kecamatan pada NIK (angka ke-5 dan ke-6) tidak ada di kota ini. Periksa lagi NIK di KTP."
    ),
    NikRule.BAD_DATE: _(
        "NIK ini tidak mungkin benar: angka ke-7 sampai ke-12 bukan tanggal lahir (untuk perempuan, tanggalnya "
        "ditambah 40). Periksa lagi NIK di KTP atau KK."
    ),
    NikRule.ZERO_SERIAL: _("Empat angka terakhir NIK tidak boleh 0000. Periksa lagi NIK di KTP."),
    NikRule.BIRTH_DATE_MISMATCH: _(
        "Tanggal lahir pada NIK tidak sama dengan tanggal lahir yang diisi. Periksa keduanya di KTP."
    ),
    NikRule.SEX_MISMATCH: _(
        "NIK tidak cocok dengan jenis kelamin yang dipilih (pada NIK perempuan, tanggal lahir ditambah 40). "
        "Periksa NIK di KTP dan pilihan jenis kelamin."
    ),
    NikRule.AGE_OUT_OF_RANGE: _(
        "Program ini untuk usia %(min_age)s–%(max_age)s tahun pada awal periode (%(start)s)."
    ),
    NikRule.OUTSIDE_CITY: _(
        "NIK ini bukan NIK %(city)s, dan kelurahan yang dipilih tidak berada di %(city)s. Pelatihan ini untuk "
        "warga yang tinggal di %(city)s."
    ),
}


FULL_NAME_FORMAT = _("Tulis nama lengkap dengan huruf, sesuai KTP.")


def identity_digits(value: str) -> str:
    """An NIK or KK as typed, in the one spelling it is stored and compared in: other scripts' digits (a
    full-width "１６") become ASCII digits, and spaces, dots and dashes between groups go."""
    return re.sub(r"[\s.\-]", "", unicodedata.normalize("NFKC", value))


# Besides letters (any script, with their accents) and spaces, what names on a KTP hold: "Moh. Ali",
# "Nur'aini", "Drs. H. Ahmad, S.Pd.", "Siti Rahma-Wati".
_NAME_PUNCTUATION = frozenset(" .,'’‘-")


def is_full_name(name: str) -> bool:
    """A name as on the KTP: at least two characters, starting with a letter, of letters, spaces and the
    punctuation names carry. No digits (a number is a typing slip or an NIK), and no symbols: "<", "=" or an
    emoji belong to no name, and "=…" would run as a formula in the spreadsheets names are exported to."""
    if len(name) < 2 or not name[0].isalpha():
        return False
    return all(
        ch.isalpha() or ch in _NAME_PUNCTUATION or unicodedata.category(ch).startswith("M") for ch in name
    )


def clean_full_name(raw: str) -> str:
    """`raw` with its runs of spaces made single; `ValidationError(FULL_NAME_FORMAT)` unless it is a name."""
    name = " ".join(raw.split())
    if not is_full_name(name):
        raise ValidationError(FULL_NAME_FORMAT, code="full_name_format")
    return name


@cache
def _city_kecamatan(city_code: str) -> frozenset[str]:
    return frozenset(
        Kecamatan.objects.filter(code__startswith=city_code).values_list("nik_prefix", flat=True)
    )


def nik_policy(period: Period) -> NikPolicy:
    city_code = settings.CITY["region_code"]
    return NikPolicy(
        city_prefix=city_code.replace(".", ""),
        city_kecamatan=_city_kecamatan(city_code),
        reference_date=period.starts_on,
        min_age=period.min_age,
        max_age=period.max_age,
        domicile_by_kelurahan=period.domicile_by_kelurahan,
    )


def nik_problems(
    nik: str,
    *,
    period: Period,
    birth_date: dt.date | None = None,
    sex: str | None = None,
    kelurahan: Kelurahan | None = None,
) -> list[tuple[NikRule, str]]:
    """Every rule `nik` breaks with its message (empty when it is accepted)."""
    city_code = settings.CITY["region_code"]
    rules = check_nik(
        nik,
        policy=nik_policy(period),
        birth_date=birth_date,
        sex=Sex(sex) if sex in ("L", "P") else None,
        kelurahan_in_city=bool(kelurahan and kelurahan.code.startswith(city_code)),
    )
    params = message_params(period)
    return [
        (rule, str(MESSAGES[rule]) % params if "%(" in str(MESSAGES[rule]) else str(MESSAGES[rule]))
        for rule in rules
    ]


def message_params(period: Period) -> dict[str, object]:
    """What the messages name: the age range, the day it is measured on and the city (in the active language)."""
    return {
        "min_age": period.min_age,
        "max_age": period.max_age,
        "start": date_format(period.starts_on, "j F Y"),
        "city": settings.CITY["name"],
    }


def clear_caches() -> None:
    _city_kecamatan.cache_clear()
