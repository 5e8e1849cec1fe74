"""Every field's bad inputs: the exact row, column and Indonesian message, and nothing stored."""

import datetime as dt

import pytest

from latihkerja.engine.nik import NikRule, Sex
from latihkerja.registration import imports
from latihkerja.registration.errors import RegistrationError
from latihkerja.registration.imports import RegistrationImportError as E
from latihkerja.registration.imports import validate_import
from latihkerja.registration.models import Application, ImportStatus
from latihkerja.residents.models import Resident
from latihkerja.residents.validators import MESSAGES
from tests.factories import ResidentFactory
from tests.imports.conftest import csv_bytes, nik_for, person_birth, row, triples

pytestmark = pytest.mark.integration

AGE = "Program ini untuk usia 15–64 tahun pada awal periode (1 Oktober 2020)."
OUTSIDE = (
    "NIK ini bukan NIK Kota Tangerang, dan kelurahan yang dipilih tidak berada di Kota Tangerang. Pelatihan ini "
    "untuk warga yang tinggal di Kota Tangerang."
)


def nik_message(rule: NikRule) -> str:
    return str(MESSAGES[rule])


SCIENTIFIC = (
    "Excel mengubah nomor ini menjadi notasi ilmiah (%s), sehingga angka terakhirnya hilang. Ubah format kolom "
    "nik dan no_kk menjadi Teks, ketik ulang nomornya dari KTP/KK, lalu simpan lagi."
)

