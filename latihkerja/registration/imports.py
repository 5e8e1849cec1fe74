"""Bulk import of registrations from a spreadsheet (.csv or .xlsx) that a BLK collected on paper.

Flow: `create_import` stores the file and schedules the `validate_import` task → the preview lists every
problem (spreadsheet row, column, message in the uploader's language) → `request_commit` claims a valid
import and schedules `commit_import`, which checks the rows against the database again and writes them all in
ONE transaction with bulk inserts, or writes nothing.

The rules are the online form's: the NIK by `engine.nik.check_nik` under the period's policy, with the texts
of `residents.validators.MESSAGES`; phones by `engine.phone.normalize_phone`; choices must be open batches of
the period and, for an operator, batches of their own centre (Bappeda: any); interests (`minat`) must be active
themes of the catalogue. A row with interests and no choice registers the resident without an application:
centres collect interest on paper before the period's classes open, and planning counts it. When the classes
open, the same residents' paper choices come in a second file: a row whose NIK is already registered with the
same name and birth date, and that has no application in the period, adds only the application (and themes
not yet stated); the stored profile stays as it is, and the preview counts and marks these rows. Every other
duplicate — the same NIK twice in the file, an NIK registered with another name or birth date, an NIK that
already applied in the period — is an error, never merged.

Speed (docs/bench-import.md: 100,000 rows in 13–25 s on the VMs of 27–29 November, 49–69 s on a VM three
times slower): the reference data (kelurahan, batches, NIK policy,
message texts) is loaded once per file, rows are streamed, the database is asked once per CHUNK NIK digests,
encryption happens before the transaction opens, and the commit inserts plain rows CHUNK at a time (COPY on
PostgreSQL, executemany on SQLite) rather than model instances, which cost 4 times more to build than to store.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any, TypedDict

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import IntegrityError, connection, models, transaction
from django.utils import formats, timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from latihkerja.accounts.enums import Role
from latihkerja.audit.services import record_event
from latihkerja.batches.enums import BatchStatus
from latihkerja.batches.models import SEAT_HOLDING_STATUSES, Batch, Enrollment
from latihkerja.catalog.models import Theme
from latihkerja.common.errors import DomainError
from latihkerja.common.language import current_language
from latihkerja.common.spreadsheets import safe_cell
from latihkerja.engine.nik import NikPolicy, NikRule, check_nik
from latihkerja.engine.nik import Sex as NikSex
from latihkerja.engine.phone import PhoneError, normalize_phone
from latihkerja.programs.models import Period
from latihkerja.regions.models import Kelurahan
from latihkerja.residents.crypto import digest_identity, encrypt_identity
from latihkerja.residents.enums import Education, EmploymentStatus, Sex
from latihkerja.residents.models import Resident
from latihkerja.residents.validators import (
    FULL_NAME_FORMAT,
    identity_digits,
    is_full_name,
    message_params,
    nik_policy,
)
from latihkerja.residents.validators import MESSAGES as NIK_MESSAGES

from .consent import CURRENT_VERSION, consent_digest
from .enums import ApplicationStatus, Source
from .errors import RegistrationError
from .models import Application, ApplicationChoice, Consent, ImportStatus, RegistrationImport
from .services import _check_window, notify_registered, notify_submitted

logger = logging.getLogger(__name__)

MAX_FILE_BYTES = 50 * 1024 * 1024  # 100,000 realistic rows are about 20 MB
MAX_ROWS = 200_000
# Lines read, blank ones included: Excel's own limit, so no real sheet is refused. Without it a 1.5 kB .xlsx
# naming row 30,000,000 kept the worker busy for half a minute generating the blank rows before it (openpyxl
# fills the gaps), and sign-in codes waited behind it.
MAX_LINES = 1_048_576
# Unpacked sizes of an .xlsx's parts. openpyxl reads the shared strings whole into memory, and builds an
# object per entry of the styles (8 MB of them took 33 s and 1.1 GB); the worksheet is streamed but every byte
# is parsed. 200,000 real rows need a fraction of these; a real workbook's other parts are a few kilobytes.
MAX_PART_BYTES = 4 * 1024 * 1024
MAX_STRINGS_BYTES = 64 * 1024 * 1024
MAX_SHEET_BYTES = 512 * 1024 * 1024
ERROR_LIMIT = 1_000  # problems kept on the import (the total is kept too)
CHUNK = 2_000  # NIK digests per database look-up, rows per bulk insert
STALE_AFTER = dt.timedelta(days=7)  # a valid import not committed by then expires and its file is deleted
# A check or a save a worker took and has not moved for this long was abandoned (`recover_stalled_imports`):
# 100,000 rows take under a minute.
STALLED_AFTER = dt.timedelta(minutes=30)
EXTENSIONS = (".csv", ".xlsx")

# The person's columns in report order; then pilihan_1..pilihan_N, minat, then persetujuan.
PERSON_COLUMNS = (
    "nik",
    "no_kk",
    "nama",
    "jenis_kelamin",
    "tanggal_lahir",
    "kelurahan",
    "alamat",
    "no_hp",
    "email",
    "pendidikan",
    "status_pekerjaan",
    "disabilitas",
)
OPTIONAL_COLUMNS = frozenset({"email", "disabilitas"})
REQUIRED_COLUMNS = (*(c for c in PERSON_COLUMNS if c not in OPTIONAL_COLUMNS), "persetujuan")
# A file needs at least one of these: the classes chosen, or the themes wanted before classes open.
WISH_COLUMNS = ("pilihan_1", "minat")
MIN_CHOICE_COLUMNS = 3  # pilihan_1..pilihan_3 are always accepted; more when the period allows more choices

NAME_MAX = 200
ADDRESS_MAX = 300
EMAIL_MAX = 254
SHOWN_VALUE_MAX = 100
SHOWN_DUPLICATES = 10  # other rows named when an NIK appears more than twice

_SIXTEEN_DIGITS = re.compile(r"[0-9]{16}")
# The people of the example file (registration/data/template_import.csv): made up, never to be imported.
EXAMPLE_NIKS = frozenset({"3671014508950001", "3671041703900002"})
# A long number Excel shows in scientific notation ("3,67101E+15") and saved so into a CSV: the digits are gone.
_SCIENTIFIC = re.compile(r"\d+(?:[.,]\d+)?[eE]\+?\d+")
_DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_YMD = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_KELURAHAN_PREFIX = re.compile(r"^(kelurahan|kel\.?|desa)\s+")
_LIST_SEPARATOR = re.compile(r"[;,\n]")  # between the themes of a `minat` cell

SEX_VALUES = {
    "l": Sex.MALE,
    "laki-laki": Sex.MALE,
    "pria": Sex.MALE,
    "p": Sex.FEMALE,
    "perempuan": Sex.FEMALE,
    "wanita": Sex.FEMALE,
}
EDUCATION_ALIASES = {
    "tidak sekolah": Education.NONE,
    "belum sekolah": Education.NONE,
    "smk": Education.SMA,
    "d1": Education.DIPLOMA,
    "d2": Education.DIPLOMA,
    "d3": Education.DIPLOMA,
    "d4": Education.S1,
    "s3": Education.S2,
}
YES = frozenset({"ya", "y"})
NO = frozenset({"tidak", "t", ""})


class RegistrationImportError(DomainError):
    """Problems of an import: of the whole file (nothing can be read) or of one cell (row and column)."""

    # The file
    WRONG_TYPE = _("Hanya berkas .csv atau .xlsx yang bisa diimpor.")
    TOO_BIG = _("Berkas terlalu besar (%(size)s MB). Paling besar 50 MB; bagi menjadi beberapa berkas.")
    TOO_MANY_ROWS = _("Berkas berisi lebih dari %(max)s baris data. Bagi menjadi beberapa berkas.")
    TOO_MANY_LINES = _(
        "Berkas berisi lebih dari %(max)s baris, baris kosong ikut dihitung. Hapus baris kosong di bawah data, "
        "atau bagi menjadi beberapa berkas."
    )
    UNPACKED_TOO_BIG = _(
        "Isi berkas Excel ini terlalu besar setelah dibuka (lebih dari %(size)s MB). Simpan ulang sebagai CSV "
        "UTF-8, atau bagi menjadi beberapa berkas."
    )
    EMPTY_FILE = _("Berkas kosong.")
    HEADER_ONLY = _("Berkas hanya berisi baris judul kolom, tanpa data pendaftar.")
    NOT_CSV = _(
        "Berkas ini bukan teks CSV UTF-8. Di Excel pilih “Simpan sebagai” → “CSV UTF-8 (dipisah koma)”, "
        "atau unggah berkas .xlsx."
    )
    NOT_XLSX = _(
        "Berkas ini bukan berkas Excel .xlsx yang dapat dibaca. Simpan ulang dari Excel sebagai .xlsx atau CSV UTF-8."
    )
    CSV_BROKEN = _(
        "Berkas CSV rusak di sekitar baris %(row)s (tanda kutip tidak tertutup atau sel terlalu panjang)."
    )
    UNKNOWN_COLUMNS = _("Kolom tidak dikenal: %(columns)s. Kolom yang dipakai: %(expected)s.")
    MISSING_COLUMNS = _("Kolom wajib tidak ada: %(columns)s.")
    NO_WISH_COLUMN = _(
        "Berkas perlu kolom pilihan_1 (kode kelas yang dipilih) atau kolom minat (tema yang diminati), atau "
        "keduanya."
    )
    DUPLICATE_COLUMNS = _("Kolom muncul lebih dari sekali: %(columns)s.")
    FILE_GONE = _("Berkas impor tidak tersimpan lagi. Unggah ulang berkasnya.")
    # The import as a whole
    NOT_ALLOWED = _("Hanya operator BLK dan Bappeda yang dapat mengimpor pendaftaran.")
    NOT_READY = _(
        "Impor ini tidak dapat disimpan: hanya impor yang sudah diperiksa tanpa kesalahan yang bisa disimpan."
    )
    NOT_DISCARDABLE = _(
        "Impor ini tidak dapat dibuang lagi: hanya impor yang sudah diperiksa dan belum disimpan yang bisa dibuang."
    )
    CHANGED_MEANWHILE = _(
        "Impor dibatalkan: data berubah sejak berkas diperiksa (misalnya warga yang sama mendaftar di saat yang "
        "sama). Tidak ada yang disimpan. Unggah ulang berkasnya untuk diperiksa lagi."
    )
    EXPIRED = _("Impor ini tidak disimpan dalam %(days)s hari dan sudah kedaluwarsa. Unggah ulang berkasnya.")
    SYSTEM_FAILURE = _(
        "Impor gagal karena kesalahan sistem. Tidak ada yang disimpan. Coba lagi atau hubungi admin."
    )
    # One cell
    REQUIRED = _("Wajib diisi.")
    TOO_LONG = _("Paling panjang %(max)s karakter.")
    EXTRA_CELLS = _("Baris ini berisi data di kolom tanpa judul.")
    KK_FORMAT = _("Nomor KK harus 16 angka.")
    ID_AS_NUMBER = _(
        "Excel mengubah nomor ini menjadi notasi ilmiah (%(value)s), sehingga angka terakhirnya hilang. Ubah format "
        "kolom nik dan no_kk menjadi Teks, ketik ulang nomornya dari KTP/KK, lalu simpan lagi."
    )
    NAME_FORMAT = FULL_NAME_FORMAT
    SEX_VALUE = _("Isi L (laki-laki) atau P (perempuan).")
    DATE_FORMAT = _("Tulis tanggal lahir sebagai DD/MM/YYYY atau YYYY-MM-DD, misalnya 17/08/1995.")
    DATE_IMPOSSIBLE = _("Tanggal %(value)s tidak ada di kalender.")
    DATE_UNLIKELY = _(
        "Tanggal lahir ini tidak mungkin benar (di masa depan atau sebelum 1900). Periksa lagi di KTP."
    )
    KELURAHAN_UNKNOWN = _(
        "Kelurahan “%(value)s” tidak ditemukan di %(city)s. Tulis nama kelurahan atau kode Kemendagri "
        "(misalnya 36.71.01.1001)."
    )
    KELURAHAN_AMBIGUOUS = _(
        "Nama kelurahan “%(value)s” ada di lebih dari satu kecamatan. Tulis kode Kemendagri-nya."
    )
    PHONE_FORMAT = _("Nomor HP bukan nomor seluler Indonesia (misalnya 0812 3456 7890).")
    EMAIL_FORMAT = _("Alamat email tidak valid.")
    EDUCATION_VALUE = _("Pendidikan tidak dikenal. Isi salah satu: sd, smp, sma, diploma, s1, s2.")
    EMPLOYMENT_VALUE = _(
        "Status pekerjaan tidak dikenal. Isi salah satu: phk, dirumahkan, menganggur, bekerja, pelajar, usaha."
    )
    DISABILITY_VALUE = _("Isi ya atau tidak.")
    CHOICE_TOO_MANY = _("Periode ini membolehkan paling banyak %(max)s pilihan kelas.")
    CHOICE_OTHER_CENTER = _("Kelas %(code)s bukan kelas BLK Anda.")
    CHOICE_GAP = _("Isi pilihan_1 dulu: pilihan diurutkan dari yang paling diinginkan.")
    NO_WISH = _(
        "Isi pilihan_1 (kode kelas) atau minat (tema yang diminati): warga tanpa keduanya tidak bisa diproses."
    )
    THEME_UNKNOWN = _(
        "Tema “%(value)s” tidak ada di katalog. Tulis kode atau nama tema, dipisah titik koma (misalnya "
        "LAS_SMAW; BARISTA)."
    )
    CONSENT_MISSING = _(
        "Persetujuan harus “ya”: warga menandatangani persetujuan pemrosesan data di BLK sebelum datanya diimpor."
    )
    NIK_TWICE_IN_FILE = _("NIK yang sama juga ada di baris %(rows)s.")
    NIK_REGISTERED = _(
        "NIK ini sudah terdaftar sebagai warga dengan nama atau tanggal lahir lain. Periksa NIK, nama dan tanggal "
        "lahir di formulir; bila data yang tersimpan salah, perbaiki lewat halaman warga atau bantuan operator."
    )
    NIK_APPLIED = _("NIK ini sudah mendaftar di periode ini.")
    NIK_SEATED = _(
        "Warga ini sudah ditawari atau mendapat kursi di periode ini: pilihan kelas tidak bisa ditambahkan."
    )
    NIK_REGISTERED_NO_CHOICE = _(
        "NIK ini sudah terdaftar sebagai warga. Minatnya diubah lewat halaman warga; lewat impor hanya pilihan "
        "kelas yang bisa ditambahkan (isi pilihan_1)."
    )
    EXAMPLE_ROW = _(
        "Ini baris contoh dari berkas contoh, bukan warga. Hapus baris contoh, lalu isi data warga yang sebenarnya."
    )


class Problem(TypedDict):
    """One line of the error report. `row` is the spreadsheet row (header = 1); None for the whole file."""

    row: int | None
    column: str
    message: str
    name: str
    value: str


@dataclass(frozen=True, slots=True)
class ImportRow:
    """A row that passed every check, ready to be written."""

    row: int
    nik: str
    digest: str
    kk: str
    full_name: str
    sex: str
    birth_date: dt.date
    kelurahan_id: int
    address: str
    phone: str
    email: str
    education: str
    employment_status: str
    has_disability: bool
    batch_ids: tuple[int, ...]  # empty: interests only, no application
    theme_ids: tuple[int, ...]


@dataclass(frozen=True)
class Reference:
    """What the rows are checked against, loaded once per file."""

    policy: NikPolicy
    nik_messages: dict[NikRule, str]
    city_name: str
    kelurahan: dict[str, tuple[int, bool] | None]  # spelling → (id, in the city); None: ambiguous name
    batches: dict[str, tuple[int, int, str]]  # lower-case code → (id, centre id, code)
    themes: dict[str, int]  # spelling of an active theme's code or name (either language) → id
    center_id: int | None  # an operator's centre: choices must be its batches; None: any centre
    max_choices: int
    choice_columns: tuple[str, ...]
    today: dt.date

    @property
    def columns(self) -> tuple[str, ...]:
        return (*PERSON_COLUMNS, *self.choice_columns, "minat", "persetujuan")


@dataclass
class Outcome:
    """The result of reading and checking a file: the good rows and every problem found."""

    rows: list[ImportRow]
    problems: list[Problem]
    row_count: int
    # NIK digest → the rows (number, name) carrying it, for the checks against the database
    by_digest: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    # NIK digest → id of the resident already registered whom a good row adds choices to (`database_problems`)
    known: dict[str, int] = field(default_factory=dict)

    @property
    def error_count(self) -> int:
        return len(self.problems)

    def add(self, problems: list[Problem]) -> None:
        """Add database problems; rows named in them are no longer good."""
        if not problems:
            return
        bad = {p["row"] for p in problems}
        self.rows = [r for r in self.rows if r.row not in bad]
        self.problems = sorted([*self.problems, *problems], key=_problem_order)

    @property
    def valid_count(self) -> int:
        return len(self.rows)

    @property
    def known_count(self) -> int:
        return sum(1 for row in self.rows if row.digest in self.known)


_COLUMN_RANK = {name: rank for rank, name in enumerate(PERSON_COLUMNS)}


def _problem_order(problem: Problem) -> tuple[int, int]:
    column = problem["column"]
    if column.startswith("pilihan_"):
        rank = 100 + int(column.removeprefix("pilihan_"))
    elif column == "minat":
        rank = 500
    elif column == "persetujuan":
        rank = 1000
    else:
        rank = _COLUMN_RANK.get(column, -1)
    return (problem["row"] or 0, rank)


def _file_problem(message: str) -> Problem:
    return {"row": None, "column": "", "message": message, "name": "", "value": ""}


def _text(value: Any) -> str:
    """A cell as text. Excel gives numbers, dates and booleans; a CSV gives strings."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _spelling(value: str) -> str:
    return " ".join(value.casefold().split())


