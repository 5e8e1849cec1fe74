"""Load test of registration and first-come-first-served seats, served by gunicorn on PostgreSQL.

One run, one fresh database, one server, one load generator, the same concurrency for every scenario:

1. ``trivial``: ``GET /healthz`` (Django's middleware stack and one ``SELECT 1``): the yardstick.
2. ``registration``: ``PUT /api/v1/me/application`` with three distinct open batches, by distinct residents
   (about one request in ten resubmits for a resident already served, half of those with the same choices,
   i.e. the idempotent path): session authentication, CSRF, the service with its row lock, constraints, audit
   event and notification outbox. Afterwards every resident's application is checked against what the server
   acknowledged: lost writes are counted, not assumed.
3. ``seats spread``: ``POST /daftar/kursi/<code>/`` (the resident page's form, CSRF token in the body) over
   500 allocated batches, each resident once.
4. ``seats hot spot``: the same, every request on ONE allocated batch (capacity far above the run's
   requests, so contention is measured, not "full" answers).
5. ``registration, paced``: registration again, open loop at half the throughput measured in (2), for the
   latency of a server that is not saturated (latency counted from when each request was due).
6. ``overbooking``: many residents at once on a batch with a small capacity: afterwards exactly ``capacity``
   seats taken, and every other resident was told "full" (the flash message, decoded from its signed cookie).

Scenarios 1-4 run in interleaved rounds, so that other load on a shared machine falls on all of them alike;
each scenario reports the CPU the app, its PostgreSQL backends, the load client and everything else used.

Sessions are created directly in the database (Django's ``SessionStore`` encoding, the same three keys as
``login()``), which skips only the SMS-code step (rate-limited by design); every request still goes through
session authentication, CSRF and the service. The server runs the production settings behind what it takes
for a TLS-terminating proxy (``X-Forwarded-Proto: https``), so secure cookies, HSTS and the SSL redirect
stay on. The load generator is a Python process (threads, ``http.client``) on the same two cores; it needs
the most CPU in the trivial scenario, so the registration/trivial ratio it yields errs in registration's
favour.

``python -m bench.registration_load [--quick] [--database-url URL] [--concurrency N] [--workers N]
[--threads N] [--settle SECONDS] [--keep]``; ``make bench BENCH_ARGS=registration_load`` runs it through
``python -m bench``. Everything happens in subprocesses (Django is never set up in the calling process); the
database is dropped at the end. Exit status 1 when a correctness check fails (lost write, overbooking, an
unexpected answer); a missed speed target is reported, not failed.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import math
import os
import random
import secrets
import shutil
import signal
import socket
import string
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

from bench._pg import admin_conninfo, create_database, drop_database, postgres_problem

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/latihkerja_bench_load"
SETTINGS = "latihkerja.config.settings.prod"

# Targets from the issue.
TARGET_RATIO = 0.5
TARGET_P99_MS = 250.0

OPEN_BATCHES_PER_CENTER = 5  # 104 centres x 5 = 520 open batches, the real programme's shape
SPREAD_BATCHES = 500
# Enrollment statuses that hold a seat (counted in Batch.seats_taken); "offered" arrives with allocation offers.
SEAT_HOLDING = ("offered", "active")
RESUBMIT_SHARE = 0.10  # registration requests that resubmit for a resident already served
PACED_SHARE = 0.5  # the paced registration run offers this share of the saturated run's throughput


@dataclass(frozen=True)
class Sizes:
    residents: int  # residents with a session; a scenario uses each at most once (resubmits aside)
    warmup: float  # seconds of warm-up per kind of request, before the timed scenarios
    rounds: int  # interleaved rounds of the compared scenarios
    duration: float  # seconds per scenario and round
    paced: float  # seconds of the paced registration run
    overbook_capacity: int
    overbook_requests: int


QUICK = Sizes(
    residents=1_500,
    warmup=0.5,
    rounds=2,
    duration=1.5,
    paced=2.0,
    overbook_capacity=30,
    overbook_requests=200,
)
FULL = Sizes(
    residents=15_000,
    warmup=3.0,
    rounds=4,
    duration=8.0,
    paced=20.0,
    overbook_capacity=100,
    overbook_requests=2_000,
)


# --- the parent: database, server, scenarios, report ------------------------------------------------------


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.registration_load", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="short scenarios, fewer residents (~35 s)")
    parser.add_argument(
        "--database-url", default=DEFAULT_URL, help="dropped and re-created (default: %(default)s)"
    )
    parser.add_argument("--concurrency", type=int, default=32, help="client connections (default: 32)")
    parser.add_argument(
        "--workers", type=int, default=5, help="gunicorn workers (default: 5 = 2 x cores + 1)"
    )
    parser.add_argument(
        "--threads", type=int, default=1, help="threads per gunicorn worker (default 1: sync workers)"
    )
    parser.add_argument(
        "--settle",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="first wait up to SECONDS for the machine to go quiet (< 0.3 cores busy), e.g. on a shared host",
    )
    parser.add_argument("--keep", action="store_true", help="keep the database and the temporary files")
    args = parser.parse_args(argv)
    sizes = QUICK if args.quick else FULL

    problem = postgres_problem(args.database_url)
    if problem:
        print(f"SKIPPED: {problem}")
        return 0
    busy_before = _machine_busy(1.0)
    waited_until = time.monotonic() + args.settle
    while busy_before >= 0.3 and time.monotonic() < waited_until:
        busy_before = _machine_busy(2.0)
    workdir = Path(tempfile.mkdtemp(prefix="lk-bench-load-"))
    env = _server_env(args.database_url, workdir)
    if args.keep:  # to rerun the checks by hand: the sessions are signed with this SECRET_KEY
        (workdir / "server-env.json").write_text(json.dumps({k: env[k] for k in SERVER_KEYS}))
    server: subprocess.Popen[bytes] | None = None
    started = time.perf_counter()
    try:
        create_database(args.database_url)
        for command in (["migrate", "--no-input", "-v", "0"], ["load_reference_data"]):
            _run([PYTHON, "manage.py", *command], env)
        fixtures_file = workdir / "fixtures.json"
        warm = 16 * args.concurrency
        total = sizes.residents + warm + 1
        fixture_args = [str(fixtures_file), str(total), str(sizes.overbook_capacity)]
        _run([PYTHON, "-m", "bench.registration_load", "_fixtures", *fixture_args], env)
        fixtures = json.loads(fixtures_file.read_text())
        users = fixtures["users"]
        pool, warm_users = users[: sizes.residents], users[sizes.residents : sizes.residents + warm]
        round_trips = _round_trips(args.database_url)
        phases = {"setup": time.perf_counter() - started}
        port = _free_port()
        server = _start_server(env, port, args.workers, args.threads, workdir / "server.log")
        runner = Runner(port, args.concurrency, workdir, server.pid, args.database_url)
        try:
            results = _run_scenarios(runner, fixtures, sizes, pool, warm_users)
        finally:
            runner.close()
        phases["load"] = time.perf_counter() - started - phases["setup"]
        verification = _verify(fixtures, results, workdir, env)
        phases["checks"] = time.perf_counter() - started - phases["setup"] - phases["load"]
        _report(
            results,
            verification,
            sizes,
            args,
            phases,
            busy_before,
            round_trips,
            _server_errors(workdir / "server.log"),
        )
        ok = all(verification[key]["ok"] for key in ("registration", "spread", "hot", "overbook"))
        return 0 if ok else 1
    finally:
        if server is not None:
            _stop_server(server)
        if not args.keep:
            with contextlib.suppress(Exception):
                drop_database(args.database_url)
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            print(f"\n(kept {workdir} and the database)")


def _postgres_version(url: str) -> str:
    import psycopg

    info, _ = admin_conninfo(url)
    with psycopg.connect(**info) as conn:
        row = conn.execute("SHOW server_version").fetchone()
        sync = conn.execute("SHOW synchronous_commit").fetchone()
    version = str(row[0]).split()[0] if row else "?"
    return f"PostgreSQL {version} (synchronous_commit={sync[0] if sync else '?'})"


SERVER_KEYS = (
    "DJANGO_SETTINGS_MODULE",
    "DATABASE_URL",
    "SECRET_KEY",
    "NIK_KEY",
    "ALLOWED_HOSTS",
    "CONN_MAX_AGE",
    "LATIHKERJA_VAR_DIR",
    "LOG_LEVEL",
)


def _round_trips(url: str) -> dict[str, float]:
    """Median ms of a `SELECT 1` and of a one-row INSERT committed on its own (a WAL flush) in the database."""
    import psycopg

    info, dbname = admin_conninfo(url)
    with psycopg.connect(**{**info, "dbname": dbname}) as conn:
        conn.execute("CREATE TABLE bench_commit_probe (x integer)")
        timings: dict[str, float] = {}
        for name, statement in (
            ("select", "SELECT 1"),
            ("commit", "INSERT INTO bench_commit_probe VALUES (1)"),
        ):
            samples = []
            for _ in range(200):
                began = time.perf_counter()
                conn.execute(statement)
                samples.append(time.perf_counter() - began)
            timings[name] = sorted(samples)[len(samples) // 2] * 1000
        conn.execute("DROP TABLE bench_commit_probe")
    return timings


def _server_env(url: str, workdir: Path) -> dict[str, str]:
    alphabet = string.ascii_letters + string.digits
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "CACHE_URL", "DATABASE_URL"}}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": SETTINGS,
            "DATABASE_URL": url,
            "SECRET_KEY": "".join(secrets.choice(alphabet) for _ in range(64)),
            "NIK_KEY": "".join(secrets.choice(alphabet) for _ in range(48)),
            "ALLOWED_HOSTS": "127.0.0.1",
            "CONN_MAX_AGE": "600",  # persistent for the whole run (and exact CPU accounting of the backends)
            "LATIHKERJA_VAR_DIR": str(workdir / "var"),
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
        }
    )
    return env


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command[:5])} failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start_server(
    env: dict[str, str], port: int, workers: int, threads: int, log: Path
) -> subprocess.Popen[bytes]:
    command = [
        str(Path(PYTHON).with_name("gunicorn")),
        "latihkerja.config.wsgi",
        "--workers",
        str(workers),
        "--bind",
        f"127.0.0.1:{port}",
        "--backlog",
        "2048",
        "--log-level",
        "warning",
    ]
    if threads > 1:
        command += ["--worker-class", "gthread", "--threads", str(threads)]
    with log.open("wb") as out:
        server = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}:\n{log.read_text()[-3000:]}")
        with contextlib.suppress(OSError, http.client.HTTPException):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz", headers={"X-Forwarded-Proto": "https"})
            if conn.getresponse().status == 200:
                conn.close()
                return server
        time.sleep(0.2)
    _stop_server(server)
    raise RuntimeError(f"gunicorn did not answer /healthz within 30 s:\n{log.read_text()[-3000:]}")


def _stop_server(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=5)


def _server_errors(log: Path) -> list[str]:
    """Lines of the server's log that report an error (tracebacks of 500s, worker timeouts)."""
    try:
        lines = log.read_text(errors="replace").splitlines()
    except OSError:
        return []
    return [line for line in lines if "ERROR" in line or "CRITICAL" in line or "Traceback" in line]