BAD_CELLS = [
    pytest.param({"nik": "3,67101E+15"}, "nik", SCIENTIFIC % "3,67101E+15", id="nik-excel-scientific"),
    pytest.param({"no_kk": "3.6710101E+15"}, "no_kk", SCIENTIFIC % "3.6710101E+15", id="kk-excel-scientific"),
    pytest.param({"nik": "367101010190000"}, "nik", nik_message(NikRule.LENGTH), id="nik-15-digits"),
    pytest.param({"nik": "36710101019000001"}, "nik", nik_message(NikRule.LENGTH), id="nik-17-digits"),
    pytest.param({"nik": "36710101019000AB"}, "nik", nik_message(NikRule.NOT_DIGITS), id="nik-letters"),
    pytest.param(
        {"nik": "9971010101900001", "tanggal_lahir": "01/01/1990"},
        "nik",
        nik_message(NikRule.PROVINCE_UNKNOWN),
        id="nik-province",
    ),
    pytest.param(
        {"nik": "3671990101900001", "tanggal_lahir": "01/01/1990"},
        "nik",
        nik_message(NikRule.KECAMATAN_UNKNOWN),
        id="nik-kecamatan",
    ),
    pytest.param(
        {"nik": "3671013102900001", "tanggal_lahir": "28/02/1990"},
        "nik",
        nik_message(NikRule.BAD_DATE),
        id="nik-31-february",
    ),
    pytest.param(
        {"nik": "3671017102900001", "tanggal_lahir": "28/02/1990", "jenis_kelamin": "P"},
        "nik",
        nik_message(NikRule.BAD_DATE),
        id="nik-women-31-february",
    ),
    pytest.param(
        {"nik": "3671010101900000", "tanggal_lahir": "01/01/1990"},
        "nik",
        nik_message(NikRule.ZERO_SERIAL),
        id="nik-serial-0000",
    ),
    pytest.param(
        {"tanggal_lahir": "03/01/1990"},
        "nik",
        nik_message(NikRule.BIRTH_DATE_MISMATCH),
        id="nik-other-birth-date",
    ),
    pytest.param(
        {"nik": nik_for(1, sex=Sex.FEMALE), "jenis_kelamin": "L"},
        "nik",
        nik_message(NikRule.SEX_MISMATCH),
        id="nik-women-offset-but-L",
    ),
    pytest.param({"jenis_kelamin": "P"}, "nik", nik_message(NikRule.SEX_MISMATCH), id="nik-no-offset-but-P"),
    pytest.param(
        {"nik": nik_for(1, birth=dt.date(1950, 1, 1)), "tanggal_lahir": "01/01/1950"},
        "tanggal_lahir",
        AGE,
        id="age-70",
    ),
    pytest.param(
        {"nik": nik_for(1, birth=dt.date(2010, 1, 1)), "tanggal_lahir": "2010-01-01"},
        "tanggal_lahir",
        AGE,
        id="age-10",
    ),
    pytest.param(
        {"tanggal_lahir": "31/02/1990"},
        "tanggal_lahir",
        str(E.DATE_IMPOSSIBLE) % {"value": "31/02/1990"},
        id="date-31-february",
    ),
    pytest.param({"tanggal_lahir": "1990/01/02"}, "tanggal_lahir", str(E.DATE_FORMAT), id="date-format"),
    pytest.param({"tanggal_lahir": "kemarin"}, "tanggal_lahir", str(E.DATE_FORMAT), id="date-letters"),
    pytest.param({"tanggal_lahir": "01/01/2999"}, "tanggal_lahir", str(E.DATE_UNLIKELY), id="date-future"),
    pytest.param({"no_kk": "367101010120000"}, "no_kk", str(E.KK_FORMAT), id="kk-15-digits"),
    pytest.param({"no_kk": "36710101012000AB"}, "no_kk", str(E.KK_FORMAT), id="kk-letters"),
    pytest.param({"no_kk": ""}, "no_kk", str(E.REQUIRED), id="kk-empty"),
    pytest.param({"nama": ""}, "nama", str(E.REQUIRED), id="name-empty"),
    pytest.param({"nama": "Budi 2"}, "nama", str(E.NAME_FORMAT), id="name-digits"),
    pytest.param({"nama": "B" * 201}, "nama", str(E.TOO_LONG) % {"max": 200}, id="name-201-chars"),
    pytest.param({"jenis_kelamin": "X"}, "jenis_kelamin", str(E.SEX_VALUE), id="sex-unknown"),
    pytest.param(
        {"kelurahan": "Atlantis"},
        "kelurahan",
        str(E.KELURAHAN_UNKNOWN) % {"value": "Atlantis", "city": "Kota Tangerang"},
        id="kelurahan-unknown",
    ),
    pytest.param(
        {"kelurahan": "36.71.99.9999"},
        "kelurahan",
        str(E.KELURAHAN_UNKNOWN) % {"value": "36.71.99.9999", "city": "Kota Tangerang"},
        id="kelurahan-code-unknown",
    ),
    pytest.param({"alamat": "A" * 301}, "alamat", str(E.TOO_LONG) % {"max": 300}, id="address-301-chars"),
    pytest.param({"no_hp": "12345"}, "no_hp", str(E.PHONE_FORMAT), id="phone-short"),
    pytest.param({"no_hp": "0215550000"}, "no_hp", str(E.PHONE_FORMAT), id="phone-landline"),
    pytest.param({"no_hp": "08123abc999"}, "no_hp", str(E.PHONE_FORMAT), id="phone-letters"),
    pytest.param({"email": "bukan-email"}, "email", str(E.EMAIL_FORMAT), id="email-malformed"),
    pytest.param({"pendidikan": "sd2"}, "pendidikan", str(E.EDUCATION_VALUE), id="education-unknown"),
    pytest.param(
        {"status_pekerjaan": "pns"}, "status_pekerjaan", str(E.EMPLOYMENT_VALUE), id="employment-unknown"
    ),
    pytest.param({"disabilitas": "mungkin"}, "disabilitas", str(E.DISABILITY_VALUE), id="disability-unknown"),
    pytest.param({"pilihan_1": ""}, "pilihan_1", str(E.CHOICE_GAP), id="first-choice-empty-second-given"),
    pytest.param({"pilihan_1": "", "pilihan_2": ""}, "pilihan_1", str(E.NO_WISH), id="no-choice-no-interest"),
    pytest.param(
        {"minat": "BARISTA; Menyulam"},
        "minat",
        str(E.THEME_UNKNOWN) % {"value": "Menyulam"},
        id="interest-not-in-catalogue",
    ),
    pytest.param(
        {"pilihan_1": "zz-9"},
        "pilihan_1",
        str(RegistrationError.BATCH_NOT_OPEN) % {"code": "zz-9"},
        id="batch-unknown",
    ),
    pytest.param(
        {"pilihan_2": "a-draft"},
        "pilihan_2",
        str(RegistrationError.BATCH_NOT_OPEN) % {"code": "a-draft"},
        id="batch-not-open",
    ),
    pytest.param(
        {"pilihan_2": "a-1"}, "pilihan_2", str(RegistrationError.DUPLICATE_CHOICE), id="batch-twice"
    ),
    pytest.param(
        {"pilihan_2": "b-1"},
        "pilihan_2",
        str(E.CHOICE_OTHER_CENTER) % {"code": "b-1"},
        id="batch-of-another-centre",
    ),
    pytest.param({"persetujuan": ""}, "persetujuan", str(E.CONSENT_MISSING), id="consent-empty"),
    pytest.param({"persetujuan": "tidak"}, "persetujuan", str(E.CONSENT_MISSING), id="consent-no"),
]