def _shown(column: str, value: str) -> str:
    """The cell as shown in the report. Identity numbers are masked: the report is kept after the file is gone."""
    if column in ("nik", "no_kk") and _SCIENTIFIC.fullmatch(value):
        return value  # no longer a person's number: shown as Excel wrote it, so the cause can be seen
    if column in ("nik", "no_kk"):
        return value[:6] + "••••••" + value[12:] if len(value) >= 12 else "•" * len(value)
    return value[:SHOWN_VALUE_MAX]


# --- Reference data ---------------------------------------------------------------------------------------


def load_reference(period: Period, *, center_id: int | None) -> Reference:
    """Kelurahan spellings, the period's open batches and the NIK policy, with message texts rendered once (in
    the active language: the report's)."""
    city_code = settings.CITY["region_code"]
    params = message_params(period)
    nik_messages = {
        rule: str(text) % params if "%(" in str(text) else str(text) for rule, text in NIK_MESSAGES.items()
    }
    kelurahan: dict[str, tuple[int, bool] | None] = {}
    for pk, code, name, variants in Kelurahan.objects.values_list("pk", "code", "name", "name_variants"):
        entry = (pk, code.startswith(city_code))
        kelurahan[code] = entry
        kelurahan[code.replace(".", "")] = entry
        for spelling in [name, *variants.split(";")]:
            key = _spelling(spelling)
            if key:
                kelurahan[key] = entry if kelurahan.get(key, entry) == entry else None
    batches = {
        code.lower(): (pk, center, code)
        for pk, center, code in Batch.objects.filter(period=period, status=BatchStatus.OPEN).values_list(
            "pk", "center_id", "code"
        )
    }
    themes: dict[str, int] = {}
    for pk, code, name, name_en in Theme.objects.filter(is_active=True).values_list(
        "pk", "code", "name", "name_en"
    ):
        for spelling in (code, name, name_en):
            if spelling:
                themes.setdefault(_spelling(spelling), pk)
    choices = max(MIN_CHOICE_COLUMNS, period.max_choices)
    return Reference(
        policy=nik_policy(period),
        nik_messages=nik_messages,
        city_name=settings.CITY["name"],
        kelurahan=kelurahan,
        batches=batches,
        themes=themes,
        center_id=center_id,
        max_choices=period.max_choices,
        choice_columns=tuple(f"pilihan_{rank}" for rank in range(1, choices + 1)),
        today=timezone.localdate(),
    )


