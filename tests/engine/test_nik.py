import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from latihkerja.engine.nik import NikFormatError, NikProblem, Sex, build_nik, parse_nik

pytestmark = pytest.mark.unit

REFERENCE = dt.date(2020, 10, 1)


@given(
    region=st.from_regex(r"[0-9]{6}", fullmatch=True),  # a NIK has ASCII digits only
    birth=st.dates(min_value=dt.date(1921, 10, 2), max_value=REFERENCE),
    sex=st.sampled_from(Sex),
    serial=st.integers(1, 9999),
)
def test_parse_returns_the_parts_that_build_put_in_when_round_tripped(region, birth, sex, serial):
    nik = build_nik(region=region, birth_date=birth, sex=sex, serial=serial)

    parts = parse_nik(nik, reference=REFERENCE)

    assert len(nik) == 16
    assert (parts.region, parts.birth_date, parts.sex, int(parts.serial)) == (region, birth, sex, serial)


def test_womens_day_carries_forty_when_built():
    nik = build_nik(region="367101", birth_date=dt.date(1990, 1, 5), sex=Sex.FEMALE, serial=1)

    assert nik == "3671014501900001"
    assert parse_nik(nik, reference=REFERENCE).sex is Sex.FEMALE


@pytest.mark.parametrize(
    ("nik", "problem"),
    [
        ("367101450190001", NikProblem.LENGTH),
        ("36710145019000011", NikProblem.LENGTH),
        ("36710145019O0001", NikProblem.NOT_DIGITS),
        ("3671013102900001", NikProblem.BAD_DATE),  # 31 February
        ("3671017201900001", NikProblem.BAD_DATE),  # day 72 - 40 = 32
        ("3671010013900001", NikProblem.BAD_DATE),  # month 13
        ("3671010101900000", NikProblem.ZERO_SERIAL),
    ],
)
def test_malformed_nik_names_the_rule_it_breaks_when_parsed(nik, problem):
    with pytest.raises(NikFormatError) as error:
        parse_nik(nik, reference=REFERENCE)

    assert error.value.problem is problem


def test_century_is_the_latest_before_the_reference_when_ambiguous():
    assert parse_nik("3671010101050001", reference=REFERENCE).birth_date == dt.date(2005, 1, 1)
    assert parse_nik("3671010101250001", reference=REFERENCE).birth_date == dt.date(1925, 1, 1)
