"""The example file offered for download has the documented header and two rows that import cleanly."""

from pathlib import Path

import pytest
from django.urls import reverse

from latihkerja.registration.import_views import EXAMPLE_FILE
from latihkerja.registration.models import ImportStatus
from tests.factories import BatchFactory
from tests.imports.conftest import HEADER, triples

pytestmark = pytest.mark.integration


def test_example_file_has_the_header_and_two_valid_rows_when_its_batches_are_open(
    run_import, bappeda_admin, open_period, center_a
):
    for index in (1, 2, 3):
        BatchFactory(code=f"2020-10-3671011001-{index}", period=open_period, center=center_a, status="open")
    content = Path(EXAMPLE_FILE).read_bytes()

    registration_import = run_import(bappeda_admin, content, name="contoh.csv")

    assert content.decode().splitlines()[0].split(",") == HEADER
    assert triples(registration_import) == []
    assert (registration_import.status, registration_import.row_count) == (ImportStatus.VALID, 2)


def test_example_file_is_downloaded_as_csv_when_the_link_is_followed(login, operator_blk_a):
    response = login(operator_blk_a).get(reverse("imports:example"))

    assert response["Content-Disposition"] == 'attachment; filename="contoh-impor-pendaftaran.csv"'
    # No open class to choose: as written, with a BOM for Excel.
    assert response.content == b"\xef\xbb\xbf" + Path(EXAMPLE_FILE).read_bytes()


def test_the_downloaded_example_chooses_classes_open_now_and_imports_as_it_is(
    run_import, login, operator_blk_a, open_period, center_a
):
    for index in (1, 2, 3):
        BatchFactory(code=f"2026-12-3671011001-{index}", period=open_period, center=center_a, status="open")

    content = login(operator_blk_a).get(reverse("imports:example")).content
    registration_import = run_import(operator_blk_a, content, name="contoh.csv")

    assert b"2026-12-3671011001-1" in content
    assert b"2020-10-" not in content
    assert triples(registration_import) == []
    assert (registration_import.status, registration_import.row_count) == (ImportStatus.VALID, 2)


def test_the_example_in_excel_keeps_nik_and_phone_as_text_and_imports_as_it_is(
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
    assert registration_import.status == "valid", registration_import.errors