# --- Reading the file -------------------------------------------------------------------------------------


def _csv_rows(data: bytes) -> tuple[Iterator[Sequence[Any]], int]:
    if b"\x00" in data:
        raise RegistrationImportError(RegistrationImportError.NOT_CSV)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise RegistrationImportError(RegistrationImportError.NOT_CSV) from error
    if text.count("\n") >= MAX_LINES:
        raise RegistrationImportError(RegistrationImportError.TOO_MANY_LINES, max=thousands(MAX_LINES))
    end = text.find("\n")
    first_line = text if end < 0 else text[:end]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)

    def rows() -> Iterator[Sequence[Any]]:
        try:
            for values in reader:
                # Counted as read too: the csv module also ends lines at a lone \r, which the count above misses.
                if reader.line_num > MAX_LINES:
                    raise RegistrationImportError(
                        RegistrationImportError.TOO_MANY_LINES, max=thousands(MAX_LINES)
                    )
                yield values
        except csv.Error as error:
            raise RegistrationImportError(RegistrationImportError.CSV_BROKEN, row=reader.line_num) from error

    return rows(), text.count("\n") + 1


def _xlsx_rows(data: bytes) -> tuple[Iterator[Sequence[Any]], int]:
    import openpyxl

    if not data.startswith(b"PK\x03\x04"):  # an .xlsx is a zip archive
        raise RegistrationImportError(RegistrationImportError.NOT_XLSX)
    _check_unpacked_sizes(data)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions it does not read
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        first = sheet.iter_rows(min_row=1, max_row=1, values_only=True)
        header = next(first, ())
        first.close()
    except Exception as error:  # openpyxl raises many kinds (zip, XML, key, value errors) for a broken file
        raise RegistrationImportError(RegistrationImportError.NOT_XLSX) from error
    # Read no wider than the header's last titled cell: a sheet formatted to the last column would pad every row
    # to 16,384 cells (1.5 ms a blank line).
    titled = [index for index, cell in enumerate(header) if _text(cell)]
    width = titled[-1] + 1 if titled else 1

    def rows() -> Iterator[Sequence[Any]]:
        try:
            yield header
            lines = sheet.iter_rows(min_row=2, max_col=width, values_only=True)
            for number, values in enumerate(lines, start=2):
                if number > MAX_LINES:
                    raise RegistrationImportError(
                        RegistrationImportError.TOO_MANY_LINES, max=thousands(MAX_LINES)
                    )
                yield values
        except RegistrationImportError:
            raise
        except Exception as error:
            raise RegistrationImportError(RegistrationImportError.NOT_XLSX) from error
        finally:
            workbook.close()

    return rows(), sheet.max_row or 0


