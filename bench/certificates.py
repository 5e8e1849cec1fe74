"""Benchmark of certificates for a whole period: issue them batch by batch, then render every PDF as the
worker does (`certificates.tasks.generate_batch_pdfs`, one task per batch), storing files and queuing the SMS.

A throwaway database (PostgreSQL: ``latihkerja_bench_certificates``, created and dropped on the server of
``DATABASE_URL``; otherwise a temporary SQLite file) is migrated and given the shipped reference data, then, in
bulk, a period of N participants: completed batches of 25 at every centre, one resident, enrollment and
`completed` outcome each. Timed separately:

* ``issue`` — `services.issue_for_batch` for every batch (numbers, snapshots, audit event), tasks not run;
* ``render`` — the task function of every batch, in this one process (one worker): PDF, file, SMS outbox row.

``python -m bench.certificates [--participants N | --quick]`` (``--quick`` = 1,000); figures go to
docs/bench-certificates.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import math
import os
import platform
import resource
import sys
import tempfile
import time
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from bench import registration_import

BATCH_SIZE = 25


def prepare(participants: int) -> tuple[Any, list[Any]]:
    from django.core.management import call_command

    from latihkerja.accounts.enums import Role
    from latihkerja.accounts.models import User
    from latihkerja.batches.enums import BatchStatus
    from latihkerja.batches.models import Batch, Enrollment
    from latihkerja.catalog.models import Theme
    from latihkerja.centers.models import Center
    from latihkerja.programs.models import Period
    from latihkerja.regions.models import Kelurahan
    from latihkerja.residents.crypto import digest_identity, encrypt_identity
    from latihkerja.residents.models import Resident
    from latihkerja.training.models import Outcome

    call_command("migrate", verbosity=0)
    call_command("load_reference_data", stdout=io.StringIO())
    from django.utils import timezone

    now = timezone.now()
    period = Period.objects.create(
        code="bench",
        name="Oktober–Desember 2020",
        starts_on=dt.date(2020, 10, 1),
        ends_on=dt.date(2020, 12, 31),
        registration_opens_at=now - dt.timedelta(days=60),
        registration_closes_at=now - dt.timedelta(days=30),
    )
    themes = list(Theme.objects.order_by("code"))
    centers = list(Center.objects.order_by("code"))
    count = math.ceil(participants / BATCH_SIZE)
    Batch.objects.bulk_create(
        Batch(
            code=f"bench-{index}",
            period=period,
            center=centers[index % len(centers)],
            theme=themes[index % len(themes)],
            modality="luring",
            capacity=BATCH_SIZE,
            minimum=20,
            seats_taken=BATCH_SIZE,
            starts_on=dt.date(2020, 10, 5),
            ends_on=dt.date(2020, 10, 30),
            status=BatchStatus.COMPLETED,
        )
        for index in range(count)
    )
    batches = list(Batch.objects.filter(period=period).order_by("pk"))
    kelurahan = Kelurahan.objects.order_by("code").first()
    residents = []
    for serial in range(participants):
        nik = f"367101{serial:010d}"
        residents.append(
            Resident(
                nik_digest=digest_identity(nik),
                nik_encrypted=encrypt_identity(nik),
                full_name=f"Peserta Uji {serial:05d}",
                sex="L",
                birth_date=dt.date(1990, 1, 1),
                kelurahan=kelurahan,
                address="Jl. Contoh",
                phone=f"0812{serial:08d}",
                education="sma",
                employment_status="phk",
            )
        )
    Resident.objects.bulk_create(residents, batch_size=2000)
    resident_ids = list(Resident.objects.order_by("pk").values_list("pk", flat=True))
    Enrollment.objects.bulk_create(
        (
            Enrollment(
                batch=batches[i // BATCH_SIZE],
                period=period,
                resident_id=rid,
                status="active",
                source="allocation",
            )
            for i, rid in enumerate(resident_ids)
        ),
        batch_size=2000,
    )
    Outcome.objects.bulk_create(
        (
            Outcome(
                enrollment_id=eid,
                batch_id=bid,
                status="completed",
                hours_attended=Decimal("72.0"),
                hours_total=Decimal("80.0"),
                assessment_passed=True,
            )
            for eid, bid in Enrollment.objects.filter(period=period)
            .order_by("pk")
            .values_list("pk", "batch_id")
        ),
        batch_size=2000,
    )
    actor = User.objects.create(username="bench.bappeda", role=Role.BAPPEDA)
    return actor, batches


def run(participants: int, media: Path) -> tuple[str, list[str]]:
    from django.db import connection
    from django.urls import reverse

    from latihkerja.certificates.models import Certificate
    from latihkerja.certificates.services import issue_for_batch
    from latihkerja.certificates.tasks import generate_batch_pdfs
    from latihkerja.notifications.models import Message

    actor, batches = prepare(participants)
    reverse("certificates:verify-form")  # the URLconf's one-time import (~seconds) is not per certificate
    started = time.perf_counter()
    issued = sum(issue_for_batch(batch=batch, actor=actor) for batch in batches)
    issue_seconds = time.perf_counter() - started
    started, cpu_started = time.perf_counter(), time.process_time()
    rendered = sum(generate_batch_pdfs.call(batch.pk) for batch in batches)
    render_seconds = time.perf_counter() - started
    render_cpu = time.process_time() - cpu_started
    assert issued == rendered == participants, (issued, rendered)
    assert Certificate.objects.filter(generated_at__isnull=True).count() == 0
    messages = Message.objects.filter(kind="certificate").count()
    sizes = [path.stat().st_size for path in (media / "certificates").rglob("*.pdf")]
    assert len(sizes) == participants, len(sizes)
    vendor = (
        f"sqlite {'.'.join(map(str, connection.Database.sqlite_version_info))}"  # type: ignore[attr-defined]
        if connection.vendor == "sqlite"
        else f"postgresql {connection.pg_version}"  # type: ignore[attr-defined]
    )
    total = issue_seconds + render_seconds
    line = (
        f"| {vendor} | {participants:,} | {len(batches):,} | {issue_seconds:.1f} | {render_seconds:.1f} | "
        f"{total:.1f} | {total / participants * 1000:.1f} | {sum(sizes) / len(sizes) / 1024:.1f} KB |"
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return line, [
        f"Issue alone: {issue_seconds / participants * 1000:.2f} s per 1,000; rendering alone (one worker): "
        f"{render_seconds / participants * 1000:.1f} s per 1,000 wall clock, of which "
        f"{render_cpu / participants * 1000:.1f} s CPU of the worker process (the rest: database, disk, other load).",
        f"PDFs on disk: {sum(sizes) / 1e6:.1f} MB in all, {min(sizes):,}–{max(sizes):,} bytes each; "
        f"{messages:,} SMS queued.",
        f"Peak memory of the process: {peak:,.0f} MB.",
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.certificates", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--participants", type=int, default=10_000, help="graduates in the period (default 10,000)"
    )
    parser.add_argument("--quick", action="store_true", help="1,000 participants")
    args = parser.parse_args(argv)
    participants = 1_000 if args.quick else args.participants
    registration_import.BENCH_DATABASE = "latihkerja_bench_certificates"
    with (
        tempfile.TemporaryDirectory(prefix="latihkerja-bench-var-") as var_dir,
        registration_import.throwaway_database(os.environ.get("DATABASE_URL", "")) as url,
    ):
        os.environ["DATABASE_URL"] = url
        # The worker's task is called in-process; nothing else (SMS delivery) runs during the measurement.
        os.environ["TASKS_BACKEND"] = "django_tasks.backends.dummy.DummyBackend"
        registration_import.setup(var_dir)
        line, notes = run(participants, Path(var_dir) / "media")
    print(f"Python {platform.python_version()}")
    print()
    print(
        "| database | certificates | batches | issue (s) | render (s) | total (s) | s per 1,000 | PDF size |"
    )
    print("|---|---|---|---|---|---|---|---|")
    print(line)
    print()
    for note in notes:
        print(note)
    return 0


if __name__ == "__main__":
    sys.exit(main())