@pytest.mark.parametrize(("overrides", "column", "message"), BAD_CELLS)
def test_bad_cell_is_reported_with_row_column_and_message_when_validating(
    run_import, operator_blk_a, batches, overrides, column, message
):
    content = csv_bytes([row(0), row(1, **overrides)])

    registration_import = run_import(operator_blk_a, content)

    assert triples(registration_import) == [(3, column, message)]
    assert registration_import.status == ImportStatus.INVALID
    assert (
        registration_import.row_count,
        registration_import.valid_count,
        registration_import.error_count,
    ) == (2, 1, 1)
    assert Resident.objects.count() == 0


def test_messages_are_in_indonesian_when_validating(run_import, operator_blk_a, batches):
    content = csv_bytes([row(0, nik="123")])

    registration_import = run_import(operator_blk_a, content)

    assert registration_import.errors == [
        {"row": 2, "column": "nik", "message": "NIK harus 16 angka.", "name": "Warga Impor A", "value": "•••"}
    ]


def test_every_problem_of_a_row_is_reported_in_column_order_when_a_row_has_several(
    run_import, operator_blk_a, batches
):
    content = csv_bytes([row(0, no_hp="1", nik="12", persetujuan="", pilihan_1="zz")])

    registration_import = run_import(operator_blk_a, content)

    assert triples(registration_import) == [
        (2, "nik", nik_message(NikRule.LENGTH)),
        (2, "no_hp", str(E.PHONE_FORMAT)),
        (2, "pilihan_1", str(RegistrationError.BATCH_NOT_OPEN) % {"code": "zz"}),
        (2, "persetujuan", str(E.CONSENT_MISSING)),
    ]


def test_women_day_offset_is_accepted_when_consistent_with_jenis_kelamin(run_import, operator_blk_a, batches):
    content = csv_bytes([row(0, nik=nik_for(0, sex=Sex.FEMALE), jenis_kelamin="P")])

    registration_import = run_import(operator_blk_a, content)

    assert triples(registration_import) == []
    assert registration_import.status == ImportStatus.VALID


def test_nik_outside_the_city_is_refused_when_the_period_requires_a_city_nik(
    run_import, operator_blk_a, batches, open_period
):
    open_period.domicile_by_kelurahan = False
    open_period.save()
    content = csv_bytes([row(0, nik=nik_for(0, region="320101"))])

    registration_import = run_import(operator_blk_a, content)

    assert triples(registration_import) == [(2, "nik", OUTSIDE)]


def test_nik_outside_the_city_is_accepted_when_the_kelurahan_is_in_the_city_and_domicile_counts(
    run_import, operator_blk_a, batches
):
    content = csv_bytes([row(0, nik=nik_for(0, region="320101"))])

    registration_import = run_import(operator_blk_a, content)

    assert triples(registration_import) == []


