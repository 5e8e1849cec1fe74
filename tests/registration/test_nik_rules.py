"""The NIK validator: one rule, one message, in Indonesian and in English."""

import datetime as dt

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from latihkerja.engine.nik import NikPolicy, NikRule, Sex, build_nik, check_nik
from latihkerja.regions.models import Kelurahan
from latihkerja.residents.validators import nik_problems

START = dt.date(2020, 10, 1)
POLICY = NikPolicy(
    city_prefix="3671", city_kecamatan=frozenset(f"3671{n:02d}" for n in range(1, 14)), reference_date=START
)


@pytest.mark.unit
@settings(max_examples=300)
@given(
    kecamatan=st.integers(1, 13),
    age_days=st.integers(15 * 366, 64 * 365),
    sex=st.sampled_from(Sex),
    serial=st.integers(1, 9999),
)
def test_a_city_nik_with_a_matching_profile_is_accepted_when_of_working_age(kecamatan, age_days, sex, serial):
    birth = START - dt.timedelta(days=age_days)
    nik = build_nik(region=f"3671{kecamatan:02d}", birth_date=birth, sex=sex, serial=serial)

    assert check_nik(nik, policy=POLICY, birth_date=birth, sex=sex) == []


@pytest.mark.unit
@given(nik=st.text(max_size=20))
def test_any_string_gets_a_verdict_never_an_exception_when_checked(nik):
    problems = check_nik(nik, policy=POLICY)

    assert all(isinstance(p, NikRule) for p in problems)
    if len(nik) != 16:
        assert problems == [NikRule.LENGTH]


@pytest.mark.unit
@given(
    birth=st.dates(min_value=dt.date(1960, 1, 1), max_value=dt.date(2000, 12, 31)), other=st.integers(1, 400)
)
def test_a_different_stated_birth_date_is_refused_when_checked(birth, other):
    nik = build_nik(region="367101", birth_date=birth, sex=Sex.MALE, serial=1)

    problems = check_nik(nik, policy=POLICY, birth_date=birth + dt.timedelta(days=other), sex=Sex.MALE)

    assert NikRule.BIRTH_DATE_MISMATCH in problems


@pytest.mark.unit
@pytest.mark.parametrize(
    ("nik", "kwargs", "expected"),
    [
        ("367101450190", {}, [NikRule.LENGTH]),
        ("3671014501900O01", {}, [NikRule.NOT_DIGITS]),
        ("367101450190０００１", {}, [NikRule.NOT_DIGITS]),  # full-width: one NIK must have one spelling
        ("3671013102900001", {}, [NikRule.BAD_DATE]),
        ("3671010101900000", {}, [NikRule.ZERO_SERIAL]),
        ("9971010101900001", {}, [NikRule.PROVINCE_UNKNOWN, NikRule.OUTSIDE_CITY]),
        ("3671990101900001", {}, [NikRule.KECAMATAN_UNKNOWN]),
        ("3671014501900001", {"sex": Sex.MALE}, [NikRule.SEX_MISMATCH]),  # day 45 = a woman born on the 5th
        ("3671010501900001", {"sex": Sex.FEMALE}, [NikRule.SEX_MISMATCH]),
        ("3671010101100001", {}, [NikRule.AGE_OUT_OF_RANGE]),  # 10 years old in 2020
        ("3671010101500001", {}, [NikRule.AGE_OUT_OF_RANGE]),  # born 1950: 70
        ("3603010101900001", {}, [NikRule.OUTSIDE_CITY]),  # Kabupaten Tangerang
        ("3603010101900001", {"kelurahan_in_city": True}, []),  # moved into the city
    ],
)
def test_each_broken_rule_is_named_when_checked(nik, kwargs, expected):
    assert check_nik(nik, policy=POLICY, **kwargs) == expected


@pytest.mark.integration
@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "id",
            [
                "NIK tidak cocok dengan jenis kelamin yang dipilih (pada NIK perempuan, tanggal lahir ditambah 40). "
                "Periksa NIK di KTP dan pilihan jenis kelamin.",
                "Program ini untuk usia 15–64 tahun pada awal periode (1 Oktober 2020).",
            ],
        ),
        (
            "en",
            [
                "The NIK does not match the sex chosen (in a woman's NIK, 40 is added to the day of birth). "
                "Check the NIK on the KTP and the sex chosen.",
                "This programme is for people aged 15–64 at the start of the period (1 October 2020).",
            ],
        ),
    ],
)
def test_messages_say_which_rule_failed_in_the_chosen_language_when_refused(period, language, expected):
    kelurahan = Kelurahan.objects.get(name="Sukarasa")

    with translation.override(language):
        problems = nik_problems("3671014101100001", period=period, sex="L", kelurahan=kelurahan)

    assert [message for _, message in problems] == expected
