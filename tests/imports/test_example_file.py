"""The example file offered for download has the documented header and two example rows that break no rule but
one: they are the example's made-up people, refused as such, so that rows typed below them import alone."""

from pathlib import Path

import pytest
from django.urls import reverse

from latihkerja.registration.import_views import EXAMPLE_CODES, EXAMPLE_FILE
from latihkerja.registration.imports import EXAMPLE_NIKS, RegistrationImportError
from latihkerja.registration.models import ImportStatus
from tests.factories import BatchFactory
from tests.imports.conftest import HEADER, triples

pytestmark = pytest.mark.integration

EXAMPLE_ROWS = [(row, "nik", str(RegistrationImportError.EXAMPLE_ROW)) for row in (2, 3)]


def test_example_file_has_the_header_and_two_valid_rows_when_its_batches_are_open(
    run_import, bappeda_admin, open_period, center_a
):
    for index in (1, 2, 3):
        BatchFactory(code=f"2020-10-3671011001-{index}", period=open_period, center=center_a, status="open")
    content = Path(EXAMPLE_FILE).read_bytes()

    registration_import = run_import(bappeda_admin, content, name="contoh.csv")

    assert content.decode().splitlines()[0].split(",") == HEADER
    assert {line.split(",")[0] for line in content.decode().splitlines()[1:]} == EXAMPLE_NIKS
    assert triples(registration_import) == EXAMPLE_ROWS  # nothing else is wrong with them
    assert (registration_import.status, registration_import.row_count) == (ImportStatus.INVALID, 2)


def test_example_file_is_downloaded_as_csv_when_the_link_is_followed(login, operator_blk_a):
    response = login(operator_blk_a).get(reverse("imports:example"))

    assert response["Content-Disposition"] == 'attachment; filename="contoh-impor-pendaftaran.csv"'
    # No open class to choose: the rows state interests only; with a BOM for Excel.
    written = Path(EXAMPLE_FILE).read_bytes()
    for code in EXAMPLE_CODES:
        written = written.replace(code.encode(), b"")
    assert response.content == b"\xef\xbb\xbf" + written


def test_the_downloaded_example_chooses_classes_open_now_and_breaks_only_the_example_rule(
    run_import, login, operator_blk_a, open_period, center_a
):
    for index in (1, 2, 3):
        BatchFactory(code=f"2026-12-3671011001-{index}", period=open_period, center=center_a, status="open")

    content = login(operator_blk_a).get(reverse("imports:example")).content
    registration_import = run_import(operator_blk_a, content, name="contoh.csv")

    assert b"2026-12-3671011001-1" in content
    assert b"2020-10-" not in content
    assert triples(registration_import) == EXAMPLE_ROWS
    assert registration_import.row_count == 2


def test_with_one_open_class_the_downloaded_example_chooses_it_once_per_row(
    run_import, login, operator_blk_a, open_period, center_a
):
    BatchFactory(code="2026-12-3671011001-1", period=open_period, center=center_a, status="open")

    content = login(operator_blk_a).get(reverse("imports:example")).content
    registration_import = run_import(operator_blk_a, content, name="contoh.csv")

    assert b"2020-10-" not in content
    assert triples(registration_import) == EXAMPLE_ROWS


def test_the_example_in_excel_keeps_nik_and_phone_as_text(
    run_import, login, operator_blk_a, open_period, center_a
):
    from io import BytesIO

    from openpyxl import load_workbook

    for index in (1, 2, 3):
        BatchFactory(code=f"2026-12-3671011001-{index}", period=open_period, center=center_a, status="open")

    response = login(operator_blk_a).get(reverse("imports:example"), {"format": "xlsx"})
    sheet = load_workbook(BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    nik = header.index("nik") + 1
    registration_import = run_import(operator_blk_a, response.content, name="contoh.xlsx")

    assert response["Content-Disposition"] == 'attachment; filename="contoh-impor-pendaftaran.xlsx"'
    assert sheet.cell(row=2, column=nik).number_format == "@"
    assert sheet.cell(row=500, column=nik).number_format == "@"  # rows the centre will fill in too
    assert isinstance(sheet.cell(row=2, column=nik).value, str)
    assert triples(registration_import) == EXAMPLE_ROWS  # text cells read as typed: only the example rule


def test_rows_typed_below_the_example_rows_are_the_only_ones_imported_once_those_are_deleted(
    run_import, bappeda_admin, open_period, center_a
):
    from tests.imports.conftest import csv_bytes, row

    for code in ("a-1", "a-2", *(f"2020-10-3671011001-{index}" for index in (1, 2, 3))):
        BatchFactory(code=code, period=open_period, center=center_a, status="open")
    example = Path(EXAMPLE_FILE).read_text().splitlines()
    mine = csv_bytes([row(0)]).decode().splitlines()[1]

    with_examples = run_import(bappeda_admin, "\n".join([*example, mine]).encode(), name="isi.csv")
    without = run_import(bappeda_admin, "\n".join([example[0], mine]).encode(), name="isi.csv")

    assert triples(with_examples) == EXAMPLE_ROWS
    assert without.status == ImportStatus.VALID
