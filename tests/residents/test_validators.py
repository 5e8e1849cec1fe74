"""Names as the KTP writes them are accepted; anything else — digits, markup, formulas, emoji — is refused."""

import pytest

from latihkerja.residents.validators import is_full_name


@pytest.mark.unit
@pytest.mark.parametrize(
    "name",
    [
        "Siti Aminah",
        "Moh. Ali",
        "Nur'aini",
        "Drs. H. Ahmad, S.Pd.",
        "Siti Rahma-Wati",
        "I Gusti Ngurah Rai",
        "Đỗ Văn",
    ],
)
def test_names_as_written_on_a_ktp_are_accepted(name):
    assert is_full_name(name)


@pytest.mark.unit
@pytest.mark.parametrize(
    "name",
    [
        "B",
        "Budi 2",
        "=HYPERLINK(1)",
        "+Budi",
        "-Budi",
        "@budi",
        "<b>Budi</b>",
        "Budi 😀",
        "Budi; DROP",
        ".Budi",
    ],
)
def test_anything_else_is_refused(name):
    assert not is_full_name(name)