def _check_unpacked_sizes(data: bytes) -> None:
    """Refuse an .xlsx whose parts unpack beyond what real registrations need (a zip bomb), before openpyxl
    inflates them. The sizes come from the archive's directory; reading never yields more than they say."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise RegistrationImportError(RegistrationImportError.NOT_XLSX) from error
    for part in parts:
        if part.filename.startswith("xl/worksheets/"):
            limit = MAX_SHEET_BYTES
        elif part.filename == "xl/sharedStrings.xml":
            limit = MAX_STRINGS_BYTES
        else:
            limit = MAX_PART_BYTES
        if part.file_size > limit:
            raise RegistrationImportError(
                RegistrationImportError.UNPACKED_TOO_BIG, size=thousands(limit // (1024 * 1024))
            )


def thousands(number: int) -> str:
    """12345 grouped as the active language writes it: "12.345" in Indonesian, "12,345" in English."""
    return formats.number_format(number, force_grouping=True)


def read_table(data: bytes, name: str) -> tuple[Iterator[Sequence[Any]], int]:
    """The rows of the first sheet (header first) and an estimate of their number (0: unknown)."""
    if len(data) > MAX_FILE_BYTES:
        raise RegistrationImportError(RegistrationImportError.TOO_BIG, size=_megabytes(len(data)))
    if not data:
        raise RegistrationImportError(RegistrationImportError.EMPTY_FILE)
    extension = PurePath(name).suffix.lower()
    if extension == ".csv":
        return _csv_rows(data)
    if extension == ".xlsx":
        return _xlsx_rows(data)
    raise RegistrationImportError(RegistrationImportError.WRONG_TYPE)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".replace(".", ",")


def _columns(header: Sequence[Any], ref: Reference) -> dict[str, int]:
    """Column name → position. Names are case-insensitive and order-free; unnamed columns are ignored."""
    positions: dict[str, int] = {}
    unknown: list[str] = []
    repeated: list[str] = []
    allowed = set(ref.columns)
    for position, cell in enumerate(header):
        label = _text(cell)
        name = "_".join(label.casefold().split())
        if not name:
            continue
        if name not in allowed:
            unknown.append(label)
        elif name in positions:
            repeated.append(name)
        else:
            positions[name] = position
    if unknown:
        raise RegistrationImportError(
            RegistrationImportError.UNKNOWN_COLUMNS,
            columns=", ".join(unknown),
            expected=", ".join(ref.columns),
        )
    if repeated:
        raise RegistrationImportError(RegistrationImportError.DUPLICATE_COLUMNS, columns=", ".join(repeated))
    missing = [name for name in REQUIRED_COLUMNS if name not in positions]
    if missing:
        raise RegistrationImportError(RegistrationImportError.MISSING_COLUMNS, columns=", ".join(missing))
    if not any(name in positions for name in WISH_COLUMNS):
        raise RegistrationImportError(RegistrationImportError.NO_WISH_COLUMN)
    return positions


# --- Checking rows ----------------------------------------------------------------------------------------


def _birth_date(text: str) -> tuple[dt.date | None, str | Promise | None]:
    match = _DMY.fullmatch(text)
    if match:
        day, month, year = (int(part) for part in match.groups())
    else:
        match = _YMD.fullmatch(text)
        if match is None:
            return None, RegistrationImportError.DATE_FORMAT
        year, month, day = (int(part) for part in match.groups())
    try:
        return dt.date(year, month, day), None
    except ValueError:
        return None, RegistrationImportError.DATE_IMPOSSIBLE


class _RowChecker:
    """Checks rows one by one; remembers NIKs to report the ones that appear twice."""

    def __init__(self, ref: Reference, positions: dict[str, int]) -> None:
        self.ref = ref
        self.positions = positions
        # Cells that belong to no titled column: untitled columns inside the header, and any beyond it.
        self.width = max(positions.values()) + 1
        self.untitled = [i for i in range(self.width) if i not in set(positions.values())]
        self.columns = [(name, positions.get(name)) for name in ref.columns]
        # NIK digest → (row, name, masked NIK) of every row carrying it
        self.by_digest: dict[str, list[tuple[int, str, str]]] = {}
        # The file's values are written in Indonesian, whoever reads the report.
        with translation.override("id"):
            self.education = {value: value for value in Education.values}
            self.education |= {_spelling(str(label)): value for value, label in Education.choices}
            self.education |= EDUCATION_ALIASES
            self.employment = {value: value for value in EmploymentStatus.values}
            self.employment |= {_spelling(str(label)): value for value, label in EmploymentStatus.choices}
        # The messages in the active language: the report's (`RegistrationImport.language`).
        self.message = {
            key: str(getattr(RegistrationImportError, key))
            for key in dir(RegistrationImportError)
            if key.isupper()
        }
        self.not_open = str(RegistrationError.BATCH_NOT_OPEN)
        self.duplicate_choice = str(RegistrationError.DUPLICATE_CHOICE)

    def check(self, number: int, raw: Sequence[Any]) -> tuple[ImportRow | None, list[Problem]]:
        cells = {name: (_text(raw[i]) if i is not None and i < len(raw) else "") for name, i in self.columns}
        name = " ".join(cells["nama"].split())
        problems: list[Problem] = []
        message = self.message

        def add(column: str, text: str) -> None:
            problems.append(
                {
                    "row": number,
                    "column": column,
                    "message": text,
                    "name": name[:SHOWN_VALUE_MAX],
                    "value": _shown(column, cells.get(column, "")),
                }
            )

        if any(_text(raw[i]) for i in self.untitled if i < len(raw)) or any(
            _text(v) for v in raw[self.width :]
        ):
            add("", message["EXTRA_CELLS"])

        for column in REQUIRED_COLUMNS[:-1]:  # persetujuan has its own message below
            if not cells[column]:
                add(column, message["REQUIRED"])

        nik = identity_digits(cells["nik"]).lstrip("'")
        kk = identity_digits(cells["no_kk"]).lstrip("'")
        if _SCIENTIFIC.fullmatch(cells["nik"]):
            add("nik", message["ID_AS_NUMBER"] % {"value": cells["nik"]})
            nik = ""  # the rules below would only repeat that it is not 16 digits
        if _SCIENTIFIC.fullmatch(cells["no_kk"]):
            add("no_kk", message["ID_AS_NUMBER"] % {"value": cells["no_kk"]})
        elif kk and not _SIXTEEN_DIGITS.fullmatch(kk):
            add("no_kk", message["KK_FORMAT"])

        if len(name) > NAME_MAX:
            add("nama", message["TOO_LONG"] % {"max": NAME_MAX})
        elif name and not is_full_name(name):
            add("nama", message["NAME_FORMAT"])

        sex = SEX_VALUES.get(cells["jenis_kelamin"].casefold()) if cells["jenis_kelamin"] else None
        if cells["jenis_kelamin"] and sex is None:
            add("jenis_kelamin", message["SEX_VALUE"])

        birth_date: dt.date | None = None
        if cells["tanggal_lahir"]:
            birth_date, problem = _birth_date(cells["tanggal_lahir"])
            if problem is RegistrationImportError.DATE_IMPOSSIBLE:
                add("tanggal_lahir", message["DATE_IMPOSSIBLE"] % {"value": cells["tanggal_lahir"]})
            elif problem is not None:
                add("tanggal_lahir", message["DATE_FORMAT"])
            elif birth_date is not None and (birth_date > self.ref.today or birth_date.year < 1900):
                add("tanggal_lahir", message["DATE_UNLIKELY"])
                birth_date = None

        kelurahan: tuple[int, bool] | None = None
        if cells["kelurahan"]:
            key = cells["kelurahan"]
            spelling = _KELURAHAN_PREFIX.sub("", _spelling(key))
            if key in self.ref.kelurahan or spelling in self.ref.kelurahan:
                kelurahan = self.ref.kelurahan.get(key) or self.ref.kelurahan.get(spelling)
                if kelurahan is None:
                    add("kelurahan", message["KELURAHAN_AMBIGUOUS"] % {"value": key})
            else:
                add("kelurahan", message["KELURAHAN_UNKNOWN"] % {"value": key, "city": self.ref.city_name})

        address = " ".join(cells["alamat"].split())
        if len(address) > ADDRESS_MAX:
            add("alamat", message["TOO_LONG"] % {"max": ADDRESS_MAX})

        phone = ""
        if cells["no_hp"]:
            raw_phone = cells["no_hp"]
            if not isinstance(raw[self.positions["no_hp"]], str) and raw_phone.startswith("8"):
                raw_phone = "0" + raw_phone  # Excel drops the leading zero of a number typed as a number
            try:
                phone = normalize_phone(raw_phone)
            except PhoneError:
                add("no_hp", message["PHONE_FORMAT"])

        email = cells["email"]
        if email:
            if len(email) > EMAIL_MAX:
                add("email", message["TOO_LONG"] % {"max": EMAIL_MAX})
            else:
                try:
                    validate_email(email)
                except ValidationError:
                    add("email", message["EMAIL_FORMAT"])

        education = self.education.get(_spelling(cells["pendidikan"])) if cells["pendidikan"] else None
        if cells["pendidikan"] and education is None:
            add("pendidikan", message["EDUCATION_VALUE"])
        employment = (
            self.employment.get(_spelling(cells["status_pekerjaan"])) if cells["status_pekerjaan"] else None
        )
        if cells["status_pekerjaan"] and employment is None:
            add("status_pekerjaan", message["EMPLOYMENT_VALUE"])

        disability_text = cells["disabilitas"].casefold()
        if disability_text not in YES and disability_text not in NO:
            add("disabilitas", message["DISABILITY_VALUE"])

        batch_ids = self._choices(cells, add)
        theme_ids = self._interests(cells["minat"], add)
        themes_named = any(_spelling(part) for part in _LIST_SEPARATOR.split(cells["minat"]))
        if not themes_named and not any(cells[column] for column in self.ref.choice_columns):
            # Named after a column the file has: a file of interests alone has no pilihan_1.
            add("pilihan_1" if "pilihan_1" in self.positions else "minat", message["NO_WISH"])

        if cells["persetujuan"].casefold() != "ya":
            add("persetujuan", message["CONSENT_MISSING"])

        if nik in EXAMPLE_NIKS:  # rows typed below the example's would otherwise import its people too
            add("nik", message["EXAMPLE_ROW"])
        elif nik:
            for rule in check_nik(
                nik,
                policy=self.ref.policy,
                birth_date=birth_date,
                sex=NikSex(sex) if sex else None,
                kelurahan_in_city=bool(kelurahan and kelurahan[1]),
            ):
                column = "tanggal_lahir" if rule is NikRule.AGE_OUT_OF_RANGE and birth_date else "nik"
                add(column, self.ref.nik_messages[rule])
        digest = ""
        if _SIXTEEN_DIGITS.fullmatch(nik):
            digest = digest_identity(nik)
            self.by_digest.setdefault(digest, []).append((number, name[:SHOWN_VALUE_MAX], _shown("nik", nik)))

        if problems:
            return None, problems
        assert birth_date is not None
        assert kelurahan is not None
        assert sex
        assert education
        assert employment
        return (
            ImportRow(
                row=number,
                nik=nik,
                digest=digest,
                kk=kk,
                full_name=name,
                sex=sex,
                birth_date=birth_date,
                kelurahan_id=kelurahan[0],
                address=address,
                phone=phone,
                email=email,
                education=education,
                employment_status=employment,
                has_disability=disability_text in YES,
                batch_ids=batch_ids,
                theme_ids=theme_ids,
            ),
            [],
        )

    def _choices(self, cells: dict[str, str], add: Callable[[str, str], None]) -> tuple[int, ...]:
        chosen: list[int] = []
        if not cells["pilihan_1"] and any(cells[column] for column in self.ref.choice_columns):
            add("pilihan_1", self.message["CHOICE_GAP"])
        for rank, column in enumerate(self.ref.choice_columns, 1):
            code = cells[column]
            if not code:
                continue
            if rank > self.ref.max_choices:
                add(column, self.message["CHOICE_TOO_MANY"] % {"max": self.ref.max_choices})
                continue
            batch = self.ref.batches.get(code.lower())
            if batch is None:
                add(column, self.not_open % {"code": code})
            elif self.ref.center_id is not None and batch[1] != self.ref.center_id:
                add(column, self.message["CHOICE_OTHER_CENTER"] % {"code": batch[2]})
            elif batch[0] in chosen:
                add(column, self.duplicate_choice)
            else:
                chosen.append(batch[0])
        return tuple(chosen)

    def _interests(self, text: str, add: Callable[[str, str], None]) -> tuple[int, ...]:
        """The themes of a `minat` cell, in the order written, each once."""
        wanted: list[int] = []
        for part in _LIST_SEPARATOR.split(text):
            spelling = _spelling(part)
            if not spelling:
                continue
            theme = self.ref.themes.get(spelling)
            if theme is None:
                add("minat", self.message["THEME_UNKNOWN"] % {"value": part.strip()[:SHOWN_VALUE_MAX]})
            elif theme not in wanted:
                wanted.append(theme)
        return tuple(wanted)

    def duplicates(self) -> tuple[list[Problem], set[int]]:
        """Every row whose NIK appears again in the file, naming the other rows."""
        problems: list[Problem] = []
        rows: set[int] = set()
        template = self.message["NIK_TWICE_IN_FILE"]
        for seen in self.by_digest.values():
            if len(seen) < 2:
                continue
            for number, name, shown in seen:
                others = [str(other) for other, _name, _shown in seen if other != number]
                listed = ", ".join(others[:SHOWN_DUPLICATES]) + (
                    " …" if len(others) > SHOWN_DUPLICATES else ""
                )
                problems.append(
                    {
                        "row": number,
                        "column": "nik",
                        "message": template % {"rows": listed},
                        "name": name,
                        "value": shown,
                    }
                )
                rows.add(number)
        return problems, rows


def check_file(
    data: bytes, name: str, ref: Reference, *, on_progress: Callable[[int], None] | None = None
) -> Outcome:
    """Read and check every row of the file (no database access but the reference already loaded).

    Raises `RegistrationImportError` when the file as a whole cannot be read: then no row is reported.
    `on_progress` receives a percentage (0–90) every CHUNK rows.
    """
    rows_iter, estimate = read_table(data, name)
    header = next(rows_iter, None)
    if header is None or not any(_text(cell) for cell in header):
        raise RegistrationImportError(RegistrationImportError.EMPTY_FILE)
    checker = _RowChecker(ref, _columns(header, ref))
    good: list[ImportRow] = []
    problems: list[Problem] = []
    count = 0
    for number, raw in enumerate(rows_iter, start=2):
        if not any(_text(cell) for cell in raw):
            continue  # blank rows (often at the end of a sheet) are not rows
        count += 1
        if count > MAX_ROWS:
            raise RegistrationImportError(RegistrationImportError.TOO_MANY_ROWS, max=thousands(MAX_ROWS))
        row, row_problems = checker.check(number, raw)
        if row is None:
            problems.extend(row_problems)
        else:
            good.append(row)
        if on_progress is not None and count % CHUNK == 0 and estimate:
            on_progress(min(90, 90 * number // estimate))
    if count == 0:
        raise RegistrationImportError(RegistrationImportError.HEADER_ONLY)
    twice, twice_rows = checker.duplicates()
    if twice_rows:
        good = [row for row in good if row.row not in twice_rows]
    return Outcome(
        rows=good,
        problems=sorted([*problems, *twice], key=_problem_order),
        row_count=count,
        by_digest={
            digest: [(n, name) for n, name, _shown in seen] for digest, seen in checker.by_digest.items()
        },
    )


# --- Checks against the database --------------------------------------------------------------------------


_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "ʼ": "'"})


def _name_key(name: str) -> str:
    """A full name as compared: Unicode form, apostrophe variants, case and spacing aside."""
    return " ".join(unicodedata.normalize("NFKC", name).translate(_APOSTROPHES).split()).casefold()


def _same_name(first: str, second: str) -> bool:
    """Whether two spellings of a full name are the same name."""
    return _name_key(first) == _name_key(second)


def database_problems(outcome: Outcome, period: Period, *, lock: bool = False) -> list[Problem]:
    """NIKs already registered, and those that already applied in `period`: one query per CHUNK digests.

    A good row with class choices whose NIK belongs to a resident with the same name and birth date, with no
    application and no seat in `period`, is no problem: it is recorded in `outcome.known` and adds only the
    application. Another registered NIK is an error on a good row (a row with other errors is not judged on
    it). With `lock`, the residents a good row may add to are locked first (FOR NO KEY UPDATE, in id order)
    to the end of the caller's transaction, so that an erasure or an online submit in flight waits for the
    import instead of crossing it.
    """
    registered = str(RegistrationImportError.NIK_REGISTERED)
    applied = str(RegistrationImportError.NIK_APPLIED)
    seated = str(RegistrationImportError.NIK_SEATED)
    no_choice = str(RegistrationImportError.NIK_REGISTERED_NO_CHOICE)
    good = {row.digest: row for row in outcome.rows}
    if lock:
        _lock_registered([digest for digest, row in good.items() if row.batch_ids])
    problems: list[Problem] = []
    known: dict[str, int] = {}
    digests = list(outcome.by_digest)
    for start in range(0, len(digests), CHUNK):
        residents = Resident.objects.filter(nik_digest__in=digests[start : start + CHUNK])
        found = {
            pk: (digest, name, birth)
            for pk, digest, name, birth in residents.values_list(
                "pk", "nik_digest", "full_name", "birth_date"
            )
        }
        if not found:
            continue
        with_application = set(
            Application.objects.filter(period=period, resident_id__in=list(found)).values_list(
                "resident_id", flat=True
            )
        )
        with_seat = set(
            Enrollment.objects.filter(
                period=period, resident_id__in=list(found), status__in=SEAT_HOLDING_STATUSES
            ).values_list("resident_id", flat=True)
        )
        for pk, (digest, name, birth) in found.items():
            row = good.get(digest)
            if pk in with_application:
                message = applied
            elif row is None:
                continue
            elif not (_same_name(row.full_name, name) and row.birth_date == birth):
                message = registered
            elif not row.batch_ids:
                message = no_choice
            elif pk in with_seat:
                message = seated
            else:
                known[digest] = pk
                continue
            for number, shown in outcome.by_digest[digest]:
                problems.append(
                    {"row": number, "column": "nik", "message": message, "name": shown, "value": ""}
                )
    outcome.known = known
    return problems


def _lock_registered(digests: list[str]) -> None:
    """Lock the residents holding `digests` in one id order (two imports never wait on each other in a
    cycle). FOR NO KEY UPDATE: an erasure or an online submit, which lock the row FOR UPDATE, wait; rows that
    merely point at the resident (a message, a consent) do not."""
    pks: list[int] = []
    for start in range(0, len(digests), CHUNK):
        pks += Resident.objects.filter(nik_digest__in=digests[start : start + CHUNK]).values_list(
            "pk", flat=True
        )
    pks.sort()
    for start in range(0, len(pks), CHUNK):
        list(
            Resident.objects.filter(pk__in=pks[start : start + CHUNK])
            .order_by("pk")
            .select_for_update(no_key=True)
            .values_list("pk", flat=True)
        )


def _closed_batch_problems(outcome: Outcome, period: Period, ref: Reference) -> list[Problem]:
    """Choices whose batch is no longer open (it was when the file was checked)."""
    used = {batch for row in outcome.rows for batch in row.batch_ids}
    still_open = set(
        Batch.objects.filter(pk__in=used, period=period, status=BatchStatus.OPEN).values_list("pk", flat=True)
    )
    closed = used - still_open
    if not closed:
        return []
    codes = {pk: code for pk, _center, code in ref.batches.values()}
    template = str(RegistrationError.BATCH_NOT_OPEN)
    problems: list[Problem] = []
    for row in outcome.rows:
        for rank, batch in enumerate(row.batch_ids, 1):
            if batch in closed:
                problems.append(
                    {
                        "row": row.row,
                        "column": f"pilihan_{rank}",
                        "message": template % {"code": codes[batch]},
                        "name": row.full_name[:SHOWN_VALUE_MAX],
                        "value": codes[batch],
                    }
                )
    return problems


# --- Services ---------------------------------------------------------------------------------------------


def import_center_id(user: Any) -> int | None:
    """The centre an import by `user` is for: an operator's own; None (city-wide) for Bappeda.

    Raises `RegistrationImportError.NOT_ALLOWED` for every other role.
    """
    if getattr(user, "role", None) == Role.OPERATOR and user.center_id is not None:
        return int(user.center_id)
    if getattr(user, "role", None) == Role.BAPPEDA or getattr(user, "is_superuser", False):
        return None
    raise RegistrationImportError(RegistrationImportError.NOT_ALLOWED)


def create_import(*, period: Period, uploaded_by: Any, upload: UploadedFile) -> RegistrationImport:
    """Store the uploaded file as a new import and schedule its validation (after the commit).

    Refuses a role other than operator and Bappeda, a closed registration window, a file that is not .csv
    or .xlsx by name, and a file over MAX_FILE_BYTES; the content is judged by the validation.
    """
    center_id = import_center_id(uploaded_by)
    _check_window(period)
    name = PurePath(upload.name or "").name
    if PurePath(name).suffix.lower() not in EXTENSIONS:
        raise RegistrationImportError(RegistrationImportError.WRONG_TYPE)
    if (upload.size or 0) > MAX_FILE_BYTES:
        raise RegistrationImportError(RegistrationImportError.TOO_BIG, size=_megabytes(upload.size or 0))
    with transaction.atomic():
        registration_import = RegistrationImport.objects.create(
            period=period,
            center_id=center_id,
            uploaded_by=uploaded_by,
            file=upload,
            original_name=name[:255],
            language=current_language(),
        )
        record_event(
            actor=uploaded_by,
            action="registration_import.uploaded",
            target=registration_import,
            detail={"period": period.code, "file": name[:255], "bytes": upload.size},
        )
        _schedule("validate_import", registration_import.pk)
    return registration_import


def _schedule(task_name: str, *args: int) -> None:
    # Imported here: tasks.py imports this module.
    from . import tasks

    task = getattr(tasks, task_name)
    # robust: the import is saved; a queue that is down must not turn the upload into an error page.
    transaction.on_commit(lambda: task.enqueue(*args), robust=True)


def _read_stored(registration_import: RegistrationImport) -> bytes:
    if not registration_import.file:
        raise RegistrationImportError(RegistrationImportError.FILE_GONE)
    try:
        size = registration_import.file.size
        if size > MAX_FILE_BYTES:
            raise RegistrationImportError(RegistrationImportError.TOO_BIG, size=_megabytes(size))
        with registration_import.file.open("rb") as handle:
            data: bytes = handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise RegistrationImportError(RegistrationImportError.FILE_GONE) from error
    return data


def _forget_file(registration_import: RegistrationImport) -> None:
    """Delete the uploaded file: it holds NIKs in clear, and a final import no longer needs it."""
    if registration_import.file:
        try:
            registration_import.file.delete(save=False)
        except OSError:  # already gone: nothing left to protect
            logger.warning(
                "import %s: could not delete %s", registration_import.pk, registration_import.file.name
            )
    RegistrationImport.objects.filter(pk=registration_import.pk).update(file="", preview=[])


PREVIEW_ROWS = 20


def _preview(rows: Sequence[ImportRow], *, known: dict[str, int]) -> list[dict[str, Any]]:
    """The first rows as the operator will recognise them from the paper forms (the NIK masked); `known`
    marks a resident already registered, whose stored profile stays: their row shows the stored name and
    kelurahan, and only the end of the stored phone (the SMS goes there; the uploader needs no more of it)."""
    shown = rows[:PREVIEW_ROWS]
    stored = {
        pk: (name, phone, kelurahan_id)
        for pk, name, phone, kelurahan_id in Resident.objects.filter(
            pk__in=[known[r.digest] for r in shown if r.digest in known]
        ).values_list("pk", "full_name", "phone", "kelurahan_id")
    }
    kelurahan = dict(
        Kelurahan.objects.filter(
            pk__in={r.kelurahan_id for r in shown} | {k for _n, _p, k in stored.values()}
        ).values_list("pk", "name")
    )
    # A class as the paper form names it: its theme and centre, with the code the file gave.
    classes = {
        pk: f"{theme} · {center} ({code})"
        for pk, code, theme, center in Batch.objects.filter(
            pk__in={b for r in shown for b in r.batch_ids}
        ).values_list("pk", "code", "theme__name", "center__name")
    }
    themes = dict(
        Theme.objects.filter(pk__in={t for r in shown for t in r.theme_ids}).values_list("pk", "name")
    )
    items = []
    for r in shown:
        name, phone, kelurahan_id = r.full_name, r.phone, r.kelurahan_id
        if r.digest in known and known[r.digest] in stored:
            name, phone, kelurahan_id = stored[known[r.digest]]
            phone = "…" + phone[-3:] if phone else ""
        items.append(
            {
                "row": r.row,
                "name": name,
                "nik": _shown("nik", r.nik),
                "kelurahan": kelurahan.get(kelurahan_id, ""),
                "phone": phone,
                "choices": [classes.get(b, "") for b in r.batch_ids],
                "interests": [themes.get(t, "") for t in r.theme_ids],
                "known": r.digest in known,
            }
        )
    return items


def _capped(problems: list[Problem]) -> list[Problem]:
    return problems[:ERROR_LIMIT]


def validate_import(import_id: int) -> RegistrationImport:
    """Check every row of an uploaded import and record the outcome: `valid` (no problem) or `invalid`.

    Idempotent: an import already checked is returned as it is; one left `validating` by a worker that died
    is checked again. Messages are stored in the import's `language` (the uploader's), whoever triggered the
    check.
    """
    claimed = RegistrationImport.objects.filter(
        pk=import_id, status__in=[ImportStatus.UPLOADED, ImportStatus.VALIDATING]
    ).update(status=ImportStatus.VALIDATING, progress=0, updated_at=timezone.now())
    registration_import = RegistrationImport.objects.select_related("period").get(pk=import_id)
    if not claimed:
        return registration_import

    def progress(percent: int) -> None:
        RegistrationImport.objects.filter(pk=import_id, status=ImportStatus.VALIDATING).update(
            progress=percent, updated_at=timezone.now()
        )

    with translation.override(registration_import.language):
        try:
            outcome = _check_stored(registration_import, on_progress=progress)
            outcome.add(database_problems(outcome, registration_import.period))
        except RegistrationImportError as error:
            outcome = Outcome(rows=[], problems=[_file_problem(error.message)], row_count=0)
        except Exception:
            _finish(
                registration_import, ImportStatus.INVALID, _failure(RegistrationImportError.SYSTEM_FAILURE)
            )
            raise
    status = ImportStatus.VALID if outcome.error_count == 0 else ImportStatus.INVALID
    return _finish(registration_import, status, outcome, from_status=ImportStatus.VALIDATING)


def _check_stored(
    registration_import: RegistrationImport, *, on_progress: Callable[[int], None] | None = None
) -> Outcome:
    data = _read_stored(registration_import)
    ref = load_reference(registration_import.period, center_id=registration_import.center_id)
    return check_file(data, registration_import.original_name, ref, on_progress=on_progress)


def _failure(message: str | Promise) -> Outcome:
    """An outcome of one problem of the whole file, `message` rendered in the active language."""
    return Outcome(rows=[], problems=[_file_problem(str(message))], row_count=0)


def _finish(
    registration_import: RegistrationImport, status: str, outcome: Outcome, *, from_status: str | None = None
) -> RegistrationImport:
    """Record a final outcome; the file is deleted unless the import still waits to be committed."""
    updates = RegistrationImport.objects.filter(pk=registration_import.pk).exclude(
        status=ImportStatus.COMMITTED
    )
    if from_status is not None:
        updates = updates.filter(status=from_status)
    fields: dict[str, Any] = {
        "status": status,
        "error_count": outcome.error_count,
        "errors": _capped(outcome.problems),
        "progress": 100,
        "updated_at": timezone.now(),
    }
    if outcome.row_count:
        fields |= {
            "row_count": outcome.row_count,
            "valid_count": outcome.valid_count,
            "known_count": outcome.known_count,
        }
    if status == ImportStatus.VALID:
        fields["preview"] = _preview(outcome.rows, known=outcome.known)
    updates.update(**fields)
    registration_import.refresh_from_db()
    if registration_import.status != ImportStatus.VALID:
        _forget_file(registration_import)
        registration_import.refresh_from_db()
    return registration_import


def request_commit(*, registration_import: RegistrationImport, actor: Any) -> RegistrationImport:
    """Claim a valid import for committing (once, even if the button is pressed twice) and schedule it."""
    _check_window(registration_import.period)
    with transaction.atomic():
        claimed = (
            RegistrationImport.objects.for_user(actor)
            .filter(pk=registration_import.pk, status=ImportStatus.VALID, error_count=0)
            .update(status=ImportStatus.COMMITTING, progress=0, updated_at=timezone.now())
        )
        if not claimed:
            raise RegistrationImportError(RegistrationImportError.NOT_READY)
        _schedule("commit_import", registration_import.pk, actor.pk)
    registration_import.refresh_from_db()
    return registration_import


def discard_import(*, registration_import: RegistrationImport, actor: Any) -> RegistrationImport:
    """Drop a checked import instead of saving it: nothing is written, and its file (NIKs in clear) is deleted.

    Only a `valid` import waits for a decision; the conditional update makes a discard racing a commit lose
    cleanly (whichever claims the import first wins)."""
    with transaction.atomic():
        claimed = (
            RegistrationImport.objects.for_user(actor)
            .filter(pk=registration_import.pk, status=ImportStatus.VALID)
            .update(status=ImportStatus.DISCARDED, updated_at=timezone.now())
        )
        if not claimed:
            raise RegistrationImportError(RegistrationImportError.NOT_DISCARDABLE)
        record_event(
            actor=actor,
            action="registration_import.discarded",
            target=registration_import,
            detail={"rows": registration_import.row_count, "file": registration_import.original_name},
        )
    registration_import.refresh_from_db()
    _forget_file(registration_import)
    registration_import.refresh_from_db()
    return registration_import


class _Rejected(Exception):
    def __init__(self, outcome: Outcome) -> None:
        super().__init__("rows rejected at commit")
        self.outcome = outcome


def commit_import(import_id: int, actor: Any) -> RegistrationImport:
    """Write every row of a valid import — residents, consents, interests, applications, choices — or nothing.

    The file is read and checked again, and, inside ONE transaction, checked against the database again (a
    resident may have registered meanwhile, a batch may have closed) before bulk inserts of CHUNK rows.
    Any problem, an IntegrityError included, rolls everything back and leaves the import `failed` with the
    reason. Imported residents have no account (`user` empty): they sign in later with the stored phone.
    """
    registration_import = RegistrationImport.objects.select_related("period", "center").get(pk=import_id)
    if registration_import.status == ImportStatus.COMMITTED:
        return registration_import
    if registration_import.status not in (ImportStatus.VALID, ImportStatus.COMMITTING):
        raise RegistrationImportError(RegistrationImportError.NOT_READY)
    period = registration_import.period
    outcome: Outcome | None = None
    with translation.override(registration_import.language):
        try:
            _check_window(period)
            ref = load_reference(period, center_id=registration_import.center_id)
            outcome = check_file(_read_stored(registration_import), registration_import.original_name, ref)
            if outcome.problems:
                raise _Rejected(outcome)
            sealed = [(encrypt_identity(row.nik), encrypt_identity(row.kk)) for row in outcome.rows]
            stored = _store(registration_import, outcome, sealed, ref=ref, actor=actor)
            if stored is not None:
                return stored  # committed by another worker while this one was reading the file
        except _Rejected as rejected:
            return _finish(registration_import, ImportStatus.FAILED, rejected.outcome)
        except (RegistrationError, RegistrationImportError) as error:
            if error.template is RegistrationImportError.NOT_READY:
                raise
            return _finish(registration_import, ImportStatus.FAILED, _failure(error.message))
        except IntegrityError:
            # A row the checks passed was taken at the same instant (or an invariant we do not check first
            # held): everything is rolled back. Name the rows if the cause is now visible.
            logger.warning("import %s: integrity error at commit, rolled back", import_id, exc_info=True)
            late = database_problems(outcome, period) if outcome is not None else []
            if outcome is not None and late:
                outcome.add(late)
                outcome.problems.insert(0, _file_problem(str(RegistrationImportError.CHANGED_MEANWHILE)))
                return _finish(registration_import, ImportStatus.FAILED, outcome)
            return _finish(
                registration_import, ImportStatus.FAILED, _failure(RegistrationImportError.CHANGED_MEANWHILE)
            )
        except Exception:
            _finish(
                registration_import, ImportStatus.FAILED, _failure(RegistrationImportError.SYSTEM_FAILURE)
            )
            raise
    _forget_file(registration_import)
    registration_import.refresh_from_db()
    from .tasks import notify_imported_task

    # Off this task: at 100,000 rows the messages take minutes to queue, and the import is done already.
    notify_imported_task.enqueue(registration_import.pk)
    return registration_import


def notify_imported(import_id: int) -> int:
    """Send each resident of a committed import the SMS an online registration gets ("your N choices for the
    period are saved"; "your registration is received" for one who stated interests and chose no class yet),
    so that someone registered from a paper form learns it, and that the number they will sign in with works.
    Idempotent: one message per application revision, one per resident without one. Returns how many were
    queued."""
    from django.db.models import Count

    from latihkerja.notifications.errors import NotificationError

    registration_import = RegistrationImport.objects.select_related("period").get(pk=import_id)
    if registration_import.status != ImportStatus.COMMITTED or registration_import.committed_at is None:
        return 0
    period = registration_import.period
    applications = (
        Application.objects.filter(
            period=period,
            source=Source.IMPORT,
            status=ApplicationStatus.SUBMITTED,
            created_at=registration_import.committed_at,
        )
        .select_related("resident__user")
        .annotate(choice_count=Count("choices"))
        .order_by("pk")
    )
    queued = 0
    for application in applications.iterator(chunk_size=1000):
        try:
            with transaction.atomic():
                notify_submitted(application, application.resident, period, application.choice_count)
        except NotificationError as error:  # a number the provider cannot take: the registration stands
            logger.warning("import %s: no message for application %s: %s", import_id, application.pk, error)
        else:
            queued += 1
    # Interests only: the rows' residents (same timestamp, consent taken at import) with no application.
    interested = (
        Resident.objects.filter(
            created_at=registration_import.committed_at,
            consents__source=Source.IMPORT,
            consents__accepted_at=registration_import.committed_at,
        )
        .exclude(applications__period=period)
        .order_by("pk")
    )
    for resident in interested.iterator(chunk_size=1000):
        try:
            with transaction.atomic():
                notify_registered(resident)
        except NotificationError as error:
            logger.warning("import %s: no message for resident %s: %s", import_id, resident.pk, error)
        else:
            queued += 1
    return queued


def _store(
    registration_import: RegistrationImport,
    outcome: Outcome,
    sealed: Sequence[tuple[str, str]],
    *,
    ref: Reference,
    actor: Any,
) -> RegistrationImport | None:
    """The commit's one transaction: lock the import, check the window and the database again, write, record.

    Returns the import when another worker committed it first (nothing is written then), else None.
    """
    period = registration_import.period
    with transaction.atomic():
        locked = RegistrationImport.objects.select_for_update().get(pk=registration_import.pk)
        if locked.status == ImportStatus.COMMITTED:
            return locked
        if locked.status not in (ImportStatus.VALID, ImportStatus.COMMITTING):
            raise RegistrationImportError(RegistrationImportError.NOT_READY)
        _check_window(period)
        late = database_problems(outcome, period, lock=True) + _closed_batch_problems(outcome, period, ref)
        if late:
            outcome.add(late)
            raise _Rejected(outcome)
        written_at = _write(outcome.rows, sealed, period=period, actor=actor, known=outcome.known)
        locked.status = ImportStatus.COMMITTED
        locked.committed_at = written_at  # the rows' own timestamp: `notify_imported` finds them by it
        locked.row_count = locked.valid_count = outcome.row_count
        locked.known_count = outcome.known_count
        locked.error_count, locked.errors, locked.progress = 0, [], 100
        locked.save(
            update_fields=[
                "status",
                "committed_at",
                "row_count",
                "valid_count",
                "known_count",
                "error_count",
                "errors",
                "progress",
                "updated_at",
            ]
        )
        record_event(
            actor=actor,
            action="registration_import.committed",
            target=locked,
            detail={
                "period": period.code,
                "center": registration_import.center.code if registration_import.center else None,
                "rows": outcome.row_count,
                "registered_before": outcome.known_count,
            },
        )
    return None


def _write(
    rows: Sequence[ImportRow],
    sealed: Sequence[tuple[str, str]],
    *,
    period: Period,
    actor: Any,
    known: dict[str, int],
) -> dt.datetime:
    """Insert residents, consents, interests, applications and choices, CHUNK rows at a time, in the caller's transaction.

    A row in `known` (NIK digest → a resident already registered, see `database_problems`) writes no
    resident: its consent, its themes not yet stated and its application go to the stored one.

    Plain rows, not model instances: at 100,000 rows `bulk_create` spends 4 times longer building and
    compiling instances than the database spends storing them (docs/bench-import.md). Every column is given
    here, so a NOT NULL column added to these models without a database default fails this import's tests.
    New ids are read back through the unique keys (NIK digest; resident and period). Returns the one
    timestamp of every row written, which names the import's applications afterwards.
    """
    assistant_id = getattr(actor, "pk", None)
    text_digest = consent_digest(CURRENT_VERSION)
    # The one timestamp of every row, in the database's form (COPY takes the datetime itself).
    now = timezone.now()
    stamp = now if connection.vendor == "postgresql" else connection.ops.adapt_datetimefield_value(now)
    for start in range(0, len(rows), CHUNK):
        part = rows[start : start + CHUNK]
        _insert(
            Resident,
            RESIDENT_COLUMNS,
            [
                (
                    stamp,
                    stamp,
                    row.digest,
                    nik_token,
                    kk_token,
                    row.full_name,
                    row.sex,
                    row.birth_date,
                    row.kelurahan_id,
                    row.address,
                    row.phone,
                    row.email,
                    row.education,
                    row.employment_status,
                    row.has_disability,
                )
                for row, (nik_token, kk_token) in zip(part, sealed[start : start + CHUNK], strict=True)
                if row.digest not in known
            ],
        )
        resident_ids = dict(
            Resident.objects.filter(
                nik_digest__in=[row.digest for row in part if row.digest not in known]
            ).values_list("nik_digest", "pk")
        )
        residents = [known.get(row.digest) or resident_ids[row.digest] for row in part]
        _insert(
            Consent,
            CONSENT_COLUMNS,
            [
                (resident, CURRENT_VERSION, text_digest, stamp, Source.IMPORT, assistant_id)
                for resident in residents
            ],
        )
        _insert(
            Resident.interests.through,
            INTEREST_COLUMNS,
            [
                (resident, theme)
                for resident, row in zip(residents, part, strict=True)
                if row.digest not in known
                for theme in row.theme_ids
            ],
        )
        # A registered resident may state a theme online at this very moment: theirs skip what is there.
        Interest = Resident.interests.through
        Interest.objects.bulk_create(
            [
                Interest(resident_id=resident, theme_id=theme)
                for resident, row in zip(residents, part, strict=True)
                if row.digest in known
                for theme in row.theme_ids
            ],
            ignore_conflicts=True,
        )
        applicants = [resident for resident, row in zip(residents, part, strict=True) if row.batch_ids]
        _insert(
            Application,
            APPLICATION_COLUMNS,
            [
                (
                    stamp,
                    stamp,
                    resident,
                    period.pk,
                    ApplicationStatus.SUBMITTED,
                    Source.IMPORT,
                    assistant_id,
                    1,
                )
                for resident in applicants
            ],
        )
        application_ids = dict(
            Application.objects.filter(period=period, resident_id__in=applicants).values_list(
                "resident_id", "pk"
            )
        )
        _insert(
            ApplicationChoice,
            CHOICE_COLUMNS,
            [
                (application_ids[resident], rank, batch)
                for resident, row in zip(residents, part, strict=True)
                for rank, batch in enumerate(row.batch_ids, 1)
            ],
        )
    return now


RESIDENT_COLUMNS = (
    "created_at", "updated_at", "nik_digest", "nik_encrypted", "kk_encrypted", "full_name", "sex", "birth_date",
    "kelurahan", "address", "phone", "email", "education", "employment_status", "has_disability",
)  # fmt: skip
CONSENT_COLUMNS = ("resident", "version", "text_digest", "accepted_at", "source", "assisted_by")
INTEREST_COLUMNS = ("resident", "theme")
APPLICATION_COLUMNS = (
    "created_at",
    "updated_at",
    "resident",
    "period",
    "status",
    "source",
    "submitted_by",
    "revision",
)
CHOICE_COLUMNS = ("application", "rank", "batch")


def _column(model: type[models.Model], name: str) -> str:
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field) or not field.column:
        raise TypeError(f"{model.__name__}.{name} is not a column")
    return field.column


def _insert(model: type[models.Model], fields: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
    """Insert `rows` (values in the order of `fields`) into `model`'s table: COPY on PostgreSQL, executemany
    elsewhere. Datetimes must already be in the database's form (see `_write`). Database errors come out as
    Django's: an IntegrityError stays an IntegrityError."""
    if not rows:
        return
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(_column(model, name)) for name in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with (
                connection.wrap_database_errors,
                cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
            ):
                for row in rows:
                    copy.write_row(row)
        else:
            cursor.executemany(
                # Identifiers come from model metadata, quoted; values are parameters.
                f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})",  # noqa: S608
                rows,
            )


