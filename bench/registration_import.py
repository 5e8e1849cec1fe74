"""Benchmark of the bulk import of registrations: validation, then commit, of one generated .csv file.

A throwaway database (PostgreSQL: ``latihkerja_bench_import``, created and dropped on the server of
``DATABASE_URL``; otherwise a temporary SQLite file) is migrated and given the shipped reference data, a period
with its registration window open and 3 open batches per centre (312). The file has N valid rows with real
NIK structure (kecamatan prefix, birth date, +40 for women, serial) over every kelurahan, 1–3 ranked choices
and 1–3 themes of interest each. Timed separately, as the worker runs them:

* ``validate`` — `imports.validate_import`: read and check every row, then the database look-ups by NIK digest;
* ``commit`` — `imports.commit_import`: the same reading and checks again, Fernet encryption of NIK and KK, and,
  in one transaction, the database check again and the bulk inserts (residents, consents, interests,
  applications, choices).

``python -m bench.registration_import [--rows N | --quick]`` (``--quick`` = 5,000 rows); figures go to
docs/bench-import.md.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime as dt
import io
import os
import platform
import random
import resource
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

BENCH_DATABASE = "latihkerja_bench_import"
FIRST_NAMES = [
    "Agus",
    "Budi",
    "Citra",
    "Dewi",
    "Eko",
    "Fitri",
    "Gita",
    "Hadi",
    "Indah",
    "Joko",
    "Kartika",
    "Lestari",
]
LAST_NAMES = [
    "Santoso",
    "Wijaya",
    "Saputra",
    "Hidayat",
    "Kurniawan",
    "Pratama",
    "Siregar",
    "Nasution",
    "Setiawan",
]
EDUCATION = ["sd", "smp", "sma", "sma", "sma", "diploma", "s1"]
EMPLOYMENT = ["phk", "dirumahkan", "menganggur", "menganggur", "bekerja", "pelajar", "usaha"]


@contextlib.contextmanager
def throwaway_database(url: str) -> Iterator[str]:
    """A fresh database for the run, removed afterwards; yields its DATABASE_URL."""
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg

        parts = urlsplit(url)
        admin = psycopg.connect(url, autocommit=True)
        admin.execute(f"DROP DATABASE IF EXISTS {BENCH_DATABASE}")
        admin.execute(f"CREATE DATABASE {BENCH_DATABASE}")
        try:
            yield urlunsplit(parts._replace(path="/" + BENCH_DATABASE))
        finally:
            with contextlib.suppress(Exception):  # Django may not have been set up
                from django.db import connections

                connections.close_all()
            admin.execute(f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)")
            admin.close()
    else:
        with tempfile.TemporaryDirectory(prefix="latihkerja-bench-") as directory:
            yield f"sqlite:///{Path(directory) / 'bench.sqlite3'}"


def setup(var_dir: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "latihkerja.config.settings.dev")
    os.environ["LATIHKERJA_VAR_DIR"] = var_dir  # uploads and the dev secrets stay in the temporary directory
    os.environ.setdefault("NIK_KEY", "bench-nik-key-not-for-production")
    os.environ.setdefault("SECRET_KEY", "bench-secret-key-not-for-production")
    os.environ["DEBUG"] = "0"  # DEBUG would keep every query in memory
    import django

    django.setup()


def prepare() -> tuple[Any, Any, list[str]]:
    """Reference data, an open period, 3 open batches per centre, and a Bappeda user (city-wide import)."""
    from django.core.management import call_command
    from django.utils import timezone

    from latihkerja.accounts.enums import Role
    from latihkerja.accounts.models import User
    from latihkerja.batches.enums import BatchStatus
    from latihkerja.batches.models import Batch
    from latihkerja.catalog.models import Theme
    from latihkerja.centers.models import Center
    from latihkerja.programs.models import Period

    call_command("migrate", verbosity=0)
    call_command("load_reference_data", stdout=io.StringIO())
    now = timezone.now()
    period = Period.objects.create(
        code="bench",
        name="Bench",
        starts_on=dt.date(2020, 10, 1),
        ends_on=dt.date(2020, 12, 31),
        registration_opens_at=now - dt.timedelta(days=1),
        registration_closes_at=now + dt.timedelta(days=30),
    )
    themes = list(Theme.objects.order_by("code")[:3])
    batches = [
        Batch(
            code=f"bench-{center.code}-{index}",
            period=period,
            center=center,
            theme=theme,
            modality="luring",
            capacity=25,
            minimum=20,
            starts_on=dt.date(2020, 10, 5),
            ends_on=dt.date(2020, 10, 16),
            status=BatchStatus.OPEN,
        )
        for center in Center.objects.order_by("code")
        for index, theme in enumerate(themes, 1)
    ]
    Batch.objects.bulk_create(batches)
    actor = User.objects.create(username="bench.bappeda", role=Role.BAPPEDA)
    return period, actor, [b.code for b in batches]


def generate_csv(rows: int, codes: Sequence[str], seed: int = 2020) -> bytes:
    """`rows` valid rows with real NIK structure, unique NIKs, over every kelurahan, each with one to three
    classes chosen and one to three themes of interest."""
    from latihkerja.catalog.models import Theme
    from latihkerja.engine.nik import Sex, build_nik
    from latihkerja.regions.models import Kelurahan
    from latihkerja.registration.imports import PERSON_COLUMNS

    rng = random.Random(seed)
    kelurahan = list(Kelurahan.objects.select_related("kecamatan").order_by("code"))
    themes = list(Theme.objects.filter(is_active=True).order_by("code").values_list("code", flat=True))
    reference = dt.date(2020, 10, 1)
    seen: set[str] = set()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([*PERSON_COLUMNS, "pilihan_1", "pilihan_2", "pilihan_3", "minat", "persetujuan"])
    while len(seen) < rows:
        kel = rng.choice(kelurahan)
        sex = Sex.FEMALE if rng.random() < 0.48 else Sex.MALE
        birth = reference - dt.timedelta(days=rng.randrange(18 * 365, 55 * 365))
        nik = build_nik(
            region=kel.kecamatan.nik_prefix, birth_date=birth, sex=sex, serial=rng.randrange(1, 10_000)
        )
        if nik in seen:
            continue
        seen.add(nik)
        choices = rng.sample(codes, rng.choice([1, 2, 3, 3]))
        writer.writerow(
            [
                nik,
                f"{kel.kecamatan.nik_prefix}{rng.randrange(10**9, 10**10)}",
                f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                sex.value,
                birth.strftime("%d/%m/%Y"),
                kel.name,
                f"Jl. Contoh No. {rng.randrange(1, 200)}, RT {rng.randrange(1, 12):03d}/RW {rng.randrange(1, 9):03d}",
                f"08{rng.choice([11, 12, 13, 21, 52, 57, 77, 95])}{rng.randrange(10_000_000, 99_999_999)}",
                "" if rng.random() < 0.7 else f"warga{len(seen)}@contoh.id",
                rng.choice(EDUCATION),
                rng.choice(EMPLOYMENT),
                "ya" if rng.random() < 0.03 else "tidak",
                *choices,
                *[""] * (3 - len(choices)),
                "; ".join(rng.sample(themes, rng.choice([1, 2, 3]))),
                "ya",
            ]
        )
    return buffer.getvalue().encode()


def fernet_microseconds(samples: int = 10_000) -> float:
    from latihkerja.residents.crypto import encrypt_identity

    started = time.perf_counter()
    for serial in range(samples):
        encrypt_identity(f"3671010101{serial:06d}")
    return (time.perf_counter() - started) / samples * 1e6


def run(rows: int) -> tuple[str, list[str]]:
    from django.core.files.base import ContentFile
    from django.db import connection

    from latihkerja.registration import imports
    from latihkerja.registration.models import (
        Application,
        ApplicationChoice,
        Consent,
        ImportStatus,
        RegistrationImport,
    )
    from latihkerja.residents.models import Resident

    period, actor, codes = prepare()
    data = generate_csv(rows, codes)
    registration_import = RegistrationImport.objects.create(
        period=period, uploaded_by=actor, file=ContentFile(data, name="bench.csv"), original_name="bench.csv"
    )
    started = time.perf_counter()
    imports.check_file(data, "bench.csv", imports.load_reference(period, center_id=None))
    check_seconds = time.perf_counter() - started
    started = time.perf_counter()
    validated = imports.validate_import(registration_import.pk)
    validate_seconds = time.perf_counter() - started
    if validated.status != ImportStatus.VALID:
        raise SystemExit(f"validation failed: {validated.error_count} problems, first {validated.errors[:3]}")
    started = time.perf_counter()
    committed = imports.commit_import(registration_import.pk, actor)
    commit_seconds = time.perf_counter() - started
    if committed.status != ImportStatus.COMMITTED:
        raise SystemExit(f"commit failed: {committed.errors[:3]}")
    counts = (
        Resident.objects.count(),
        Consent.objects.count(),
        Application.objects.count(),
        ApplicationChoice.objects.count(),
        Resident.interests.through.objects.count(),
    )
    assert counts[:3] == (rows, rows, rows), counts
    vendor = f"{connection.vendor} {'.'.join(map(str, connection.Database.sqlite_version_info)) if connection.vendor == 'sqlite' else connection.pg_version}"  # type: ignore[attr-defined]
    total = validate_seconds + commit_seconds
    line = (
        f"| {vendor} | {rows:,} | {len(data) / 1e6:.1f} MB | {counts[3]:,} | {counts[4]:,} | {validate_seconds:.1f} | "
        f"{commit_seconds:.1f} | {total:.1f} | {rows / total:,.0f} |"
    )
    fernet = fernet_microseconds()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return line, [
        f"Reading and checking the rows alone (`check_file`, no database): {check_seconds:.1f} s; "
        "the commit does it again before writing.",
        f"Fernet encryption: {fernet:.0f} µs per value, {rows * 2 * fernet / 1e6:.1f} s for the NIKs and KKs.",
        f"Peak memory of the process: {peak:,.0f} MB.",
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.registration_import", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--rows", type=int, default=100_000, help="rows in the generated file (default 100,000)"
    )
    parser.add_argument("--quick", action="store_true", help="5,000 rows")
    args = parser.parse_args(argv)
    rows = 5_000 if args.quick else args.rows
    with (
        tempfile.TemporaryDirectory(prefix="latihkerja-bench-var-") as var_dir,
        throwaway_database(os.environ.get("DATABASE_URL", "")) as url,
    ):
        os.environ["DATABASE_URL"] = url
        setup(var_dir)
        line, notes = run(rows)
    print(f"Python {platform.python_version()}")
    print()
    print("| database | rows | file | choices | interests | validate (s) | commit (s) | total (s) | rows/s |")
    print("|---|---|---|---|---|---|---|---|---|")
    print(line)
    print()
    for note in notes:
        print(note)
    return 0


if __name__ == "__main__":
    sys.exit(main())