# CPU accounting from /proc: the machine is shared, so each scenario says who used the two cores.

TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _machine_jiffies() -> tuple[int, int]:
    """(busy, total) jiffies of the whole machine since boot; zeros where there is no /proc (not Linux)."""
    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError):
        return 0, 0
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    total = sum(fields[:8])  # guest time is already inside user/nice
    return total - idle, total


def _machine_busy(seconds: float) -> float:
    """Cores in use over the next `seconds`."""
    try:
        busy0, _ = _machine_jiffies()
        time.sleep(seconds)
        busy1, _ = _machine_jiffies()
    except (OSError, ValueError, IndexError):
        return float("nan")
    return (busy1 - busy0) / TICKS / seconds


def _process_jiffies(pid: int) -> int:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0
    return int(fields[11]) + int(fields[12])  # utime + stime


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(stat.parent.name))
        except (OSError, IndexError, ValueError):
            continue
    return found


class WaitSampler(threading.Thread):
    """Samples what this database's backends are doing every 20 ms (pg_stat_activity): running, or waiting
    for a lock, for the WAL to reach the disk, for the client... Idle backends (waiting for the app) are
    not counted."""

    def __init__(self, url: str) -> None:
        import psycopg

        super().__init__(daemon=True)
        info, self.dbname = admin_conninfo(url)
        self.conn = psycopg.connect(**info)
        self.halt = threading.Event()
        self.waits: Counter[str] = Counter()
        self.samples = 0

    def run(self) -> None:
        query = "SELECT state, wait_event_type, wait_event FROM pg_stat_activity WHERE datname = %s"
        while not self.halt.is_set():
            self.samples += 1
            for state, wait_type, wait in self.conn.execute(query, (self.dbname,)).fetchall():
                if state == "active":
                    self.waits["running" if wait_type is None else f"{wait_type}:{wait}"] += 1
                elif state and state.startswith("idle in transaction"):
                    self.waits["idle in transaction (app working)"] += 1
            self.halt.wait(0.02)

    def stop(self) -> tuple[Counter[str], int]:
        self.halt.set()
        self.join()
        self.conn.close()
        return self.waits, self.samples


