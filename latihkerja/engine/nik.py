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

# ASCII digits only: "\d" also takes other scripts' digits (full-width "１６"), which would let one NIK be
# stored under two spellings.
_DIGITS = re.compile(r"[0-9]{16}")


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
    if not re.fullmatch(r"[0-9]{6}", region):
        raise ValueError("region must be 6 ASCII digits")
    if not 1 <= serial <= 9999:
        raise ValueError("serial must be 1..9999")
    day = birth_date.day + (40 if sex is Sex.FEMALE else 0)
    return f"{region}{day:02d}{birth_date:%m}{birth_date:%y}{serial:04d}"


# Kemendagri province codes (the first two NIK digits), including the four Papua provinces of 2022.
PROVINCE_CODES = frozenset(
    [
        "11",
        "12",
        "13",
        "14",
        "15",
        "16",
        "17",
        "18",
        "19",
        "21",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "51",
        "52",
        "53",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "72",
        "73",
        "74",
        "75",
        "76",
        "81",
        "82",
        "91",
        "92",
        "93",
        "94",
        "95",
        "96",
    ]
)


class NikRule(enum.StrEnum):
    """Every rule a NIK can break in registration, in the order they are checked."""

    LENGTH = "length"
    NOT_DIGITS = "not_digits"
    PROVINCE_UNKNOWN = "province_unknown"
    KECAMATAN_UNKNOWN = "kecamatan_unknown"
    BAD_DATE = "bad_date"
    ZERO_SERIAL = "zero_serial"
    BIRTH_DATE_MISMATCH = "birth_date_mismatch"
    SEX_MISMATCH = "sex_mismatch"
    AGE_OUT_OF_RANGE = "age_out_of_range"
    OUTSIDE_CITY = "outside_city"


@dataclass(frozen=True, slots=True)
class NikPolicy:
    """What a programme period accepts.

    `city_prefix` is the 4-digit kabupaten/kota code (3671 for Kota Tangerang); `city_kecamatan` the 6-digit
    kecamatan codes of that city (an NIK claiming the city must name one of them). Outside the city only the
    province can be checked: no national kecamatan list is shipped. `domicile_by_kelurahan` accepts a resident
    whose NIK was issued elsewhere when the profile's kelurahan is in the city (people who moved in).
    """

    city_prefix: str
    city_kecamatan: frozenset[str]
    reference_date: dt.date
    min_age: int = 15
    max_age: int = 64
    domicile_by_kelurahan: bool = True


def age_on(birth_date: dt.date, day: dt.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def check_nik(
    nik: str,
    *,
    policy: NikPolicy,
    birth_date: dt.date | None = None,
    sex: Sex | None = None,
    kelurahan_in_city: bool = False,
) -> list[NikRule]:
    """All the rules `nik` breaks for this policy and stated profile, in check order (empty: accepted).

    Structure comes first: when the NIK is not even well-formed, the later rules are not evaluated.
    """
    try:
        parts = parse_nik(nik, reference=policy.reference_date)
    except NikFormatError as error:
        return [NikRule(error.problem.value)]
    problems: list[NikRule] = []
    if parts.region[:2] not in PROVINCE_CODES:
        problems.append(NikRule.PROVINCE_UNKNOWN)
    elif parts.region.startswith(policy.city_prefix) and parts.region not in policy.city_kecamatan:
        problems.append(NikRule.KECAMATAN_UNKNOWN)
    if birth_date is not None and parts.birth_date != birth_date:
        problems.append(NikRule.BIRTH_DATE_MISMATCH)
    if sex is not None and parts.sex is not sex:
        problems.append(NikRule.SEX_MISMATCH)
    age = age_on(birth_date or parts.birth_date, policy.reference_date)
    if not policy.min_age <= age <= policy.max_age:
        problems.append(NikRule.AGE_OUT_OF_RANGE)
    in_city = parts.region.startswith(policy.city_prefix)
    if not in_city and not (policy.domicile_by_kelurahan and kelurahan_in_city):
        problems.append(NikRule.OUTSIDE_CITY)
    return problems
