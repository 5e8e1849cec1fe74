"""The error report exported as CSV: every cell a spreadsheet would run as a formula is escaped."""

import csv
import io

import pytest
from django.urls import reverse

from latihkerja.registration.imports import RegistrationImportError, error_report_csv, escape_formula
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
