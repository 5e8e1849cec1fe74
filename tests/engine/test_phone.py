"""Phone numbers as stored (E.164) and as people read and dial them."""

import pytest

from latihkerja.engine.phone import national_phone, normalize_phone, phone_or_none


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("0812-3456-7890", "0812-3456-7890"),
        ("+62 812 3456 789", "0812-3456-789"),
        ("6285712345678", "0857-1234-5678"),
    ],
)
def test_a_stored_number_reads_as_dialled_in_indonesia(typed, read):
    assert national_phone(normalize_phone(typed)) == read


@pytest.mark.parametrize("other", ["", "+12025550123", "021 555 1234", "=1+1"])
def test_what_is_not_a_stored_mobile_number_is_left_as_it_is(other):
    assert national_phone(other) == other


@pytest.mark.parametrize(
    ("term", "phone"),
    [("0812-3456-7890", "+6281234567890"), ("Siti Aminah", None), ("34567890", None), ("021 555 1234", None)],
)
def test_a_search_term_is_a_phone_only_when_it_spells_a_whole_mobile_number(term, phone):
    assert phone_or_none(term) == phone
