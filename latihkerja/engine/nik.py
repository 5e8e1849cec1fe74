"""The structure of the Indonesian NIK (Nomor Induk Kependudukan), without Django.

16 digits: ``PPKKCC DDMMYY SSSS`` — the Kemendagri kecamatan code (province, kabupaten/kota, kecamatan),
the birth date with 40 added to the day for women, and a 4-digit serial (no check digit). The century is
not encoded: it is chosen as the latest one that puts the birth date on or before a reference date.
Reference: ``shared/data/nik_structure.csv``; python-stdnum ``stdnum/id/nik.py`` checks less (see README).
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from dataclasses import dataclass

_DIGITS = re.compile(r"\d{16}")


class Sex(enum.StrEnum):
    MALE = "L"
    FEMALE = "P"


class NikProblem(enum.StrEnum):
    """Why a string is not a well-formed NIK. The apps map each to a translated message."""

    LENGTH = "length"
    NOT_DIGITS = "not_digits"
    BAD_DATE = "bad_date"
    ZERO_SERIAL = "zero_serial"


class NikFormatError(ValueError):
    def __init__(self, problem: NikProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


@dataclass(frozen=True, slots=True)
class NikParts:
    region: str
    birth_date: dt.date
    sex: Sex
    serial: str


def parse_nik(nik: str, *, reference: dt.date) -> NikParts:
    """Split a NIK into its parts; raise `NikFormatError` naming the first rule it breaks."""
    if len(nik) != 16:
        raise NikFormatError(NikProblem.LENGTH)
    if not _DIGITS.fullmatch(nik):
        raise NikFormatError(NikProblem.NOT_DIGITS)
    day, month, year2 = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    sex = Sex.FEMALE if day > 40 else Sex.MALE
    if sex is Sex.FEMALE:
        day -= 40
    birth_date = _birth_date(day, month, year2, reference)
    if birth_date is None:
        raise NikFormatError(NikProblem.BAD_DATE)
    if nik[12:] == "0000":
        raise NikFormatError(NikProblem.ZERO_SERIAL)
    return NikParts(region=nik[:6], birth_date=birth_date, sex=sex, serial=nik[12:])


def _birth_date(day: int, month: int, year2: int, reference: dt.date) -> dt.date | None:
    century = reference.year // 100 * 100
    for year in (century + year2, century - 100 + year2):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            continue
        if candidate <= reference:
            return candidate
    return None


def build_nik(*, region: str, birth_date: dt.date, sex: Sex, serial: int) -> str:
    """The NIK with these parts (used by the demo-data generator and tests)."""
    if not (len(region) == 6 and region.isdigit()):
        raise ValueError("region must be 6 digits")
    if not 1 <= serial <= 9999:
        raise ValueError("serial must be 1..9999")
    day = birth_date.day + (40 if sex is Sex.FEMALE else 0)
    return f"{region}{day:02d}{birth_date:%m}{birth_date:%y}{serial:04d}"
