"""Benchmark of the dashboard: summary tables against direct aggregation, on PostgreSQL and SQLite.

A bulk generator (PostgreSQL ``COPY``, SQLite ``executemany`` in big transactions) fills a fresh database with
the issue's size: 1,000,000 residents, 2,000,000 applications (two periods, every resident applying in each,
two ranked choices per application: 4,000,000 choices) and 50,000 batches (25,000 per period), plus 40% of the
applicants of each period holding a seat, outcomes for half of those, four sessions per batch (three luring,
most signed off), one attendance row per seat holder. Then, for the current period, in one run:

* ``refresh``: ``reports.services.refresh_figures`` (every scope: city, each OPD, each centre) — how stale the
  summary can get is the refresher's interval plus this;
* ``direct``: the same city figures computed straight from the raw tables (``compute_figures`` for the city
  scope only), i.e. what a dashboard without summary tables would have to do on each request;
* ``dashboard``: GET ``/dasbor/`` as Bappeda through Django's test client (the full view, template, map and
  chart data), 200 requests after 10 warm-up ones: median and p95;
* ``excel``: the .xlsx report built from the summary rows (``exports.render_xlsx``);
* ``staleness``: the worst case of "current within one minute": ``refresh_reports --every 20`` runs beside, one
  new application is committed just after a refresh has read its snapshot, and the time until the dashboard
  shows it is measured (the bound is max(interval, R) + R, R the time of one refresh).

``python -m bench.dashboard [--quick] [--database-url URL] [--skip-sqlite] [--sqlite-residents N]``; ``make
bench BENCH_ARGS=dashboard``. Each database is created and dropped by the run (PostgreSQL:
``latihkerja_bench_reports``; SQLite: a temporary file) unless ``--keep`` is given (PostgreSQL database kept; SQLite
file kept at ``--sqlite-path``). ``--reuse`` measures a kept database again without regenerating it, and
``--refresh-only`` times only ``refresh_figures`` (``--repeat N`` times) — the loop for tuning the refresh:

    python -m bench.dashboard --skip-sqlite --keep                       # build once (many minutes), measure
    python -m bench.dashboard --skip-sqlite --reuse --refresh-only --repeat 3
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench._pg import create_database, drop_database, postgres_problem

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/latihkerja_bench_reports"
FULL = {"residents": 1_000_000, "batches_per_period": 25_000, "periods": 2}
QUICK = {"residents": 20_000, "batches_per_period": 1_000, "periods": 2}
TARGET_P95_MS = 50.0
TARGET_SPEEDUP = 100.0
REQUESTS = 200
TARGET_STALE_S = 60.0
REFRESH_EVERY = 20  # the refresher's interval in the staleness measurement (as docs/operations.md runs it)


def main(argv: list[str]) -> int:
    if argv and argv[0] == "_generate":
        return _generate_main(int(argv[1]), int(argv[2]), int(argv[3]))
    if argv and argv[0] == "_measure":
        return _measure_main(argv[1])
    if argv and argv[0] == "_refresh":
        return _refresh_main(argv[1], int(argv[2]))
    parser = argparse.ArgumentParser(prog="python -m bench.dashboard", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="20,000 residents, 2,000 batches")
    parser.add_argument("--database-url", default=DEFAULT_URL, help="dropped and re-created")
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument(
        "--sqlite-residents", type=int, default=0, help="another size on SQLite (0: the same)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the generated database(s)")
    parser.add_argument(
        "--reuse", action="store_true", help="measure a database kept by --keep, no generation"
    )
    parser.add_argument("--refresh-only", action="store_true", help="time only refresh_figures")
    parser.add_argument("--repeat", type=int, default=1, help="refreshes to time with --refresh-only")
    parser.add_argument(
        "--sqlite-path", default="", help="SQLite file (kept with --keep; default: a temporary file)"
    )
    args = parser.parse_args(argv)
    options = {
        "keep": args.keep,
        "reuse": args.reuse,
        "refresh_only": args.refresh_only,
        "repeat": args.repeat,
    }
    sizes = QUICK if args.quick else FULL
    results = []
    if not args.skip_postgres:
        problem = postgres_problem(args.database_url)
        if problem:
            print(f"PostgreSQL SKIPPED: {problem}")
        else:
            results.append(_run_backend("PostgreSQL", args.database_url, sizes, options))
    if not args.skip_sqlite:
        workdir = Path(tempfile.mkdtemp(prefix="lk-bench-dash-"))
        path = Path(args.sqlite_path) if args.sqlite_path else workdir / "bench.sqlite3"
        try:
            sqlite_sizes = dict(sizes, residents=args.sqlite_residents or sizes["residents"])
            results.append(_run_backend("SQLite", f"sqlite:///{path}", sqlite_sizes, options))
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
    if not args.refresh_only:
        _report(results)
    return 0


def _env(url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "CACHE_URL", "DATABASE_URL"}}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "latihkerja.config.settings.test",
            "DATABASE_URL": url,
            "PYTHONPATH": str(ROOT),
            "CONN_MAX_AGE": "600",
            "ALLOWED_HOSTS": "testserver,127.0.0.1",
        }
    )
    return env


def _run(command: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command[:5])} failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")
    return done.stdout


def _run_backend(name: str, url: str, sizes: dict[str, int], options: dict[str, Any]) -> dict[str, Any]:
    env = _env(url)
    is_postgres = url.startswith("postgres")
    if is_postgres and not options["reuse"]:
        create_database(url)
    try:
        started = time.perf_counter()
        if not options["reuse"]:
            _run([PYTHON, "manage.py", "migrate", "--no-input", "-v", "0"], env)
            _run([PYTHON, "manage.py", "load_reference_data"], env)
            _run(
                [
                    PYTHON,
                    "-m",
                    "bench.dashboard",
                    "_generate",
                    str(sizes["residents"]),
                    str(sizes["batches_per_period"]),
                    str(sizes["periods"]),
                ],
                env,
            )
        else:
            _run([PYTHON, "manage.py", "migrate", "--no-input", "-v", "0"], env)
        generated = time.perf_counter() - started
        if options["refresh_only"]:
            times = json.loads(
                _run([PYTHON, "-m", "bench.dashboard", "_refresh", "x", str(options["repeat"])], env)
            )
            print(
                f"{name}: refresh_figures {', '.join(f'{t:.2f} s' for t in times['refresh_s'])}; {times['figures']:,} figures",
                flush=True,
            )
            return dict(times, backend=name)
        with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
            out = handle.name
        _run([PYTHON, "-m", "bench.dashboard", "_measure", out], env)
        result = json.loads(Path(out).read_text())
        Path(out).unlink(missing_ok=True)
        result.update({"backend": name, "generate_s": generated, "sizes": sizes})
        print(f"{name}: {json.dumps(result)}", flush=True)
        return result
    finally:
        if is_postgres and not (options["keep"] or options["reuse"]):
            with contextlib.suppress(Exception):
                drop_database(url)


def _report(results: list[dict[str, Any]]) -> None:
    print(
        "\n| backend | residents | applications | batches | generate | refresh (all scopes) | direct city aggregation | dashboard median | dashboard p95 | speed-up (direct / p95) | Excel export | change visible after |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        speedup = r["direct_s"] * 1000 / r["p95_ms"]
        print(
            f"| {r['backend']} | {r['counts']['residents']:,} | {r['counts']['applications']:,} | {r['counts']['batches']:,} "
            f"| {r['generate_s']:.0f} s | {r['refresh_s']:.2f} s | {r['direct_s']:.2f} s | {r['median_ms']:.1f} ms "
            f"| {r['p95_ms']:.1f} ms | {speedup:,.0f}x | {r['excel_s']:.2f} s | {r['staleness_s']:.2f} s |"
        )
    print()
    for r in results:
        speedup = r["direct_s"] * 1000 / r["p95_ms"]
        ok_p95 = "met" if r["p95_ms"] <= TARGET_P95_MS else "MISSED"
        ok_speed = "met" if speedup >= TARGET_SPEEDUP else "MISSED"
        bound = max(r["refresh_every_s"], r["refresh_s"]) + r["refresh_s"]
        ok_stale = "met" if r["change_seen"] and r["staleness_s"] <= TARGET_STALE_S else "MISSED"
        print(
            f"- {r['backend']}: p95 <= {TARGET_P95_MS:.0f} ms {ok_p95}; >= {TARGET_SPEEDUP:.0f}x {ok_speed}; "
            f"figures checked equal: {r['equal']}; a change committed just after a refresh began shown after "
            f"{r['staleness_s']:.1f} s with `refresh_reports --every {r['refresh_every_s']}` "
            f"(bound max(interval, R) + R = {bound:.1f} s; <= {TARGET_STALE_S:.0f} s {ok_stale})"
        )


# --- PostgreSQL administration ------------------------------------------------------------------------


# --- Django side (subprocesses) ----------------------------------------------------------------------------


def _writer() -> Any:
    """write(table, columns, rows): COPY on PostgreSQL, executemany in one transaction per chunk on SQLite."""
    import datetime as dt

    from django.db import connection, transaction

    def write(table: str, columns: list[str], rows: Any) -> int:
        count = 0
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                raw = cursor.cursor
                with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                        count += 1
            return count
        placeholders = ", ".join(["%s"] * len(columns))

        def plain(value: Any) -> Any:
            # SQLite stores what Django would: times as text, aware datetimes as naive UTC text.
            if isinstance(value, dt.time):
                return value.isoformat()
            if isinstance(value, dt.datetime):
                return value.astimezone(dt.UTC).replace(tzinfo=None).isoformat(" ")
            return value

        rows = (tuple(plain(value) for value in row) for row in rows)
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})"  # noqa: S608 - our own names
        chunk: list[Any] = []
        with connection.cursor() as cursor:
            for row in rows:
                chunk.append(row)
                if len(chunk) >= 50_000:
                    with transaction.atomic():
                        cursor.executemany(sql, chunk)
                    count += len(chunk)
                    chunk = []
            if chunk:
                with transaction.atomic():
                    cursor.executemany(sql, chunk)
                count += len(chunk)
        return count

    return write


def _generate_main(residents: int, batches_per_period: int, periods: int) -> int:
    import django

    django.setup()
    import datetime as dt
    import random

    from django.db import connection
    from django.utils import timezone

    from latihkerja.accounts.enums import Role
    from latihkerja.accounts.models import User
    from latihkerja.catalog.models import Theme
    from latihkerja.centers.models import Center
    from latihkerja.demand.models import Company, SkillDemand
    from latihkerja.programs.models import Period
    from latihkerja.regions.models import Kecamatan, Kelurahan

    rng = random.Random(2020)
    write = _writer()
    now = timezone.now()
    kelurahan = list(Kelurahan.objects.values_list("pk", flat=True))
    centers = list(Center.objects.values_list("pk", "rooms__pk", "rooms__capacity"))
    themes = list(Theme.objects.values_list("pk", "modality"))
    signer = User.objects.create(username="bench.bappeda", role=Role.BAPPEDA, is_staff=True)
    signer.set_password("bench")
    signer.save()
    employment = (
        ["phk"] * 25
        + ["dirumahkan"] * 15
        + ["menganggur"] * 35
        + ["bekerja"] * 10
        + ["pelajar"] * 10
        + ["usaha"] * 5
    )

    def resident_rows() -> Any:
        for i in range(1, residents + 1):
            born = dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 44))
            yield (
                i,
                f"{i:064x}",
                "x",
                "",
                f"Warga {i}",
                "LP"[i % 2],
                born,
                rng.choice(kelurahan),
                "Jl. Bench",
                "081200000000",
                "",
                "sma",
                rng.choice(employment),
                False,
                now,
                now,
            )

    write(
        "residents_resident",
        [
            "id",
            "nik_digest",
            "nik_encrypted",
            "kk_encrypted",
            "full_name",
            "sex",
            "birth_date",
            "kelurahan_id",
            "address",
            "phone",
            "email",
            "education",
            "employment_status",
            "has_disability",
            "created_at",
            "updated_at",
        ],
        resident_rows(),
    )
    company = Company.objects.create(
        name="PT Bench",
        nib="9999999999999",
        sector="Industri",
        kecamatan=Kecamatan.objects.first(),
        contact_name="HRD",
        contact_phone="021",
        contact_email="hrd@bench.id",
        verified_at=now,
    )
    SkillDemand.objects.bulk_create(
        [
            SkillDemand(
                company=company,
                theme_id=pk,
                headcount=rng.randint(5, 200),
                needed_by=dt.date(2021, 1, 1),
                kecamatan=company.kecamatan,
            )
            for pk, _ in themes
        ]
    )
    batch_id = application_id = choice_id = enrollment_id = session_id = 0
    for p in range(periods):
        year = 2020 - (periods - 1 - p)
        period = Period.objects.create(
            code=f"bench-{year}",
            name=f"Bench {year}",
            starts_on=dt.date(year, 10, 1),
            ends_on=dt.date(year, 12, 31),
            registration_opens_at=dt.datetime(year, 8, 1, tzinfo=dt.UTC),
            registration_closes_at=dt.datetime(year, 9, 20, tzinfo=dt.UTC),
        )
        first_batch = batch_id + 1
        batch_info = []
        for _ in range(batches_per_period):
            batch_id += 1
            center, room, _capacity = centers[rng.randrange(len(centers))]
            theme, modality = themes[rng.randrange(len(themes))]
            batch_info.append(
                [batch_id, center, theme, room, modality if modality != "campuran" else "luring", 0]
            )
        seat_of: list[tuple[int, int, int]] = []  # (resident, batch, status index)
        applications = []
        choices = []
        for resident in range(1, residents + 1):
            application_id += 1
            created = dt.datetime(year, 8, 1, tzinfo=dt.UTC) + dt.timedelta(
                seconds=rng.randrange(0, 50 * 86400)
            )
            applications.append(
                (application_id, resident, period.pk, "submitted", "online", 1, created, created)
            )
            picks = rng.sample(range(batches_per_period), 2)
            for rank, pick in enumerate(picks, start=1):
                choice_id += 1
                choices.append((choice_id, application_id, rank, first_batch + pick))
            if rng.random() < 0.4:
                info = batch_info[picks[0]]
                if info[5] < 25:
                    info[5] += 1
                    seat_of.append((resident, info[0], rng.choices([0, 1, 2], weights=[85, 5, 10])[0]))
        write(
            "batches_batch",
            [
                "id",
                "code",
                "period_id",
                "center_id",
                "theme_id",
                "room_id",
                "modality",
                "capacity",
                "minimum",
                "seats_taken",
                "starts_on",
                "ends_on",
                "status",
                "created_at",
                "updated_at",
            ],
            (
                (
                    b,
                    f"bench-{year}-{b}",
                    period.pk,
                    c,
                    t,
                    r,
                    m,
                    25,
                    20,
                    taken,
                    dt.date(year, 10 + b % 3, 1 + b % 20),
                    dt.date(year, 10 + b % 3, 5 + b % 20),
                    "running",
                    now,
                    now,
                )
                for b, c, t, r, m, taken in batch_info
            ),
        )
        write(
            "registration_application",
            ["id", "resident_id", "period_id", "status", "source", "revision", "created_at", "updated_at"],
            applications,
        )
        del applications
        write("registration_applicationchoice", ["id", "application_id", "rank", "batch_id"], choices)
        del choices
        statuses = ["active", "offered", "withdrawn"]
        enrollments = []
        outcomes = []
        first_enrollment = enrollment_id + 1
        for resident, batch, status in seat_of:
            enrollment_id += 1
            respond_by = now if statuses[status] == "offered" else None
            enrollments.append(
                (
                    enrollment_id,
                    batch,
                    period.pk,
                    resident,
                    statuses[status],
                    "allocation",
                    respond_by,
                    now,
                    now,
                )
            )
            if status == 0 and enrollment_id % 2:
                outcome = rng.choices(["completed", "not_completed", "dropped_out"], weights=[80, 10, 10])[0]
                outcomes.append((enrollment_id, batch, outcome, 40, 48, outcome == "completed", now))
        write(
            "batches_enrollment",
            [
                "id",
                "batch_id",
                "period_id",
                "resident_id",
                "status",
                "source",
                "respond_by",
                "created_at",
                "updated_at",
            ],
            enrollments,
        )
        write(
            "training_outcome",
            [
                "enrollment_id",
                "batch_id",
                "status",
                "hours_attended",
                "hours_total",
                "assessment_passed",
                "decided_at",
            ],
            outcomes,
        )
        sessions = []
        signoffs = []
        first_session = session_id + 1
        for b, _c, _t, room, _m, _taken in batch_info:
            for number in range(1, 5):
                session_id += 1
                luring = number < 4
                day = dt.date(year, 10, 1) + dt.timedelta(days=number)
                sessions.append(
                    (
                        session_id,
                        b,
                        number,
                        day,
                        dt.time(8),
                        dt.time(12),
                        "",
                        4,
                        "luring" if luring else "daring",
                        room if luring else None,
                        12 if luring else None,
                        0,
                        "",
                        "",
                        f"{session_id:064x}",
                        "held",
                        "",
                        now,
                        now,
                    )
                )
                if luring and rng.random() < 0.9:
                    signoffs.append((session_id, signer.pk, now, "[]", ""))
        write(
            "training_trainingsession",
            [
                "id",
                "batch_id",
                "number",
                "date",
                "starts_at",
                "ends_at",
                "topic",
                "hours",
                "modality",
                "room_id",
                "admitted_cap",
                "admitted",
                "meeting_url",
                "join_code",
                "qr_secret",
                "status",
                "cancel_reason",
                "created_at",
                "updated_at",
            ],
            sessions,
        )
        write(
            "training_checklistsignoff",
            ["session_id", "signed_by_id", "signed_at", "items", "notes"],
            signoffs,
        )
        session_of_batch = {b: first_session + 4 * i for i, (b, *_rest) in enumerate(batch_info)}
        write(
            "training_attendance",
            ["session_id", "enrollment_id", "status", "method", "hours_credited", "note"],
            (
                (session_of_batch[batch], first_enrollment + i, "present", "qr", 4, "")
                for i, (_resident, batch, status) in enumerate(seat_of)
                if status == 0
            ),
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in (
                "residents_resident",
                "batches_batch",
                "registration_application",
                "registration_applicationchoice",
                "batches_enrollment",
                "training_trainingsession",
            ):
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"  # noqa: S608
                )
            cursor.execute("ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return 0


def _measure_main(out_file: str) -> int:
    import django

    django.setup()
    import io
    import statistics

    from django.db import connection
    from django.test import Client

    from latihkerja.accounts.models import User
    from latihkerja.batches.models import Batch
    from latihkerja.programs.models import Period
    from latihkerja.registration.models import Application
    from latihkerja.reports.compute import compute_figures
    from latihkerja.reports.enums import Scope
    from latihkerja.reports.exports import render_xlsx
    from latihkerja.reports.models import Figure
    from latihkerja.reports.queries import load_dashboard
    from latihkerja.reports.services import refresh_figures
    from latihkerja.residents.models import Resident

    period = Period.objects.current()
    assert period is not None
    began = time.perf_counter()
    refresh_figures(period=period)
    refresh_s = time.perf_counter() - began

    began = time.perf_counter()
    direct = compute_figures(period, scopes=(Scope.CITY,))
    direct_s = time.perf_counter() - began
    stored = {
        (f.dimension, f.key, f.measure): f.value
        for f in Figure.objects.filter(period=period, scope=Scope.CITY, scope_id=0)
    }
    computed = {(d, k, m): v for (s, sid, d, k, m), v in direct.values.items() if s == Scope.CITY}
    equal = stored == computed

    client = Client()
    client.force_login(User.objects.get(username="bench.bappeda"))
    for _ in range(10):
        assert client.get("/dasbor/").status_code == 200
    samples = []
    for _ in range(REQUESTS):
        began = time.perf_counter()
        response = client.get("/dasbor/")
        samples.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200
    samples.sort()
    p95 = samples[int(0.95 * len(samples)) - 1]

    began = time.perf_counter()
    content = render_xlsx(load_dashboard(period, Scope.CITY, 0))
    excel_s = time.perf_counter() - began
    assert content[:2] == b"PK"
    _ = io.BytesIO(content)

    # Staleness, the worst case, with the real refresher: `refresh_reports --every REFRESH_EVERY` runs beside;
    # a change is committed just after a refresh has taken its snapshot (so that refresh misses it) and the
    # time until the dashboard shows it is measured. Bound: max(REFRESH_EVERY, R) + R, R one refresh.
    resident = Resident.objects.exclude(applications__period=period).first() or Resident.objects.first()
    Application.objects.filter(resident=resident, period=period).delete()
    refresh_figures(period=period)
    before = load_dashboard(period, Scope.CITY, 0).total("registered")
    refresher = subprocess.Popen(
        [
            PYTHON,
            "manage.py",
            "refresh_reports",
            "--period",
            period.code,
            "--every",
            str(REFRESH_EVERY),
            "-v",
            "2",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert refresher.stdout is not None
        lines = iter(refresher.stdout.readline, "")
        next(line for line in lines if "figures in" in line)  # one whole refresh first
        next(line for line in lines if line.startswith("refreshing"))  # the next one begins
        time.sleep(1.0)  # it has read its snapshot by now: the change below misses this refresh
        application = Application.objects.create(resident=resident, period=period)
        application.choices.create(rank=1, batch=Batch.objects.filter(period=period).first())
        began = time.perf_counter()
        after = before
        while after != before + 1 and time.perf_counter() - began < 600:
            time.sleep(0.25)
            after = load_dashboard(period, Scope.CITY, 0).total("registered")
        staleness_s = time.perf_counter() - began
    finally:
        refresher.terminate()
        refresher.wait(timeout=60)

    counts = {
        "residents": Resident.objects.count(),
        "applications": Application.objects.count(),
        "batches": Batch.objects.count(),
    }
    Path(out_file).write_text(
        json.dumps(
            {
                "refresh_s": refresh_s,
                "direct_s": direct_s,
                "median_ms": statistics.median(samples),
                "p95_ms": p95,
                "excel_s": excel_s,
                "staleness_s": staleness_s,
                "change_seen": after == before + 1,
                "refresh_every_s": REFRESH_EVERY,
                "equal": equal,
                "counts": counts,
                "figures": Figure.objects.filter(period=period).count(),
                "vendor": connection.vendor,
            }
        )
    )
    return 0


def _refresh_main(_unused: str, repeat: int) -> int:
    """Time `refresh_figures` of the current period `repeat` times; print the times as JSON."""
    import django

    django.setup()
    from latihkerja.programs.models import Period
    from latihkerja.reports.models import Figure
    from latihkerja.reports.services import refresh_figures

    period = Period.objects.current()
    assert period is not None
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        refresh_figures(period=period)
        times.append(time.perf_counter() - began)
    figures = Figure.objects.filter(period=period).count()
    print(json.dumps({"refresh_s": times, "figures": figures}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
