"""Phone numbers as stored (E.164) and as people read and dial them."""

import pytest

from latihkerja.engine.phone import national_phone, normalize_phone


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
