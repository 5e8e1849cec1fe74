"""Bulk intake of skill demand from a spreadsheet (.xlsx or .csv), the registration import at small scale.

Flow: `create_import` stores the file and schedules `validate_import` (background) → the preview lists every
problem (spreadsheet row, column, message in the uploader's language) → `commit_import` checks every row against the
database again and writes them all in ONE transaction, or writes nothing.

Columns (header on row 1, any order, case-insensitive): `nib`, `tema` (theme code or name) and/or `kode_jabatan`
(ISCO-08, 4 digits) — one of them per row —, `jumlah`, `paling_lambat` (DD/MM/YYYY or YYYY-MM-DD or an Excel
date), `kecamatan` (name or Kemendagri code), `persyaratan` (optional). Bappeda and Disnaker import for any
registered company; an employer only for their own NIB.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from latihkerja.accounts.enums import Role
from latihkerja.audit.services import record_event
from latihkerja.catalog.models import Theme
from latihkerja.common.errors import DomainError
from latihkerja.common.language import current_language
from latihkerja.regions.models import Kecamatan
from latihkerja.registration.imports import Problem, RegistrationImportError, error_report_csv, read_table

from .errors import DemandError
from .models import (
    MAX_HEADCOUNT,
    OCCUPATION_GROUPS,
    REQUIREMENTS_MAX,
    Company,
    DemandImport,
    DemandImportStatus,
    SkillDemand,
)
from .rules import can_verify_company
from .services import latest_need_date

EXTENSIONS = (".csv", ".xlsx")
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000
EMPLOYER_UPLOADS_PER_DAY = 20
ERROR_LIMIT = 500
# An upload still unchecked this long after was abandoned by its worker (`recover_stalled_imports`).
STALLED_AFTER = dt.timedelta(minutes=30)
COLUMNS = ("nib", "tema", "kode_jabatan", "jumlah", "paling_lambat", "kecamatan", "persyaratan")
REQUIRED_COLUMNS = ("nib", "jumlah", "paling_lambat", "kecamatan")

_DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_YMD = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")

__all__ = ["DemandImportError", "commit_import", "create_import", "error_report_csv", "validate_import"]


class DemandImportError(DomainError):
    NOT_ALLOWED = _("Hanya Bappeda, Disnaker dan pemberi kerja yang dapat mengimpor kebutuhan keterampilan.")
    TOO_BIG = _("Berkas terlalu besar. Paling besar 5 MB.")
    UPLOADS_TODAY = _(
        "Anda sudah mengunggah %(max)s berkas dalam 24 jam terakhir. Coba lagi besok, atau hubungi Disnaker."
    )
    TOO_MANY_ROWS = _("Berkas berisi lebih dari %(max)s baris data. Bagi menjadi beberapa berkas.")
    HEADER_ONLY = _("Berkas hanya berisi baris judul kolom, tanpa data kebutuhan.")
    UNKNOWN_COLUMNS = _("Kolom tidak dikenal: %(columns)s. Kolom yang dipakai: %(expected)s.")
    MISSING_COLUMNS = _("Kolom wajib tidak ada: %(columns)s.")
    NEEDS_THEME_COLUMN = _("Berkas harus punya kolom tema atau kode_jabatan.")
    NOT_READY = _("Hanya impor yang sudah diperiksa tanpa kesalahan yang bisa disimpan.")
    # One cell
    REQUIRED = _("Wajib diisi.")
    NIB_FORMAT = _("NIB harus 13 angka.")
    NIB_UNKNOWN = _("Tidak ada perusahaan terdaftar dengan NIB ini. Perusahaan mendaftar dulu di LatihKerja.")
    NIB_NOT_YOURS = _("NIB ini bukan NIB perusahaan Anda.")
    THEME_UNKNOWN = _(
        "Tema “%(value)s” tidak ada di katalog. Tulis kode atau nama tema seperti di katalog pelatihan."
    )
    THEME_OR_OCCUPATION = _("Isi tema atau kode_jabatan (salah satu).")
    THEME_AND_OCCUPATION = _(
        "Isi tema atau kode_jabatan, salah satu saja: kode jabatan untuk keahlian yang tidak ada temanya."
    )
    DUPLICATE_STORED = _(
        "Kebutuhan yang sama (tema, jumlah, tanggal dan kecamatan) sudah tercatat untuk perusahaan ini."
    )
    DUPLICATE_ROW = _("Baris ini sama dengan baris %(first)s.")
    OCCUPATION_FORMAT = _("Kode jabatan ISCO-08 terdiri dari 4 angka, misalnya 5132.")
    OCCUPATION_UNKNOWN = DemandError.OCCUPATION_UNKNOWN
    HEADCOUNT_FORMAT = _("Jumlah harus angka bulat lebih dari 0.")
    HEADCOUNT_TOO_MANY = DemandError.HEADCOUNT_TOO_MANY
    DATE_FORMAT = _("Tulis tanggal sebagai DD/MM/YYYY atau YYYY-MM-DD, misalnya 31/12/%(year)s.")
    DATE_IMPOSSIBLE = _("Tanggal “%(value)s” tidak ada di kalender.")
    DATE_PAST = _("Tanggal harus setelah hari ini.")
    KECAMATAN_UNKNOWN = _("Kecamatan “%(value)s” tidak ditemukan. Tulis nama atau kode Kemendagri-nya.")
    TOO_LONG = _("Paling panjang %(max)s karakter.")


@dataclass(frozen=True, slots=True)
class DemandRow:
    row: int
    company_id: int
    theme_id: int | None
    occupation_code: str
    headcount: int
    needed_by: dt.date
    kecamatan_id: int
    requirements: str


def may_import(user: Any) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and (can_verify_company.test(user) or user.role == Role.EMPLOYER)
    )


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _date(text: str) -> dt.date | None:
    if match := _DMY.fullmatch(text):
        day, month, year = (int(part) for part in match.groups())
    elif match := _YMD.fullmatch(text):
        year, month, day = (int(part) for part in match.groups())
    else:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _problem(row: int | None, column: str, message: Any, shown: str = "", **params: Any) -> Problem:
    text = str(message) % params if params else str(message)
    return {"row": row, "column": column, "message": text, "name": "", "value": shown[:100]}


def check_file(
    data: bytes, name: str, *, uploader: Any, language: str = "id"
) -> tuple[list[DemandRow], list[Problem], int]:
    """The good rows, every problem (in `language`: the import's) and the number of data rows of a file."""
    with translation.override(language):
        if len(data) > MAX_FILE_BYTES:
            return [], [_problem(None, "", DemandImportError.TOO_BIG)], 0
        try:
            rows, _estimate = read_table(data, name)
            header = [_cell(cell).casefold().replace(" ", "_") for cell in next(rows, [])]
        except RegistrationImportError as error:
            return [], [_problem(None, "", error.message)], 0
        except StopIteration:  # pragma: no cover - read_table refuses empty files first
            return [], [_problem(None, "", DemandImportError.HEADER_ONLY)], 0
        unknown = [h for h in header if h and h not in COLUMNS]
        if unknown:
            message = DemandImportError.UNKNOWN_COLUMNS
            params = {"columns": ", ".join(unknown), "expected": ", ".join(COLUMNS)}
            return [], [_problem(None, "", message, **params)], 0
        missing = [c for c in REQUIRED_COLUMNS if c not in header]
        if missing:
            return [], [_problem(None, "", DemandImportError.MISSING_COLUMNS, columns=", ".join(missing))], 0
        if "tema" not in header and "kode_jabatan" not in header:
            return [], [_problem(None, "", DemandImportError.NEEDS_THEME_COLUMN)], 0
        positions = {name: header.index(name) for name in COLUMNS if name in header}
        checker = _Checker(uploader)
        good: list[DemandRow] = []
        problems: list[Problem] = []
        count = 0
        try:
            for number, raw in enumerate(rows, start=2):
                cells = {c: _cell(raw[i]) if i < len(raw) else "" for c, i in positions.items()}
                if not any(cells.values()):
                    continue
                count += 1
                if count > MAX_ROWS:
                    return [], [_problem(None, "", DemandImportError.TOO_MANY_ROWS, max=MAX_ROWS)], count
                row, found = checker.check(number, cells)
                problems.extend(found)
                if row is not None:
                    good.append(row)
        except RegistrationImportError as error:
            return [], [_problem(None, "", error.message)], count
        if count == 0:
            return [], [_problem(None, "", DemandImportError.HEADER_ONLY)], 0
        return good, problems, count


def _key(text: str) -> str:
    """Theme names and codes compared without case or extra spaces."""
    return " ".join(text.casefold().split())


class _Checker:
    """Checks rows one by one against reference data loaded once per file."""

    def __init__(self, uploader: Any) -> None:
        self.companies = dict(Company.objects.values_list("nib", "pk"))
        self.own_company = uploader.company_id if uploader.role == Role.EMPLOYER else None
        # A theme by its code (BARISTA) or its name in either language, as employers read it in the catalogue.
        self.themes: dict[str, int] = {}
        for pk, code, name, name_en in Theme.objects.values_list("pk", "code", "name", "name_en"):
            for key in (name_en, name, code):
                if key:
                    self.themes[_key(key)] = pk
        self.kecamatan: dict[str, int] = {}
        for pk, code, name in Kecamatan.objects.values_list("pk", "code", "name"):
            self.kecamatan[code] = pk
            self.kecamatan[" ".join(name.casefold().split())] = pk
        self.today = timezone.localdate()
        # The same need twice is reported, never stored twice: against the database and within the file.
        # An employer's file can only name their own company: only its needs are loaded.
        stored = SkillDemand.objects.all()
        if self.own_company is not None:
            stored = stored.filter(company_id=self.own_company)
        self.existing = set(
            stored.values_list(
                "company_id", "theme_id", "occupation_code", "headcount", "needed_by", "kecamatan_id"
            )
        )
        self.seen: dict[tuple[Any, ...], int] = {}

    def check(self, number: int, cells: dict[str, str]) -> tuple[DemandRow | None, list[Problem]]:
        problems: list[Problem] = []

        def add(column: str, message: Any, **params: Any) -> None:
            problems.append(_problem(number, column, message, cells.get(column, ""), **params))

        nib = cells["nib"]
        company = self.companies.get(nib)
        if not nib:
            add("nib", DemandImportError.REQUIRED)
        elif not re.fullmatch(r"[0-9]{13}", nib):
            add("nib", DemandImportError.NIB_FORMAT)
        elif company is None:
            add("nib", DemandImportError.NIB_UNKNOWN)
        elif self.own_company is not None and company != self.own_company:
            add("nib", DemandImportError.NIB_NOT_YOURS)
        theme_code, occupation = cells.get("tema", ""), cells.get("kode_jabatan", "")
        theme = self.themes.get(_key(theme_code)) if theme_code else None
        if not theme_code and not occupation:
            add("tema" if "tema" in cells else "kode_jabatan", DemandImportError.THEME_OR_OCCUPATION)
        if theme_code and theme is None:
            add("tema", DemandImportError.THEME_UNKNOWN, value=theme_code)
        if occupation and not re.fullmatch(r"[0-9]{4}", occupation):
            add("kode_jabatan", DemandImportError.OCCUPATION_FORMAT)
        elif occupation and not OCCUPATION_GROUPS.fullmatch(occupation):
            add("kode_jabatan", DemandImportError.OCCUPATION_UNKNOWN, code=occupation)
        elif occupation and theme is not None:
            add("kode_jabatan", DemandImportError.THEME_AND_OCCUPATION)
        typed = cells["jumlah"]
        if re.fullmatch(r"\d{1,3}([.,]\d{3})+", typed):  # 1.000 or 1,000
            typed = re.sub(r"[.,]", "", typed)
        headcount = int(typed) if re.fullmatch(r"\d{1,6}", typed) else 0
        if not cells["jumlah"]:
            add("jumlah", DemandImportError.REQUIRED)
        elif headcount <= 0:
            add("jumlah", DemandImportError.HEADCOUNT_FORMAT)
        elif headcount > MAX_HEADCOUNT:
            add("jumlah", DemandImportError.HEADCOUNT_TOO_MANY)
        needed_by = _date(cells["paling_lambat"])
        if not cells["paling_lambat"]:
            add("paling_lambat", DemandImportError.REQUIRED)
        elif needed_by is None and re.fullmatch(
            r"\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{1,2}-\d{1,2}", cells["paling_lambat"]
        ):
            add("paling_lambat", DemandImportError.DATE_IMPOSSIBLE, value=cells["paling_lambat"])
        elif needed_by is None:
            add("paling_lambat", DemandImportError.DATE_FORMAT, year=self.today.year + 1)
        elif needed_by <= self.today:
            add("paling_lambat", DemandImportError.DATE_PAST)
        elif needed_by > latest_need_date():
            add("paling_lambat", DemandError.NEEDED_BY_FAR)
        kecamatan_text = cells["kecamatan"]
        kecamatan = self.kecamatan.get(kecamatan_text) or self.kecamatan.get(
            " ".join(kecamatan_text.casefold().removeprefix("kecamatan ").split())
        )
        if not kecamatan_text:
            add("kecamatan", DemandImportError.REQUIRED)
        elif kecamatan is None:
            add("kecamatan", DemandImportError.KECAMATAN_UNKNOWN, value=kecamatan_text)
        requirements = cells.get("persyaratan", "")
        if len(requirements) > REQUIREMENTS_MAX:
            add("persyaratan", DemandImportError.TOO_LONG, max=REQUIREMENTS_MAX)
        if problems or company is None or needed_by is None or kecamatan is None:
            return None, problems
        key = (company, theme, occupation, headcount, needed_by, kecamatan)
        if key in self.existing:
            add("jumlah", DemandImportError.DUPLICATE_STORED)
        elif key in self.seen:
            add("jumlah", DemandImportError.DUPLICATE_ROW, first=self.seen[key])
        self.seen.setdefault(key, number)
        if problems:
            return None, problems
        return (
            DemandRow(number, company, theme, occupation, headcount, needed_by, kecamatan, requirements),
            [],
        )


def create_import(*, uploaded_by: Any, upload: UploadedFile) -> DemandImport:
    """Store an uploaded file and check it in the background (`tasks.validate_demand_import`)."""
    if not may_import(uploaded_by):
        raise DemandImportError(DemandImportError.NOT_ALLOWED)
    if (upload.size or 0) > MAX_FILE_BYTES:
        raise DemandImportError(DemandImportError.TOO_BIG)
    if uploaded_by.role == Role.EMPLOYER and (
        DemandImport.objects.filter(
            uploaded_by=uploaded_by, created_at__gte=timezone.now() - dt.timedelta(days=1)
        ).count()
        >= EMPLOYER_UPLOADS_PER_DAY
    ):
        # Anyone may sign up as an employer; each upload is stored and read by the worker (security review).
        raise DemandImportError(DemandImportError.UPLOADS_TODAY, max=EMPLOYER_UPLOADS_PER_DAY)
    with transaction.atomic():
        demand_import = DemandImport.objects.create(
            uploaded_by=uploaded_by,
            original_name=(upload.name or "")[:200],
            content=upload.read(),
            language=current_language(),
        )
        record_event(
            actor=uploaded_by,
            action="demand_import.uploaded",
            target=demand_import,
            detail={"name": demand_import.original_name},
        )
        from .tasks import validate_demand_import

        import_id = demand_import.pk
        transaction.on_commit(lambda: validate_demand_import.enqueue(import_id), robust=True)
    return demand_import


def recover_stalled_imports(*, now: dt.datetime | None = None) -> int:
    """Check again the uploads a worker never finished checking (it died, or the task was lost): still
    `uploaded` after `STALLED_AFTER` with no check waiting in the queue. Run by `manage.py recover_stalled_work`;
    returns how many."""
    from latihkerja.common.queue import schedule_lost

    from .tasks import validate_demand_import

    now = now or timezone.now()
    stale = DemandImport.objects.filter(updated_at__lt=now - STALLED_AFTER)
    return schedule_lost(stale, DemandImportStatus.UPLOADED, validate_demand_import, now=now)


def validate_import(import_id: int) -> DemandImport:
    """Check a stored import (`uploaded → valid | invalid`); any other status: returned unchanged."""
    demand_import = DemandImport.objects.select_related("uploaded_by").get(pk=import_id)
    if demand_import.status != DemandImportStatus.UPLOADED or demand_import.uploaded_by is None:
        return demand_import
    _rows, problems, count = check_file(
        bytes(demand_import.content),
        demand_import.original_name,
        uploader=demand_import.uploaded_by,
        language=demand_import.language,
    )
    status = DemandImportStatus.INVALID if problems else DemandImportStatus.VALID
    DemandImport.objects.filter(pk=import_id, status=DemandImportStatus.UPLOADED).update(
        status=status,
        row_count=count,
        error_count=len(problems),
        errors=problems[:ERROR_LIMIT],
        content=b"" if problems else demand_import.content,
        updated_at=timezone.now(),
    )
    demand_import.refresh_from_db()
    return demand_import


def _write(rows: list[DemandRow]) -> None:
    SkillDemand.objects.bulk_create(
        [
            SkillDemand(
                company_id=row.company_id,
                theme_id=row.theme_id,
                occupation_code=row.occupation_code,
                headcount=row.headcount,
                needed_by=row.needed_by,
                kecamatan_id=row.kecamatan_id,
                requirements=row.requirements,
            )
            for row in rows
        ],
        batch_size=1000,
    )


def commit_import(*, demand_import: DemandImport, actor: Any) -> DemandImport:
    """Write every row of a valid import, or nothing: the rows are checked again inside the transaction.

    Idempotent: a committed import is returned unchanged. A row that has gone bad meanwhile (a company
    removed, a date now past) makes the import `failed` with the report, and nothing is written.
    """
    if not may_import(actor):
        raise DemandImportError(DemandImportError.NOT_ALLOWED)
    with transaction.atomic():
        locked = DemandImport.objects.select_for_update().get(pk=demand_import.pk)
        if locked.status == DemandImportStatus.COMMITTED:
            return locked
        if locked.status != DemandImportStatus.VALID:
            raise DemandImportError(DemandImportError.NOT_READY)
        rows, problems, count = check_file(
            bytes(locked.content), locked.original_name, uploader=actor, language=locked.language
        )
        if not problems:
            try:
                with transaction.atomic():
                    _write(rows)
            except IntegrityError:
                # A need of the file was declared in the same instant (the check above could not see it yet):
                # checked again, that row is reported like any stored duplicate, and nothing is written.
                rows, problems, count = check_file(
                    bytes(locked.content), locked.original_name, uploader=actor, language=locked.language
                )
                if not problems:
                    with translation.override(locked.language):
                        problems = [_problem(None, "", DemandImportError.DUPLICATE_STORED)]
        if problems:
            locked.status = DemandImportStatus.FAILED
            locked.errors, locked.error_count = problems[:ERROR_LIMIT], len(problems)
        else:
            locked.status = DemandImportStatus.COMMITTED
            locked.committed_at = timezone.now()
            record_event(actor=actor, action="demand_import.committed", target=locked, detail={"rows": count})
        locked.content = b""
        locked.row_count = count
        locked.save(
            update_fields=[
                "status",
                "errors",
                "error_count",
                "committed_at",
                "content",
                "row_count",
                "updated_at",
            ]
        )
    return locked