def recover_stalled_imports(*, now: dt.datetime | None = None) -> int:
    """Take up the imports a worker never finished (it died, or lost its database, or the task was lost), once
    `STALLED_AFTER` has passed without a change, so that none waits forever with its file of NIKs in clear:
    - a file still `uploaded` or `validating` is scheduled to be checked again (`validate_import` takes up
      either);
    - a save still `committing` goes back to `valid`, to be saved again (the save is all or nothing: nothing
      was written), and expires after a week like any valid import.
    An import whose task still waits its turn in the queue (the worker is down or busy) is left to it: undoing
    a save that has not started would be contradicted when it runs. Run by `manage.py recover_stalled_work`;
    returns how many."""
    from latihkerja.common.queue import schedule_lost, waiting_in_queue

    from . import tasks

    now = now or timezone.now()
    stale = RegistrationImport.objects.filter(updated_at__lt=now - STALLED_AFTER)
    recovered = sum(
        schedule_lost(stale, status, tasks.validate_import, now=now)
        for status in (ImportStatus.UPLOADED, ImportStatus.VALIDATING)
    )
    for registration_import in stale.filter(status=ImportStatus.COMMITTING):
        if waiting_in_queue(tasks.commit_import, registration_import.pk):
            continue
        with transaction.atomic():
            if RegistrationImport.objects.filter(
                pk=registration_import.pk, status=ImportStatus.COMMITTING
            ).update(status=ImportStatus.VALID, progress=0, updated_at=now):
                record_event(
                    actor=None,
                    action="registration_import.commit_interrupted",
                    target=registration_import,
                    detail={},
                )
                recovered += 1
    return recovered


