"""Fixtures of the import tests: an open period, batches at centres A and B, and valid rows to start from."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from latihkerja.centers.models import Center
from latihkerja.engine.nik import Sex, build_nik
from latihkerja.programs.models import Period
from latihkerja.registration.imports import create_import
from latihkerja.registration.models import RegistrationImport
from tests.factories import BatchFactory, PeriodFactory

HEADER = [
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
    "pilihan_1",
    "pilihan_2",
    "pilihan_3",
    "minat",
    "persetujuan",
]


@pytest.fixture
def open_period(db: Any) -> Period:
    """The 2020-10 period (starts 1 Oct 2020: ages are counted then) with its registration window open now."""
    now = timezone.now()
    return PeriodFactory(
        registration_opens_at=now - dt.timedelta(days=1), registration_closes_at=now + dt.timedelta(days=30)
    )


@pytest.fixture
def batches(open_period: Period, center_a: Center, center_b: Center) -> dict[str, Any]:
    """Open batches a-1..a-3 at centre A and b-1 at centre B, and a-draft (not open) at centre A."""
    made = {
        code: BatchFactory(code=code, period=open_period, center=center_a, status="open")
        for code in ("a-1", "a-2", "a-3")
    }
    made["b-1"] = BatchFactory(code="b-1", period=open_period, center=center_b, status="open")
    made["a-draft"] = BatchFactory(code="a-draft", period=open_period, center=center_a, status="draft")
    return made


def nik_for(n: int, *, sex: Sex = Sex.MALE, birth: dt.date | None = None, region: str = "367101") -> str:
    return build_nik(region=region, birth_date=birth or person_birth(n), sex=sex, serial=n + 1)


def person_birth(n: int) -> dt.date:
    return dt.date(1990, 1, 1) + dt.timedelta(days=n)


def row(n: int = 0, **overrides: str) -> dict[str, str]:
    """A valid row for person `n` (unique NIK), choosing a-1 then a-2; `overrides` replace cells."""
    values = {
        "nik": nik_for(n),
        "no_kk": f"36710101012{n:05d}",
        "nama": f"Warga Impor {chr(65 + n % 26)}",
        "jenis_kelamin": "L",
        "tanggal_lahir": person_birth(n).strftime("%d/%m/%Y"),
        "kelurahan": "Sukarasa",
        "alamat": "Jl. Contoh No. 1, RT 001/RW 002",
        "no_hp": f"0812{n:08d}",
        "email": "",
        "pendidikan": "sma",
        "status_pekerjaan": "phk",
        "disabilitas": "tidak",
        "pilihan_1": "a-1",
        "pilihan_2": "a-2",
        "pilihan_3": "",
        "minat": "",
        "persetujuan": "ya",
    }
    values.update(overrides)
    return values


def csv_bytes(
    rows: list[dict[str, str]], *, header: list[str] | None = None, delimiter: str = ",", bom: bool = False
) -> bytes:
    header = header or HEADER
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    for values in rows:
        writer.writerow([values.get(column, "") for column in header])
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode()


def xlsx_bytes(rows: list[list[Any]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for values in rows:
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def run_import(
    django_capture_on_commit_callbacks: Any, open_period: Period
) -> Callable[..., RegistrationImport]:
    """Upload `content` as `name` through the service; the validation task runs (immediate backend)."""

    def _run(
        user: Any, content: bytes, name: str = "pendaftar.csv", period: Period | None = None
    ) -> RegistrationImport:
        with django_capture_on_commit_callbacks(execute=True):
            registration_import = create_import(
                period=period or open_period, uploaded_by=user, upload=SimpleUploadedFile(name, content)
            )
        registration_import.refresh_from_db()
        return registration_import

    return _run


def triples(registration_import: RegistrationImport) -> list[tuple[int | None, str, str]]:
    return [(p["row"], p["column"], p["message"]) for p in registration_import.errors]


def committed(
    run_import: Callable[..., RegistrationImport], user: Any, content: bytes, capture: Any
) -> RegistrationImport:
    """Upload `content`, expect no problem, and commit it (the notification task runs on commit)."""
    from latihkerja.registration.imports import commit_import
    from latihkerja.registration.models import ImportStatus

    registration_import = run_import(user, content)
    assert triples(registration_import) == []
    with capture(execute=True):
        result = commit_import(registration_import.pk, user)
    assert result.status == ImportStatus.COMMITTED
    return result