def test_nik_outside_the_city_with_an_unknown_kelurahan_breaks_both_rules_when_domicile_counts(
    run_import, operator_blk_a, batches
):
    content = csv_bytes([row(0, nik=nik_for(0, region="320101"), kelurahan="Bogor Tengah")])

    registration_import = run_import(operator_blk_a, content)

    assert triples(registration_import) == [
        (2, "nik", OUTSIDE),
        (2, "kelurahan", str(E.KELURAHAN_UNKNOWN) % {"value": "Bogor Tengah", "city": "Kota Tangerang"}),
    ]


def test_too_many_choices_are_refused_when_the_period_allows_fewer(
    run_import, operator_blk_a, batches, open_period
):
    open_period.max_choices = 2
    open_period.save()
    content = csv_bytes([row(0, pilihan_3="a-3")])

    registration_import = run_import(operator_blk_a, content)

    assert triples(registration_import) == [(2, "pilihan_3", str(E.CHOICE_TOO_MANY) % {"max": 2})]


def test_both_rows_are_reported_naming_each_other_when_the_same_nik_appears_twice(
    run_import, operator_blk_a, batches
):
    content = csv_bytes([row(0), row(1), row(0, nama="Warga Kembar", no_hp="081299999999")])

    registration_import = run_import(operator_blk_a, content)

    assert triples(registration_import) == [
        (2, "nik", str(E.NIK_TWICE_IN_FILE) % {"rows": "4"}),
        (4, "nik", str(E.NIK_TWICE_IN_FILE) % {"rows": "2"}),
    ]
    assert registration_import.valid_count == 1


def test_nik_already_registered_is_reported_when_validating(run_import, operator_blk_a, batches):
    ResidentFactory(nik=nik_for(1), birth_date=person_birth(1))
    content = csv_bytes([row(0), row(1)])

    registration_import = run_import(operator_blk_a, content)

    assert triples(registration_import) == [(3, "nik", str(E.NIK_REGISTERED))]
    assert Resident.objects.count() == 1


def test_nik_that_already_applied_in_the_period_is_reported_when_validating(
    run_import, operator_blk_a, batches, open_period
):
    resident = ResidentFactory(nik=nik_for(0), birth_date=person_birth(0))
    Application.objects.create(resident=resident, period=open_period)
    content = csv_bytes([row(0)])

    registration_import = run_import(operator_blk_a, content)

    assert triples(registration_import) == [(2, "nik", str(E.NIK_APPLIED))]


def test_other_spellings_are_accepted_when_they_are_known(run_import, operator_blk_a, batches):
    content = csv_bytes(
        [
            row(
                0,
                kelurahan="suka asih",
                jenis_kelamin="l",
                pendidikan="SMA/SMK/sederajat",
                status_pekerjaan="Dirumahkan",
            ),
            row(1, kelurahan="36.71.01.1001", no_hp="+62 812-0000-0001", disabilitas="", persetujuan="YA"),
            row(
                2,
                kelurahan="Kel. Sukarasa",
                tanggal_lahir=person_birth(2).isoformat(),
                pilihan_1="A-3",
                pilihan_2="",
            ),
        ]
    )

    registration_import = run_import(operator_blk_a, content)

    assert triples(registration_import) == []
    assert (registration_import.status, registration_import.valid_count) == (ImportStatus.VALID, 3)


def test_progress_rises_to_ninety_while_rows_are_read_when_checking_a_file(
    operator_blk_a, batches, open_period, monkeypatch
):
    monkeypatch.setattr(imports, "CHUNK", 1)
    seen: list[int] = []

    imports.check_file(
        csv_bytes([row(n) for n in range(4)]),
        "p.csv",
        imports.load_reference(open_period, center_id=operator_blk_a.center_id),
        on_progress=seen.append,
    )

    assert seen == sorted(seen)
    assert seen[-1] <= 90
    assert len(seen) == 4


def test_validation_changes_nothing_when_run_again_on_a_checked_import(run_import, operator_blk_a, batches):
    registration_import = run_import(operator_blk_a, csv_bytes([row(0)]))

    again = validate_import(registration_import.pk)

    assert (again.status, again.row_count, again.errors) == (ImportStatus.VALID, 1, [])