def expire_stale_imports(*, older_than: dt.timedelta = STALE_AFTER) -> int:
    """Fail the valid imports nobody committed within `older_than`, and delete their files (NIKs in clear).

    Run it daily (the `expire_stale_imports` task). Returns how many imports expired.
    """
    cutoff = timezone.now() - older_than
    stale = list(RegistrationImport.objects.filter(status=ImportStatus.VALID, updated_at__lt=cutoff))
    for registration_import in stale:
        with translation.override(registration_import.language):
            expired = _failure(str(RegistrationImportError.EXPIRED) % {"days": older_than.days})
        _finish(registration_import, ImportStatus.FAILED, expired, from_status=ImportStatus.VALID)
    return len(stale)


# --- The error report -------------------------------------------------------------------------------------

# The report's columns: (key, title); the titles in the report's language.
REPORT_HEADER = (
    ("baris", pgettext_lazy("import report column", "baris")),
    ("kolom", pgettext_lazy("import report column", "kolom")),
    ("nama", pgettext_lazy("import report column", "nama")),
    ("nilai", pgettext_lazy("import report column", "nilai")),
    ("pesan", pgettext_lazy("import report column", "pesan")),
)


def escape_formula(cell: str) -> str:
    """A cell a spreadsheet would run as a formula gets a leading quote (CSV/formula injection)."""
    return str(safe_cell(cell))


def error_report_rows(problems: Iterable[Problem], *, with_name: bool = True) -> Iterator[list[str]]:
    """The report as CSV rows (header first), every cell escaped. `with_name=False` leaves out the resident's
    name column, for imports of rows that name no resident (employers' demand)."""
    keep = [i for i, (column, _title) in enumerate(REPORT_HEADER) if with_name or column != "nama"]
    yield [escape_formula(str(REPORT_HEADER[i][1])) for i in keep]
    for problem in problems:
        cells = [
            "" if problem["row"] is None else str(problem["row"]),
            problem["column"],
            problem["name"],
            problem["value"],
            problem["message"],
        ]
        yield [escape_formula(cells[i]) for i in keep]


def error_report_csv(problems: Iterable[Problem]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerows(error_report_rows(problems))
    return buffer.getvalue()
