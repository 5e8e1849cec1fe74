"""The error report exported as CSV: every cell a spreadsheet would run as a formula is escaped."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from latihkerja.registration import imports
from latihkerja.registration.imports import RegistrationImportError, error_report_csv, escape_formula
from latihkerja.registration.models import RegistrationImport
from tests.imports.conftest import csv_bytes, row

FORMULA_NAME = '=HYPERLINK("http://x")'


@pytest.mark.unit
@pytest.mark.parametrize(
    ("cell", "exported"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+628123", "'+628123"),
        ("-1+1", "'-1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Budi = Budi", "Budi = Budi"),
        ("", ""),
    ],
)
def test_cell_is_prefixed_with_a_quote_when_it_starts_like_a_formula(cell, exported):
    assert escape_formula(cell) == exported


@pytest.mark.unit
def test_report_rows_are_escaped_when_written_as_csv():
    problems = [{"row": 7, "column": "no_hp", "message": "m", "name": "@bahaya", "value": "=1+1"}]

    text = error_report_csv(problems)

    assert list(csv.reader(io.StringIO(text))) == [
        ["baris", "kolom", "nama", "nilai", "pesan"],
        ["7", "no_hp", "'@bahaya", "'=1+1", "m"],
    ]


@pytest.mark.integration
def test_exported_error_report_escapes_a_formula_in_a_name_when_downloaded(
    login, operator_blk_a, batches, run_import
):
    registration_import = run_import(
        operator_blk_a, csv_bytes([row(0), row(1, nama=FORMULA_NAME, no_hp="=1+1", alamat="+62 Jl. Plus")])
    )

    response = login(operator_blk_a).get(reverse("imports:error_report", args=[registration_import.pk]))
    text = response.content.decode("utf-8")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="kesalahan-impor-{registration_import.pk}.csv"'
    )
    assert text.startswith("\ufeff")
    assert list(csv.reader(io.StringIO(text.removeprefix("\ufeff")))) == [
        ["baris", "kolom", "nama", "nilai", "pesan"],
        # A name like a formula is refused too, and shown escaped both as the row's name and as the cell.
        ["3", "nama", "'" + FORMULA_NAME, "'" + FORMULA_NAME, "Tulis nama lengkap dengan huruf, sesuai KTP."],
        ["3", "no_hp", "'" + FORMULA_NAME, "'=1+1", str(RegistrationImportError.PHONE_FORMAT)],
    ]


@pytest.mark.integration
def test_opening_an_import_report_and_downloading_it_are_in_the_audit_trail(
    login, operator_blk_a, batches, run_import
):
    """The report shows names, phones and the cells that failed: who read it is recorded (UU PDP)."""
    from latihkerja.audit.models import AuditEvent

    registration_import = run_import(operator_blk_a, csv_bytes([row(0), row(1, no_hp="=1+1")]))
    client = login(operator_blk_a)

    client.get(reverse("imports:detail", args=[registration_import.pk]))
    client.get(reverse("imports:error_report", args=[registration_import.pk]))

    assert list(
        AuditEvent.objects.about(registration_import).values_list("actor", "action").order_by("pk")
    ) == [
        (operator_blk_a.pk, "registration_import.uploaded"),
        (operator_blk_a.pk, "registration_import.viewed"),
        (operator_blk_a.pk, "registration_import.error_report_downloaded"),
    ]


@pytest.mark.integration
def test_an_operator_reading_english_gets_the_report_in_english_and_the_file_values_are_still_read(
    client, login, operator_blk_a, batches, open_period, django_capture_on_commit_callbacks
):
    """The report is written in the uploader's language; the file's own values (pendidikan, L/P, ya) stay
    Indonesian, whatever language reads the report."""
    client = login(operator_blk_a)
    client.cookies["django_language"] = "en"
    content = csv_bytes(
        [
            row(0, pendidikan="Sarjana (D4/S1)", status_pekerjaan="Terkena PHK", disabilitas="ya"),
            row(1, no_hp="12", alamat="", nama=""),
        ]
    )

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("imports:index"), {"period": "2020-10", "file": SimpleUploadedFile("a.csv", content)}
        )
    registration_import = RegistrationImport.objects.get()
    page = client.get(reverse("imports:detail", args=[registration_import.pk])).content.decode()
    report = client.get(reverse("imports:error_report", args=[registration_import.pk])).content.decode()

    assert registration_import.language == "en"
    assert [(p["row"], p["column"], p["message"]) for p in registration_import.errors] == [
        (3, "nama", "Required."),
        (3, "alamat", "Required."),
        (3, "no_hp", "This is not an Indonesian mobile number (for example 0812 3456 7890)."),
    ]
    assert "This is not an Indonesian mobile number" in page
    assert list(csv.reader(io.StringIO(report.removeprefix("\ufeff"))))[:2] == [
        ["row", "column", "name", "value", "message"],
        ["3", "nama", "", "", "Required."],
    ]


@pytest.mark.integration
def test_a_file_refused_as_a_whole_is_explained_in_english_with_english_digit_grouping(
    run_import, operator_blk_a, batches, monkeypatch
):
    monkeypatch.setattr(imports, "MAX_LINES", 1_000)

    with translation.override("en"):
        registration_import = run_import(operator_blk_a, b"nik\n" + b"\n" * 1_200)

    assert [p["message"] for p in registration_import.errors] == [
        "The file has more than 1,000 lines, blank ones included. Delete the blank lines below the data, or "
        "split it into several files."
    ]


@pytest.mark.integration
def test_a_report_keeps_the_uploaders_language_when_someone_reading_indonesian_downloads_it(
    login, operator_blk_a, batches, run_import
):
    with translation.override("en"):
        registration_import = run_import(operator_blk_a, csv_bytes([row(0, alamat="")]))

    report = login(operator_blk_a).get(reverse("imports:error_report", args=[registration_import.pk]))

    assert list(csv.reader(io.StringIO(report.content.decode().removeprefix("\ufeff")))) == [
        ["row", "column", "name", "value", "message"],
        ["2", "alamat", "Warga Impor A", "", "Required."],
    ]
