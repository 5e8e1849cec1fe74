"""Whole-file problems: one clear message, nothing stored but the import record (and its file deleted)."""

import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from latihkerja.registration import imports
from latihkerja.registration.imports import RegistrationImportError as E
from latihkerja.registration.imports import create_import
from latihkerja.registration.models import ImportStatus, RegistrationImport
from latihkerja.residents.models import Resident
from tests.imports.conftest import HEADER, csv_bytes, row, triples, xlsx_bytes

pytestmark = pytest.mark.integration

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
)
EXPECTED_COLUMNS = ", ".join(HEADER)


def zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("catatan.txt", "bukan spreadsheet")
    return buffer.getvalue()


MALFORMED = [
    pytest.param("foto.xlsx", PNG, str(E.NOT_XLSX), id="png-renamed-xlsx"),
    pytest.param("foto.csv", PNG, str(E.NOT_CSV), id="png-renamed-csv"),
    pytest.param("arsip.xlsx", zip_bytes(), str(E.NOT_XLSX), id="zip-that-is-not-xlsx"),
    pytest.param("rusak.xlsx", xlsx_bytes([HEADER])[:400], str(E.NOT_XLSX), id="truncated-xlsx"),
    pytest.param("biner.csv", b"nik,nama\n\x00\x01\x02\x03", str(E.NOT_CSV), id="binary-csv"),
    pytest.param("latin1.csv", "nik,nama\n1,José\n".encode("latin-1"), str(E.NOT_CSV), id="csv-not-utf8"),
    pytest.param("kosong.csv", b"", str(E.EMPTY_FILE), id="empty-csv"),
    pytest.param("kosong.xlsx", xlsx_bytes([]), str(E.EMPTY_FILE), id="empty-xlsx"),
    pytest.param("judul.csv", csv_bytes([]), str(E.HEADER_ONLY), id="header-only-csv"),
    pytest.param("judul.csv", csv_bytes([]) + b",,,\r\n\r\n", str(E.HEADER_ONLY), id="header-and-blank-rows"),
    pytest.param("judul.xlsx", xlsx_bytes([HEADER]), str(E.HEADER_ONLY), id="header-only-xlsx"),
    pytest.param(
        "kutip.csv",
        csv_bytes([row(0)]) + b'"tidak ditutup,1\r\n',
        str(E.CSV_BROKEN) % {"row": 3},
        id="unclosed-quote",
    ),
    pytest.param(
        "panjang.csv",
        csv_bytes([row(0, alamat="x" * 200_000)]),
        str(E.CSV_BROKEN) % {"row": 2},
        id="giant-cell",
    ),
    pytest.param(
        "asing.csv",
        csv_bytes([row(0)], header=[*HEADER, "Gaji", "catatan"]),
        str(E.UNKNOWN_COLUMNS) % {"columns": "Gaji, catatan", "expected": EXPECTED_COLUMNS},
        id="unknown-columns",
    ),
    pytest.param(
        "kurang.csv",
        csv_bytes([row(0)], header=[c for c in HEADER if c not in ("no_kk", "persetujuan")]),
        str(E.MISSING_COLUMNS) % {"columns": "no_kk, persetujuan"},
        id="missing-columns",
    ),
    pytest.param(
        "dobel.csv",
        csv_bytes([row(0)], header=[*HEADER, "NIK"]),
        str(E.DUPLICATE_COLUMNS) % {"columns": "nik"},
        id="repeated-column",
    ),
]


@pytest.mark.parametrize(("name", "content", "message"), MALFORMED)
def test_malformed_file_gives_one_file_level_message_when_validating(
    run_import, operator_blk_a, batches, name, content, message
):
    registration_import = run_import(operator_blk_a, content, name=name)

    assert triples(registration_import) == [(None, "", message)]
    assert registration_import.status == ImportStatus.INVALID
    assert (registration_import.row_count, registration_import.error_count) == (0, 1)
    assert registration_import.file.name == ""
    assert Resident.objects.count() == 0


def test_file_with_too_many_rows_is_refused_when_validating(run_import, operator_blk_a, batches, monkeypatch):
    monkeypatch.setattr(imports, "MAX_ROWS", 2)

    registration_import = run_import(operator_blk_a, csv_bytes([row(0), row(1), row(2)]))

    assert triples(registration_import) == [(None, "", str(E.TOO_MANY_ROWS) % {"max": "2"})]


def test_limit_is_two_hundred_thousand_rows_and_fifty_megabytes():
    assert (imports.MAX_ROWS, imports.MAX_FILE_BYTES) == (200_000, 50 * 1024 * 1024)


