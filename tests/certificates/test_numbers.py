import re

import pytest

from latihkerja.certificates.numbers import ALPHABET, BITS, new_number, normalize_number

CANONICAL = re.compile(r"LK-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}")


@pytest.mark.unit
def test_new_number_has_canonical_form_and_60_bits_when_generated() -> None:
    numbers = [new_number() for _ in range(20_000)]

    assert all(CANONICAL.fullmatch(n) for n in numbers)
    assert len(set(numbers)) == 20_000
    assert BITS == 60
    assert len(ALPHABET) == 32
    assert not set("ILOU") & set(ALPHABET)


@pytest.mark.unit
def test_new_number_uses_every_symbol_when_many_are_drawn() -> None:
    symbols = set("".join(new_number()[3:].replace("-", "") for _ in range(2_000)))

    assert symbols == set(ALPHABET)


@pytest.mark.unit
@pytest.mark.parametrize(
    "typed",
    [
        "LK-7QX4-M2KD-9HZP",
        "lk-7qx4-m2kd-9hzp",
        "LK 7QX4 M2KD 9HZP",
        "  lk7qx4m2kd9hzp ",
        "7QX4-M2KD-9HZP",
        "7qx4m2kd9hzp",
        "LK–7QX4–M2KD–9HZP",
        "lk.7qx4.m2kd.9hzp",
    ],
)
def test_normalize_number_forgives_case_spaces_and_dashes_when_typed(typed: str) -> None:
    assert normalize_number(typed) == "LK-7QX4-M2KD-9HZP"


@pytest.mark.unit
def test_normalize_number_reads_o_as_zero_and_i_l_as_one_when_confusable() -> None:
    assert normalize_number("LK-O0I1-L1OO-ABCD") == "LK-0011-1100-ABCD"


@pytest.mark.unit
@pytest.mark.parametrize(
    "typed",
    [
        "",
        "LK",
        "LK-7QX4-M2KD-9HZ",
        "LK-7QX4-M2KD-9HZPP",
        "LK-7QX4-M2KD-9HZU",
        "LK-7QX4-M2KD-9H?P",
        "X" * 100,
        "ЛК-7QX4",
    ],
)
def test_normalize_number_refuses_when_not_a_number(typed: str) -> None:
    assert normalize_number(typed) is None