@dataclass
class Scenario:
    name: str
    kind: str  # trivial | register | seat
    ok_status: int
    codes: list[str] = field(default_factory=list)


class Runner:
    """Runs the load client for one scenario and accounts the CPU the server, PostgreSQL and others used."""

    def __init__(self, port: int, concurrency: int, workdir: Path, server_pid: int, url: str) -> None:
        import psycopg

        self.port, self.concurrency, self.workdir, self.server_pid = port, concurrency, workdir, server_pid
        info, self.dbname = admin_conninfo(url)
        self.url = url
        self.admin = psycopg.connect(**info)
        self.count = 0

    def close(self) -> None:
        self.admin.close()

    def _server_pids(self) -> tuple[list[int], list[int]]:
        """(gunicorn master and workers, this database's PostgreSQL backends)."""
        rows = self.admin.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s", (self.dbname,)
        ).fetchall()
        return [self.server_pid, *_children(self.server_pid)], [int(r[0]) for r in rows]

    def run(
        self,
        scenario: Scenario,
        users: list[list[str]],
        duration: float,
        max_requests: int | None = None,
        rate: float = 0.0,
    ) -> dict[str, Any]:
        self.count += 1
        spec = self.workdir / "spec.json"
        out = self.workdir / f"result-{self.count:02d}.json"
        spec.write_text(
            json.dumps(
                {
                    "name": scenario.name,
                    "kind": scenario.kind,
                    "ok_status": scenario.ok_status,
                    "codes": scenario.codes,
                    "users": users[:max_requests] if max_requests else users,
                    "duration": duration,
                    "rate": rate,
                    "concurrency": self.concurrency,
                    "port": self.port,
                    "seed": 20201001 + self.count,
                }
            )
        )
        # Not the server's environment: the client is plain Python and never imports Django.
        env = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT)}
        app_pids, db_pids = self._server_pids()
        before = {pid: _process_jiffies(pid) for pid in app_pids + db_pids}
        busy0, _ = _machine_jiffies()
        children0 = os.times()
        sampler = WaitSampler(self.url)
        sampler.start()
        t0 = time.perf_counter()
        done = subprocess.run(
            [PYTHON, "-m", "bench.registration_load", "_client", str(spec), str(out)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        elapsed = time.perf_counter() - t0
        waits, samples = sampler.stop()
        children1 = os.times()
        busy1, _ = _machine_jiffies()
        # A backend that ended during the run (CONN_MAX_AGE recycles connections) takes its CPU time with it:
        # the server's share is then a little low, never negative.
        app_after, db_after = self._server_pids()

        def used(pids: set[int]) -> float:
            now = {pid: _process_jiffies(pid) for pid in pids}
            return (
                sum(max(0, j - before.get(pid, 0)) for pid, j in now.items() if j or pid not in before)
                / TICKS
            )

        app = used(set(app_pids) | set(app_after))
        db = used(set(db_pids) | set(db_after))
        if done.returncode != 0:
            raise RuntimeError(f"load client failed on {scenario.name}:\n{done.stderr[-4000:]}")
        result: dict[str, Any] = json.loads(out.read_text())
        client = (children1.children_user - children0.children_user) + (
            children1.children_system - children0.children_system
        )
        result["cpu_seconds"] = {
            "app": app,  # gunicorn master and workers
            "db": db,  # this database's PostgreSQL backends
            "server": app + db,
            "client": client,
            "other": max(0.0, (busy1 - busy0) / TICKS - app - db - client),
        }
        result["elapsed"] = elapsed
        result["db_waits"], result["db_samples"] = dict(waits), samples
        result["records_files"] = [str(out)]
        result["rate"] = rate
        return result


def _merge(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """One scenario's figures over its rounds: throughput = answers / time under load, summed over rounds."""
    latencies = sorted(x for run in runs for x in run["latencies"])
    errors: Counter[str] = Counter()
    for run in runs:
        errors.update(run["errors"])
    ok = sum(run["ok"] for run in runs)
    wall = sum(run["wall"] for run in runs)
    elapsed = sum(run["elapsed"] for run in runs)

    def percentile(q: float) -> float:  # nearest rank, in ms
        if not latencies:
            return 0.0
        return latencies[min(len(latencies) - 1, max(0, math.ceil(q * len(latencies)) - 1))] * 1000

    cpu = {
        key: sum(run["cpu_seconds"][key] for run in runs)
        for key in ("app", "db", "server", "client", "other")
    }
    waits: Counter[str] = Counter()
    for run in runs:
        waits.update(run["db_waits"])
    samples = sum(run["db_samples"] for run in runs)
    rounds = [run["ok"] / run["wall"] for run in runs]
    return {
        "requests": len(latencies),
        "ok": ok,
        "errors": dict(errors),
        "throughput": ok / wall if wall else 0.0,
        "rounds": rounds,
        "p50_ms": percentile(0.50),
        "p95_ms": percentile(0.95),
        "p99_ms": percentile(0.99),
        "max_ms": latencies[-1] * 1000 if latencies else 0.0,
        "cores": {key: value / elapsed for key, value in cpu.items()},
        "app_ms_per_request": 1000 * cpu["app"] / ok if ok else 0.0,
        "db_ms_per_request": 1000 * cpu["db"] / ok if ok else 0.0,
        "db_busy": sum(waits.values()) / samples if samples else 0.0,  # backends not idle, on average
        "db_waits": dict(waits),
        "exhausted": any(run["exhausted"] for run in runs),
        "rate": runs[0]["rate"],
        "records_files": [name for run in runs for name in run["records_files"]],
    }


def _run_scenarios(
    runner: Runner,
    fixtures: dict[str, Any],
    sizes: Sizes,
    pool: list[list[str]],
    warm: list[list[str]],
) -> dict[str, dict[str, Any]]:
    """The compared scenarios run in interleaved rounds (trivial, registration, spread, hot spot, again and
    again), so that load from other processes on a shared machine falls on all of them alike.

    Each write scenario has a period of its own (one application, one active seat per resident and period),
    so they all draw residents from the same pool; within a scenario a resident is fresh until the pool is
    used up (registration resubmits on purpose)."""
    open_codes = fixtures["open_codes"]
    # Warm-up: every worker imports, connects and fills its caches before anything is timed.
    runner.run(Scenario("warm-up", "trivial", 200), warm, sizes.warmup)
    runner.run(Scenario("warm-up", "register", 200, open_codes), warm, sizes.warmup)
    runner.run(Scenario("warm-up", "seat", 302, fixtures["warm_codes"]), warm, sizes.warmup)

    compared = [
        Scenario("trivial", "trivial", 200),
        Scenario("registration", "register", 200, open_codes),
        Scenario("seats spread", "seat", 302, fixtures["spread_codes"]),
        Scenario("seats hot spot", "seat", 302, [fixtures["hot_code"]]),
    ]
    runs: dict[str, list[dict[str, Any]]] = {scenario.name: [] for scenario in compared}
    used: dict[str, set[str]] = {scenario.name: set() for scenario in compared}
    for _ in range(sizes.rounds):
        for scenario in compared:
            fresh = [user for user in pool if user[0] not in used[scenario.name]]
            run = runner.run(scenario, fresh if scenario.kind != "trivial" else [], sizes.duration)
            runs[scenario.name].append(run)
            used[scenario.name].update(record[1] for record in _records(run))
    results = {name: _merge(scenario_runs) for name, scenario_runs in runs.items()}

    rate = max(1.0, PACED_SHARE * results["registration"]["throughput"])
    paced = Scenario("registration, paced", "register", 200, open_codes)
    fresh = [user for user in pool if user[0] not in used["registration"]]
    results[paced.name] = _merge([runner.run(paced, fresh, sizes.paced, rate=rate)])
    overbook = Scenario("overbooking", "seat", 302, [fixtures["overbook_code"]])
    results[overbook.name] = _merge(
        [runner.run(overbook, pool, 3600.0, max_requests=sizes.overbook_requests)]
    )
    return results


def _records(run: dict[str, Any]) -> list[list[Any]]:
    return [r for name in run["records_files"] for r in json.loads(Path(name).read_text())["records"]]


def _verify(
    fixtures: dict[str, Any], results: dict[str, dict[str, Any]], workdir: Path, env: dict[str, str]
) -> dict[str, dict[str, Any]]:
    spec = workdir / "verify.json"
    out = workdir / "verified.json"
    spec.write_text(
        json.dumps(
            {
                "registration": results["registration"]["records_files"]
                + results["registration, paced"]["records_files"],
                "spread": results["seats spread"]["records_files"],
                "hot": results["seats hot spot"]["records_files"],
                "overbook": results["overbooking"]["records_files"],
                "fixtures": fixtures,
            }
        )
    )
    _run([PYTHON, "-m", "bench.registration_load", "_verify", str(spec), str(out)], env)
    verified: dict[str, dict[str, Any]] = json.loads(out.read_text())
    return verified


def _verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def _report(
    results: dict[str, dict[str, Any]],
    verification: dict[str, dict[str, Any]],
    sizes: Sizes,
    args: argparse.Namespace,
    phases: dict[str, float],
    busy_before: float,
    round_trips: dict[str, float],
    server_errors: list[str],
) -> None:
    kind = f"{args.workers} sync workers" if args.threads <= 1 else f"{args.workers} x {args.threads} gthread"
    print(
        f"Server: gunicorn {kind}, production settings, {_postgres_version(args.database_url)}, "
        f"CONN_MAX_AGE=600. Load: {args.concurrency} connections from one Python process (threads, "
        f"http.client) on the same machine; the first four scenarios in {sizes.rounds} interleaved rounds "
        f"of {sizes.duration:g} s after a warm-up. Time: setup (database, {sizes.residents:,} residents "
        f"with sessions) {phases['setup']:.0f} s, load {phases['load']:.0f} s, checks {phases['checks']:.0f} s. "
        f"Cores busy just before the run: {busy_before:.1f}. PostgreSQL round trip (SELECT 1) "
        f"{round_trips['select']:.2f} ms; a committed one-row INSERT (one WAL flush) "
        f"{round_trips['commit']:.2f} ms.\n"
    )
    print(
        "| scenario | requests | other answers | req/s | p50 ms | p95 ms | p99 ms | p99 < 250 ms "
        "| CPU ms/request: app + db | cores: server+db / client / other | checks |"
    )
    print("|---|--:|---|--:|--:|--:|--:|---|--:|---|---|")
    checks = {
        "registration": "registration",
        "seats spread": "spread",
        "seats hot spot": "hot",
        "overbooking": "overbook",
    }
    for name, result in results.items():
        errors = ", ".join(f"{status}: {count}" for status, count in sorted(result["errors"].items())) or "0"
        notes = [verification.get(checks.get(name, ""), {}).get("summary", "")]
        if result["exhausted"] and name != "overbooking":
            notes.append("resident pool ran out early")
        if result["rate"]:
            notes.append(f"offered {result['rate']:.0f} req/s")
        cores = result["cores"]
        print(
            f"| {name} | {result['requests']:,} | {errors} | {result['throughput']:,.0f} | "
            f"{result['p50_ms']:.0f} | {result['p95_ms']:.0f} | {result['p99_ms']:.0f} | "
            f"{_verdict(result['p99_ms'] < TARGET_P99_MS)} | "
            f"{result['app_ms_per_request']:.1f} + {result['db_ms_per_request']:.1f} | "
            f"{cores['server']:.2f} / {cores['client']:.2f} / {cores['other']:.2f} | "
            f"{'; '.join(n for n in notes if n)} |"
        )
    print(
        "\nWhat this database's PostgreSQL backends were doing (pg_stat_activity every 20 ms; a backend that "
        "is idle waits for the app and is not counted):\n"
    )
    print("| scenario | backends busy (mean) | share of busy samples |")
    print("|---|--:|---|")
    for name, result in results.items():
        waits = result["db_waits"]
        total = sum(waits.values()) or 1
        top = ", ".join(f"{label} {count / total:.0%}" for label, count in Counter(waits).most_common(4))
        print(f"| {name} | {result['db_busy']:.2f} | {top} |")
    print("\n| ratio | value | per round | target | |")
    print("|---|--:|---|--:|---|")
    for label, numerator, denominator in (
        ("registration / trivial", "registration", "trivial"),
        ("seats hot spot / seats spread", "seats hot spot", "seats spread"),
    ):
        top, bottom = results[numerator], results[denominator]
        value = top["throughput"] / bottom["throughput"] if bottom["throughput"] else 0.0
        per_round = ", ".join(
            f"{a / b:.0%}" for a, b in zip(top["rounds"], bottom["rounds"], strict=True) if b
        )
        print(
            f"| {label} | {value:.0%} | {per_round} | ≥ {TARGET_RATIO:.0%} | {_verdict(value >= TARGET_RATIO)} |"
        )
    print()
    for key in ("registration", "spread", "hot", "overbook"):
        item = verification[key]
        print(f"- {key}: {'OK' if item['ok'] else 'FAILED'}: {item['detail']}")
    queries = verification.get("queries", {})
    if queries:
        print(
            "- SQL statements per request (same views, through Django's test client): "
            + ", ".join(f"{name} {count}" for name, count in queries.items())
        )
    if server_errors:
        print(f"- server log: {len(server_errors)} error line(s), first: {server_errors[0][:300]}")
    else:
        print("- server log: no errors")


# --- the load client (a separate process, no Django) -------------------------------------------------------


def _messages_cookie(set_cookies: list[str]) -> str:
    for header in set_cookies:
        cookie = SimpleCookie()
        cookie.load(header)
        if "messages" in cookie:
            return cookie["messages"].value
    return ""


def _client_main(spec_file: str, out_file: str) -> int:
    spec = json.loads(Path(spec_file).read_text())
    kind, codes, users, port = spec["kind"], spec["codes"], spec["users"], spec["port"]
    concurrency, rate = spec["concurrency"], float(spec["rate"])
    host = f"127.0.0.1:{port}"
    common = {
        "Host": host,
        "X-Forwarded-Proto": "https",  # what the TLS-terminating proxy adds (prod: SECURE_PROXY_SSL_HEADER)
        "User-Agent": "latihkerja-bench",
        "Accept-Language": "id",
    }
    # Each thread owns a disjoint slice of residents and sends its requests one after the other, so the last
    # acknowledged submit of a resident is well defined (for the lost-write check).
    slices = [users[t::concurrency] for t in range(concurrency)]
    records: list[list[list[Any]]] = [[] for _ in range(concurrency)]
    barrier = threading.Barrier(concurrency + 1)
    clock = {"start": 0.0, "stop": 0.0}

    def auth_headers(user: list[str]) -> dict[str, str]:
        session, csrf = user
        headers = dict(common)
        headers.update(
            {
                "Cookie": f"sessionid={session}; csrftoken={csrf}",
                "Origin": f"https://{host}",  # what a browser sends with a form POST or fetch()
                "Referer": f"https://{host}/",
            }
        )
        return headers

    def worker(t: int) -> None:
        rng = random.Random(spec["seed"] * 1000 + t)
        mine = slices[t]
        out = records[t]
        served: list[tuple[int, list[str]]] = []  # (index in `mine`, last choices) for resubmits
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        position = sent = 0
        barrier.wait()
        while True:
            intended = time.perf_counter()
            if rate > 0:  # open loop: request k of thread t is due at start + (k * threads + t) / rate
                intended = clock["start"] + (sent * concurrency + t) / rate
                if intended >= clock["stop"]:
                    break
                delay = intended - time.perf_counter()
                if delay > 0:
                    time.sleep(delay)
            elif intended >= clock["stop"]:
                break
            extra: Any = None
            if kind == "register":
                if served and rng.random() < RESUBMIT_SHARE:
                    pick = rng.randrange(len(served))
                    index, last = served[pick]
                    choices = list(last) if rng.random() < 0.5 else rng.sample(codes, 3)
                    served[pick] = (index, choices)
                else:
                    if position >= len(mine):
                        break
                    index, position = position, position + 1
                    choices = rng.sample(codes, 3)
                    served.append((index, choices))
                headers = auth_headers(mine[index])
                headers.update(
                    {
                        "X-CSRFToken": mine[index][1],
                        "Content-Type": "application/json",
                        "Accept": "application/json",
                    }
                )
                method, path = "PUT", "/api/v1/me/application"
                body = json.dumps({"choices": choices}).encode()
                extra = choices
            elif kind == "seat":
                if position >= len(mine):
                    break
                index, position = position, position + 1
                code = codes[rng.randrange(len(codes))]
                headers = auth_headers(mine[index])
                headers["Content-Type"] = "application/x-www-form-urlencoded"
                method, path = "POST", f"/daftar/kursi/{code}/"
                body = f"csrfmiddlewaretoken={mine[index][1]}".encode()
                extra = code
            else:  # trivial: no session, no cookie
                index = 0
                method, path, body, headers = "GET", "/healthz", b"", dict(common)
            began = time.perf_counter()
            try:
                conn.request(method, path, body=body or None, headers=headers)
                response = conn.getresponse()
                response.read()
                status: Any = response.status
                if kind == "seat":  # the flash message travels in a signed cookie: checked afterwards
                    extra = [extra, _messages_cookie(response.msg.get_all("Set-Cookie") or [])]
                if response.will_close:  # gunicorn's sync workers close after each response
                    conn.close()
            except (OSError, http.client.HTTPException) as error:
                status = f"no answer ({type(error).__name__})"
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            ended = time.perf_counter()
            sent += 1
            # Paced runs count latency from when the request was due, so a server that falls behind shows
            # its queue in the figures (no coordinated omission).
            out.append([began, ended - min(began, intended), status, mine[index][0] if mine else "", extra])
        conn.close()

    threads = [threading.Thread(target=worker, args=(t,), daemon=True) for t in range(concurrency)]
    for thread in threads:
        thread.start()
    clock["start"] = time.perf_counter() + 0.05
    clock["stop"] = clock["start"] + spec["duration"]
    barrier.wait()
    for thread in threads:
        thread.join()
    finished = time.perf_counter()
    flat = [r for rs in records for r in rs]
    first = min((r[0] for r in flat), default=clock["start"])
    last = max((r[0] + r[1] for r in flat), default=clock["start"])
    wall = max(last - first, 1e-9)
    statuses = Counter(str(r[2]) for r in flat)
    ok = statuses.get(str(spec["ok_status"]), 0)
    result = {
        "name": spec["name"],
        "ok": ok,
        "errors": {status: count for status, count in statuses.items() if status != str(spec["ok_status"])},
        "wall": wall,
        "latencies": [r[1] for r in flat],
        "exhausted": kind != "trivial" and finished < clock["stop"] - 0.05,
        "records": [r[2:] for rs in records for r in rs],  # [status, session key, choices/code], thread order
    }
    Path(out_file).write_text(json.dumps(result))
    return 0


# --- Django side: fixtures and verification (subprocesses with the server's environment) -------------------


def _django() -> None:
    import django

    django.setup()


def _fixtures_main(out_file: str, residents: int, overbook_capacity: int) -> int:
    _django()
    import datetime as dt

    from django.conf import settings
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.db import transaction
    from django.utils import timezone

    from latihkerja.accounts.enums import Role
    from latihkerja.accounts.models import User
    from latihkerja.batches.enums import BatchStatus
    from latihkerja.batches.models import Batch
    from latihkerja.catalog.models import Theme
    from latihkerja.centers.models import Center
    from latihkerja.engine.nik import Sex as NikSex
    from latihkerja.engine.nik import build_nik
    from latihkerja.programs.models import Period
    from latihkerja.regions.models import Kelurahan
    from latihkerja.residents.crypto import digest_identity, encrypt_identity
    from latihkerja.residents.enums import Education, EmploymentStatus, Sex
    from latihkerja.residents.models import Resident

    now = timezone.now()
    day = dt.timedelta(days=1)
    starts = timezone.localdate() + 30 * day

    def period(code: str, *, open_now: bool) -> Period:
        return Period.objects.create(
            code=code,
            name=f"Bench {code}",
            starts_on=starts,
            ends_on=starts + 90 * day,
            registration_opens_at=now - (day if open_now else 30 * day),
            registration_closes_at=now + (30 * day if open_now else -day),
            is_published=True,
        )

    themes = list(Theme.objects.filter(is_active=True).order_by("code"))
    centers = list(Center.objects.filter(is_active=True).order_by("code"))

    def batch(code: str, p: Period, i: int, status: str, capacity: int) -> Batch:
        theme = themes[i % len(themes)]
        modality = "luring" if theme.modality == "campuran" else theme.modality
        return Batch(
            code=code,
            period=p,
            center=centers[i % len(centers)],
            theme=theme,
            modality=modality,
            capacity=capacity,
            minimum=min(20, capacity),
            starts_on=p.starts_on + (i % 60) * day,
            ends_on=p.starts_on + (i % 60 + 10) * day,
            status=status,
        )

    with transaction.atomic():
        registration = period("bench-registration", open_now=True)
        spread, hot, overbook, warm = (
            period(f"bench-{name}", open_now=False) for name in ("spread", "hot", "overbook", "warm")
        )
        open_batches = [
            batch(f"reg-{i:04d}", registration, i, BatchStatus.OPEN, 25)
            for i in range(len(centers) * OPEN_BATCHES_PER_CENTER)
        ]
        allocated = BatchStatus.ALLOCATED
        spread_batches = [
            batch(f"spread-{i:04d}", spread, i, allocated, 1_000) for i in range(SPREAD_BATCHES)
        ]
        seat_batches = [
            batch("hot-0000", hot, 0, allocated, 100_000),
            batch("overbook-0000", overbook, 1, allocated, overbook_capacity),
            *(batch(f"warm-{i:04d}", warm, i, allocated, 1_000) for i in range(20)),
        ]
        Batch.objects.bulk_create([*open_batches, *spread_batches, *seat_batches], batch_size=1000)

        unusable = make_password(None)
        users = [
            User(username=f"+62812{i:08d}", phone=f"+62812{i:08d}", role=Role.RESIDENT, password=unusable)
            for i in range(residents)
        ]
        User.objects.bulk_create(users, batch_size=2000)
        users = list(User.objects.filter(role=Role.RESIDENT).order_by("username"))

        kelurahan = list(Kelurahan.objects.select_related("kecamatan").order_by("code"))
        reference = registration.starts_on
        people = []
        for i, user in enumerate(users):
            kel = kelurahan[i % len(kelurahan)]
            sex = Sex.FEMALE if i % 2 else Sex.MALE
            birth = reference - dt.timedelta(days=20 * 365 + i // 9999)
            nik = build_nik(
                region=kel.kecamatan.nik_prefix, birth_date=birth, sex=NikSex(sex), serial=i % 9999 + 1
            )
            people.append(
                Resident(
                    user=user,
                    nik_digest=digest_identity(nik),
                    nik_encrypted=encrypt_identity(nik),
                    kk_encrypted=encrypt_identity(f"{kel.kecamatan.nik_prefix}{1_000_000_000 + i}"),
                    full_name=f"Warga Uji {i}",
                    sex=sex,
                    birth_date=birth,
                    kelurahan=kel,
                    address=f"Jl. Uji No. {i}",
                    phone=user.username,
                    education=Education.SMA,
                    employment_status=EmploymentStatus.UNEMPLOYED,
                )
            )
        Resident.objects.bulk_create(people, batch_size=2000)

        # What django.contrib.auth.login() stores, encoded by the database session backend itself.
        store = SessionStore()
        expires = now + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)
        sessions, out_users = [], []
        alphabet = string.ascii_letters + string.digits
        for user in users:
            key = store._get_new_session_key()
            data = {
                "_auth_user_id": str(user.pk),
                "_auth_user_backend": "django.contrib.auth.backends.ModelBackend",
                "_auth_user_hash": user.get_session_auth_hash(),
            }
            sessions.append(Session(session_key=key, session_data=store.encode(data), expire_date=expires))
            # A CSRF secret as CsrfViewMiddleware would set in the `csrftoken` cookie (32 letters/digits);
            # the unmasked secret is also an accepted form/header token.
            out_users.append([key, "".join(secrets.choice(alphabet) for _ in range(32))])
        Session.objects.bulk_create(sessions, batch_size=2000)

    Path(out_file).write_text(
        json.dumps(
            {
                "users": out_users,
                "open_codes": [b.code for b in open_batches],
                "spread_codes": [b.code for b in spread_batches],
                "hot_code": "hot-0000",
                "overbook_code": "overbook-0000",
                "overbook_capacity": overbook_capacity,
                "warm_codes": [f"warm-{i:04d}" for i in range(20)],
                "periods": {
                    "registration": registration.code,
                    "spread": spread.code,
                    "hot": hot.code,
                    "overbook": overbook.code,
                },
            }
        )
    )
    return 0


def _verify_main(spec_file: str, out_file: str) -> int:
    _django()
    from django.contrib.messages import constants
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.contrib.sessions.models import Session
    from django.db.models import Count, Q
    from django.utils import translation

    from latihkerja.audit.models import AuditEvent
    from latihkerja.batches.errors import BatchError
    from latihkerja.batches.models import Batch, Enrollment
    from latihkerja.notifications.models import Message
    from latihkerja.registration.models import Application, ApplicationChoice

    spec = json.loads(Path(spec_file).read_text())
    fixtures = spec["fixtures"]
    periods = fixtures["periods"]
    session_user = dict(
        (s.session_key, int(s.get_decoded()["_auth_user_id"]))
        for s in Session.objects.iterator(chunk_size=5000)
    )
    out: dict[str, Any] = {}

    # Registration: replay each resident's acknowledged submits in the order its (single) thread sent them.
    records = [r for name in spec["registration"] for r in json.loads(Path(name).read_text())["records"]]
    expected: dict[int, dict[str, Any]] = {}
    ambiguous: set[int] = set()
    acknowledged = 0
    for status, session_key, choices in records:
        user_id = session_user[session_key]
        if status == 200:
            acknowledged += 1
            state = expected.setdefault(user_id, {"choices": None, "revision": 0})
            if state["choices"] != choices:
                state["revision"] += 1
                state["choices"] = choices
        elif not (isinstance(status, int) and 400 <= status < 500):
            ambiguous.add(user_id)  # 5xx or no answer: the write may or may not have happened
    applications = {
        a.resident.user_id: a
        for a in Application.objects.filter(period__code=periods["registration"]).select_related("resident")
    }
    choices_of: dict[int, list[str]] = {}
    for choice in (
        ApplicationChoice.objects.filter(application__period__code=periods["registration"])
        .order_by("application_id", "rank")
        .values_list("application__resident__user_id", "batch__code")
    ):
        choices_of.setdefault(choice[0], []).append(choice[1])
    audit = Counter(
        AuditEvent.objects.filter(action="application.submitted").values_list("target_id", flat=True)
    )
    notified = Counter(
        Message.objects.filter(kind="application_submitted").values_list("resident__user_id", flat=True)
    )
    seen = {session_user[r[1]] for r in records}
    applications = {user_id: a for user_id, a in applications.items() if user_id in seen}
    lost, wrong_revision, missing_trail = 0, 0, 0
    for user_id, state in expected.items():
        if user_id in ambiguous:
            continue
        application = applications.get(user_id)
        if application is None or choices_of.get(user_id) != state["choices"]:
            lost += 1
            continue
        if application.revision != state["revision"]:
            wrong_revision += 1
        if audit[str(application.pk)] != state["revision"] or notified[user_id] != state["revision"]:
            missing_trail += 1
    unexpected = len(set(applications) - set(expected) - ambiguous)
    ok = lost == 0 and wrong_revision == 0 and missing_trail == 0 and unexpected == 0
    writes = sum(s["revision"] for s in expected.values())
    out["registration"] = {
        "ok": ok,
        "summary": f"lost writes {lost}" + ("" if ok else " ✗"),
        "detail": (
            f"{acknowledged:,} acknowledged submits by {len(expected):,} residents ({writes:,} of them changed "
            f"the application): lost writes {lost}, wrong revision {wrong_revision}, missing audit event or "
            f"notification {missing_trail}, applications nobody acknowledged {unexpected}, residents with an "
            f"unanswered/5xx request (not checked) {len(ambiguous)}"
        ),
    }

    # Seats: every batch's counter equals its enrollments holding a seat; every 302 of a resident is a seat.
    storage = CookieStorage(None)
    with translation.override("id"):
        full = str(BatchError.FULL)

    def seats(key: str, code_prefix: str) -> dict[str, Any]:
        records = [r for name in spec[key] for r in json.loads(Path(name).read_text())["records"]]
        period = periods[key]
        redirected = [session_user[r[1]] for r in records if r[0] == 302]
        other = [r for r in records if r[0] != 302]
        counts = (
            Batch.objects.filter(period__code=period)
            .annotate(active=Count("enrollments", filter=Q(enrollments__status__in=SEAT_HOLDING)))
            .values_list("code", "seats_taken", "active", "capacity")
        )
        mismatched = [c for c in counts if c[1] != c[2] or c[1] > c[3]]
        seated = set(
            Enrollment.objects.filter(period__code=period, status__in=SEAT_HOLDING).values_list(
                "resident__user_id", flat=True
            )
        )
        trail = AuditEvent.objects.filter(
            action="enrollment.fcfs", detail__batch__startswith=code_prefix
        ).count()
        total_taken = sum(c[1] for c in counts)
        told: Counter[str] = Counter()
        for record in records:
            decoded = storage._decode(record[2][1]) if record[0] == 302 else None
            levels = {m.level for m in decoded or []}
            texts = {m.message for m in decoded or []}
            if levels == {constants.SUCCESS}:
                told["seat"] += 1
            elif levels == {constants.ERROR} and texts == {full}:
                told["full"] += 1
            else:
                told["something else"] += 1
        return {
            "told": told,
            "redirected": len(redirected),
            "others": len(other),
            "seated": len(seated),
            "seated_of_redirected": len(seated & set(redirected)),
            "taken": total_taken,
            "mismatched": mismatched,
            "trail": trail,
        }

    for key, prefix in (("spread", "spread-"), ("hot", "hot-")):
        s = seats(key, prefix)
        ok = (
            not s["mismatched"]
            and s["others"] == 0
            and s["seated"] == s["redirected"] == s["seated_of_redirected"] == s["taken"] == s["trail"]
            and s["told"]["seat"] == s["redirected"]
        )
        out[key] = {
            "ok": ok,
            "summary": f"seats {s['taken']:,} = answers {s['redirected']:,}" + ("" if ok else " ✗"),
            "detail": (
                f"{s['redirected']:,} redirects ({_told(s['told'])}), {s['seated']:,} residents seated, "
                f"seats_taken total {s['taken']:,}, audit events {s['trail']:,}, batches whose counter "
                f"differs from their enrollments {len(s['mismatched'])}, other answers {s['others']}"
            ),
        }
    s = seats("overbook", "overbook-")
    capacity = fixtures["overbook_capacity"]
    ok = (
        not s["mismatched"]
        and s["others"] == 0
        and s["seated"] == s["taken"] == s["trail"] == capacity
        and s["seated_of_redirected"] == capacity
        and s["told"]["seat"] == capacity
        and s["told"]["full"] == s["redirected"] - capacity
    )
    out["overbook"] = {
        "ok": ok,
        "summary": f"{s['taken']} of {capacity} seats, {s['told']['full']:,} told full"
        + ("" if ok else " ✗"),
        "detail": (
            f"{s['redirected']:,} requests on a batch of {capacity} seats ({_told(s['told'])}): seats_taken "
            f"{s['taken']}, enrollments holding a seat {s['seated']}, audit events {s['trail']}, other answers "
            f"{s['others']} "
            f"(overbooked: {'NO' if s['taken'] <= capacity and s['seated'] <= capacity else 'YES'})"
        ),
    }
    out["queries"] = _query_counts(fixtures, session_user)
    Path(out_file).write_text(json.dumps(out))
    return 0


def _told(told: dict[str, int]) -> str:
    """What the flash messages said, decoded from the signed `messages` cookie of each answer."""
    return ", ".join(f"{count:,} told {what}" for what, count in sorted(told.items())) or "no answers"


def _query_counts(fixtures: dict[str, Any], session_user: dict[str, int]) -> dict[str, int]:
    """SQL statements per request on each path, through Django's test client (same views, same settings)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from latihkerja.accounts.models import User

    user = User.objects.get(pk=session_user[fixtures["users"][-1][0]])  # the probe: used by no scenario
    client = Client(enforce_csrf_checks=False, headers={"X-Forwarded-Proto": "https"}, HTTP_HOST="127.0.0.1")
    client.force_login(user)
    counts = {}
    for name, call in (
        ("healthz", lambda: client.get("/healthz")),
        (
            "registration (new)",
            lambda: client.put(
                "/api/v1/me/application",
                json.dumps({"choices": fixtures["open_codes"][:3]}),
                content_type="application/json",
            ),
        ),
        (
            "registration (changed)",
            lambda: client.put(
                "/api/v1/me/application",
                json.dumps({"choices": fixtures["open_codes"][3:6]}),
                content_type="application/json",
            ),
        ),
        ("seat", lambda: client.post(f"/daftar/kursi/{fixtures['warm_codes'][-1]}/")),
    ):
        with CaptureQueriesContext(connection) as captured:
            response = call()
        counts[f"{name} ({response.status_code})"] = len(captured.captured_queries)
    return counts


def _entry(argv: list[str]) -> int:
    if argv[:1] == ["_client"]:
        return _client_main(argv[1], argv[2])
    if argv[:1] == ["_fixtures"]:
        return _fixtures_main(argv[1], int(argv[2]), int(argv[3]))
    if argv[:1] == ["_verify"]:
        return _verify_main(argv[1], argv[2])
    return main(argv)


if __name__ == "__main__":
    sys.exit(_entry(sys.argv[1:]))