def test_oversized_upload_is_refused_and_nothing_stored_when_over_50_mb(login, operator_blk_a, batches):
    client = login(operator_blk_a)
    content = csv_bytes([row(0)]) + b"x" * (50 * 1024 * 1024)

    response = client.post(
        reverse("imports:index"), {"period": "2020-10", "file": SimpleUploadedFile("besar.csv", content)}
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {"file": [str(E.TOO_BIG) % {"size": "50,0"}]}
    assert "Ada yang perlu diperbaiki" in response.content.decode()
    assert RegistrationImport.objects.count() == 0


def test_oversized_file_is_refused_by_the_service_when_over_50_mb(operator_blk_a, open_period):
    content = b"x" * (50 * 1024 * 1024 + 1)

    with pytest.raises(E) as error:
        create_import(
            period=open_period, uploaded_by=operator_blk_a, upload=SimpleUploadedFile("besar.csv", content)
        )

    assert error.value.message == str(E.TOO_BIG) % {"size": "50,0"}
    assert RegistrationImport.objects.count() == 0


@pytest.mark.parametrize("name", ["pendaftar.xls", "pendaftar.txt", "pendaftar"])
def test_other_file_types_are_refused_and_nothing_stored_when_uploaded(login, operator_blk_a, batches, name):
    client = login(operator_blk_a)

    response = client.post(
        reverse("imports:index"), {"period": "2020-10", "file": SimpleUploadedFile(name, b"a,b\n")}
    )

    assert response.context["form"].errors == {"file": [str(E.WRONG_TYPE)]}
    assert RegistrationImport.objects.count() == 0


def test_empty_upload_is_refused_by_the_form_when_the_file_has_no_bytes(login, operator_blk_a, batches):
    client = login(operator_blk_a)

    response = client.post(
        reverse("imports:index"), {"period": "2020-10", "file": SimpleUploadedFile("k.csv", b"")}
    )

    assert response.context["form"].errors == {"file": ["Berkas kosong."]}
    assert RegistrationImport.objects.count() == 0


def test_semicolon_csv_with_bom_and_reordered_capitalised_header_is_read_when_valid(
    run_import, operator_blk_a, batches
):
    header = [column.upper() if column.startswith("n") else column for column in reversed(HEADER)]
    rows = [
        {column.upper() if column.startswith("n") else column: value for column, value in row(n).items()}
        for n in range(2)
    ]

    registration_import = run_import(operator_blk_a, csv_bytes(rows, header=header, delimiter=";", bom=True))

    assert triples(registration_import) == []
    assert (registration_import.status, registration_import.row_count) == (ImportStatus.VALID, 2)


def test_optional_columns_may_be_left_out_when_the_file_has_only_required_ones(
    run_import, operator_blk_a, batches
):
    header = [c for c in HEADER if c not in ("email", "disabilitas", "pilihan_2", "pilihan_3")]

    registration_import = run_import(operator_blk_a, csv_bytes([row(0)], header=header))

    assert triples(registration_import) == []
    assert registration_import.status == ImportStatus.VALID


def test_data_under_a_column_without_a_title_is_reported_when_validating(run_import, operator_blk_a, batches):
    content = csv_bytes([row(0), {**row(1), "": "lupa judul"}], header=[*HEADER, ""])

    registration_import = run_import(operator_blk_a, content)

    assert triples(registration_import) == [(3, "", str(E.EXTRA_CELLS))]


def test_a_file_that_cannot_be_read_is_explained_as_a_file_problem_on_its_page(
    login, run_import, operator_blk_a, batches
):
    registration_import = run_import(operator_blk_a, b"bukan,kolom\n1,2\n", name="salah.csv")

    page = (
        login(operator_blk_a).get(reverse("imports:detail", args=[registration_import.pk])).content.decode()
    )

    assert "Tidak ada yang disimpan. Perbaiki berkas lalu unggah ulang." in page
    assert "Perbaiki baris yang salah" not in page  # there are no rows to mend
    assert "Baris benar" not in page


def xlsx_with_row_at(number: int) -> bytes:
    """A valid sheet (header, one row) whose data row is renumbered to `number`: openpyxl fills the gap."""
    content = xlsx_bytes([HEADER, list(row(0).values())])
    source, target = io.BytesIO(content), io.BytesIO()
    with zipfile.ZipFile(source) as archive, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for part in archive.infolist():
            body = archive.read(part.filename)
            if part.filename == "xl/worksheets/sheet1.xml":
                text = body.decode()
                text = re.sub(r'<dimension ref="[^"]*" ?/>', "", text)  # read to the end, as Excel may
                text = text.replace('<row r="2"', f'<row r="{number}"')
                for column in "ABCDEFGHIJKLMNOPQ":
                    text = text.replace(f'r="{column}2"', f'r="{column}{number}"')
                body = text.encode()
            out.writestr(part.filename, body)
    return target.getvalue()


def test_an_xlsx_naming_a_row_far_below_its_data_is_refused_without_reading_the_gap(
    run_import, operator_blk_a, batches, monkeypatch
):
    """A 6 kB file naming row 30,000,000 used to keep the worker busy for half a minute."""
    monkeypatch.setattr(imports, "MAX_LINES", 1_000)

    registration_import = run_import(operator_blk_a, xlsx_with_row_at(30_000_000), name="jauh.xlsx")

    assert triples(registration_import) == [(None, "", str(E.TOO_MANY_LINES) % {"max": "1.000"})]
    assert registration_import.status == ImportStatus.INVALID


def test_an_xlsx_with_its_row_within_the_limit_still_imports_after_the_blank_rows(
    run_import, operator_blk_a, batches, monkeypatch
):
    monkeypatch.setattr(imports, "MAX_LINES", 1_000)

    registration_import = run_import(operator_blk_a, xlsx_with_row_at(900), name="jauh.xlsx")

    assert registration_import.status == ImportStatus.VALID
    assert registration_import.row_count == 1


def test_a_csv_of_endless_blank_lines_is_refused_before_its_rows_are_read(
    run_import, operator_blk_a, batches, monkeypatch
):
    monkeypatch.setattr(imports, "MAX_LINES", 10)

    registration_import = run_import(operator_blk_a, csv_bytes([row(0)]) + b"\r\n" * 20)

    assert triples(registration_import) == [(None, "", str(E.TOO_MANY_LINES) % {"max": "10"})]


def padded(part_name: str, size: int) -> bytes:
    """A valid sheet whose `part_name` (a part openpyxl reads) is padded with XML whitespace to `size` bytes."""
    source, target = io.BytesIO(xlsx_bytes([HEADER, list(row(0).values())])), io.BytesIO()
    with zipfile.ZipFile(source) as archive, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for part in archive.infolist():
            body = archive.read(part.filename)
            if part.filename == part_name:
                end = body.rindex(b"</")  # whitespace before the closing tag: still the same XML
                body = body[:end] + b" " * (size - len(body)) + body[end:]
            out.writestr(part.filename, body)
    return target.getvalue()


@pytest.mark.parametrize(
    ("part", "limit"), [("xl/styles.xml", "MAX_PART_BYTES"), ("xl/worksheets/sheet1.xml", "MAX_SHEET_BYTES")]
)
def test_an_xlsx_that_unpacks_to_far_more_than_it_weighs_is_refused_before_it_is_opened(
    run_import, operator_blk_a, batches, monkeypatch, part, limit
):
    """A zip bomb: 8 MB of styles in a 17 kB file took 33 s and 1.1 GB to open; 311 kB of shared strings
    unpacking to 300 MB grew the worker by 300 MB."""
    monkeypatch.setattr(imports, limit, 1024 * 1024)
    content = padded(part, 2 * 1024 * 1024)

    registration_import = run_import(operator_blk_a, content, name="bom.xlsx")

    assert len(content) < 100_000
    assert triples(registration_import) == [(None, "", str(E.UNPACKED_TOO_BIG) % {"size": "1"})]


def test_an_xlsx_just_under_the_unpacked_limits_is_read_as_usual(
    run_import, operator_blk_a, batches, monkeypatch
):
    monkeypatch.setattr(imports, "MAX_PART_BYTES", 1024 * 1024)

    registration_import = run_import(operator_blk_a, padded("xl/styles.xml", 1000 * 1024), name="gaya.xlsx")

    assert registration_import.status == ImportStatus.VALID


def test_a_csv_of_lone_carriage_returns_is_stopped_at_the_line_limit_as_it_is_read(
    run_import, operator_blk_a, batches, monkeypatch
):
    """The csv module ends a line at a lone \r too; counting newlines alone let 10 MB of them through."""
    monkeypatch.setattr(imports, "MAX_LINES", 10)

    registration_import = run_import(operator_blk_a, csv_bytes([row(0)]) + b"\r" * 50)

    assert triples(registration_import) == [(None, "", str(E.TOO_MANY_LINES) % {"max": "10"})]


def test_an_xlsx_header_with_a_blank_cell_far_to_the_right_is_read_only_as_wide_as_its_titles(
    operator_blk_a, batches
):
    """A present but blank header cell at the last column made every line 16,384 cells wide."""
    content = xlsx_bytes([[*HEADER, *[None] * 300, " "], list(row(0).values())])

    lines, _estimate = imports.read_table(content, "lebar.xlsx")
    next(lines)  # the header

    assert [len(values) for values in lines] == [len(HEADER)]
