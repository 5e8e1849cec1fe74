"""Benchmark of the allocation engine against the PyPI ``matching`` package and OR-Tools min-cost flow.

One run, same seeded instances for every contender:

* ``12,000 x 600`` and ``50,000 x 2,500`` (5 choices each, uniform): the engine's DA against ``matching``'s
  ``HospitalResident`` (resident-optimal; its build + solve, results checked identical), and OR-Tools'
  min-cost flow (max assigned, then min rank sum) against the engine's ``welfare`` (objectives checked
  equal).
* ``1,000,000 x 50,000``, uniform and Zipf-skewed choices: the engine alone; with the spec's minimum of 20
  (cancellations) against none; the whole command line on a generated JSON file (time, peak memory).
* ``5,000,000 x 250,000`` uniform: the engine alone, in process.

Instances: capacities uniform in 15..35, 5 distinct choices per applicant (uniform, or Zipf with exponent
1 over batches in a random order, popular batches wanted by many), keys = a category 0..3 plus a lottery
number per choice, ids ``A#######``/``B#####`` assigned in random order (so id order is not input order).

Engine times: ``array`` is ``allocate_arrays`` on ready arrays (validated); ``records`` is ``allocate`` from
``Batch``/``Applicant`` dataclasses, i.e. from parsed input to assignment, including validation, id look-ups
and sorting ids as strings. The first call in a process is reported apart from the best of the next
ones: on a fresh VM, memory the process never touched costs ~2.5 s/GB on first touch.

``python -m bench.allocation [--quick] [--seed N]``; ``make bench`` runs it with the other benchmarks.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from latihkerja.engine.allocation import Applicant, ArrayMarket, Batch, allocate, allocate_arrays
from latihkerja.engine.allocation.market import string_ranks
from latihkerja.engine.allocation.welfare import welfare_assignment

CHOICES = 5
MINIMUM = 20


@dataclass(frozen=True)
class Instance:
    name: str
    market: ArrayMarket
    batch_ids: list[str]
    applicant_ids: list[str]
    choice: np.ndarray  # (na, k) batch indices
    key: np.ndarray  # (na, k) float keys

    @property
    def size(self) -> str:
        return f"{self.market.n_applicants:,} x {self.market.n_batches:,}"

    def with_minimum(self, minimum: int) -> ArrayMarket:
        m = self.market
        floor = np.minimum(m.capacity, minimum).astype(np.int64)
        return ArrayMarket(
            m.capacity, floor, m.batch_order, m.choice_ptr, m.choice_batch, m.choice_key, m.applicant_order
        )


def _distinct_rows(draw: Callable[[int], np.ndarray], rows: int) -> np.ndarray:
    """``rows`` x CHOICES batch indices, distinct within each row (redraw rows with repeats)."""
    choice = draw(rows)
    for _ in range(1000):
        ordered = np.sort(choice, axis=1)
        bad = np.flatnonzero((ordered[:, 1:] == ordered[:, :-1]).any(axis=1))
        if not bad.size:
            return choice
        choice[bad] = draw(bad.size)
    raise RuntimeError("could not draw distinct choices")


def generate(n_applicants: int, n_batches: int, *, skew: float | None, seed: int) -> Instance:
    rng = np.random.default_rng(seed)
    capacity = rng.integers(15, 36, n_batches).astype(np.int64)
    if skew is None:

        def draw(rows: int) -> np.ndarray:
            return rng.integers(0, n_batches, (rows, CHOICES))
    else:
        weight = 1.0 / np.arange(1, n_batches + 1) ** skew
        cumulative = np.cumsum(weight / weight.sum())
        shuffle = rng.permutation(n_batches)

        def draw(rows: int) -> np.ndarray:
            picked = np.searchsorted(cumulative, rng.random((rows, CHOICES)), side="right")
            return shuffle[np.minimum(picked, n_batches - 1)]

    choice = _distinct_rows(draw, n_applicants).astype(np.int64)
    key = rng.integers(0, 4, (n_applicants, 1)) + rng.random((n_applicants, CHOICES))
    width_a, width_b = len(str(n_applicants)), len(str(n_batches))
    applicant_ids = [f"A{i:0{width_a}d}" for i in rng.permutation(n_applicants).tolist()]
    batch_ids = [f"B{i:0{width_b}d}" for i in rng.permutation(n_batches).tolist()]
    market = ArrayMarket(
        capacity=capacity,
        minimum=np.zeros(n_batches, dtype=np.int64),
        batch_order=string_ranks(batch_ids),
        choice_ptr=np.arange(n_applicants + 1, dtype=np.int64) * CHOICES,
        choice_batch=choice.reshape(-1),
        choice_key=key.reshape(-1),
        applicant_order=string_ranks(applicant_ids),
    )
    shape = "uniform" if skew is None else f"Zipf {skew:g}"
    return Instance(shape, market, batch_ids, applicant_ids, choice, key)


def records(inst: Instance, market: ArrayMarket | None = None) -> tuple[list[Batch], list[Applicant]]:
    m = market or inst.market
    batches = [
        Batch(bid, int(c), int(f))
        for bid, c, f in zip(inst.batch_ids, m.capacity.tolist(), m.minimum.tolist(), strict=True)
    ]
    names = inst.batch_ids
    applicants = [
        Applicant(aid, tuple(names[b] for b in row), tuple(keys))
        for aid, row, keys in zip(inst.applicant_ids, inst.choice.tolist(), inst.key.tolist(), strict=True)
    ]
    return batches, applicants


def timed(action: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    value = action()
    return time.perf_counter() - started, value


def engine_times(market: ArrayMarket, repeats: int) -> tuple[float, float, Any]:
    """(first call, best of the next ``repeats``, result) of ``allocate_arrays``."""
    first, result = timed(lambda: allocate_arrays(market))
    best = min(timed(lambda: allocate_arrays(market))[0] for _ in range(repeats)) if repeats else first
    return first, best, result


# -- contenders ------------------------------------------------------------------------------------------
def run_matching(inst: Instance) -> tuple[float, float, dict[str, str | None]]:
    """``matching``'s HospitalResident, resident-optimal: (build seconds, solve seconds, assignment)."""
    from matching.games import HospitalResident

    out: dict[str, Any] = {}

    def work() -> None:
        started = time.perf_counter()
        m = inst.market
        names, ids = inst.batch_ids, inst.applicant_ids
        resident_prefs = {
            aid: [names[b] for b in row] for aid, row in zip(ids, inst.choice.tolist(), strict=True)
        }
        applicant_of = np.repeat(np.arange(m.n_applicants), CHOICES)
        order = np.lexsort((m.applicant_order[applicant_of], m.choice_key, m.choice_batch))
        batch_sorted = m.choice_batch[order]
        bounds = np.searchsorted(batch_sorted, np.arange(m.n_batches + 1))
        who = applicant_of[order].tolist()
        hospital_prefs = {
            names[b]: [ids[a] for a in who[bounds[b] : bounds[b + 1]]] for b in range(m.n_batches)
        }
        capacities = dict(zip(names, m.capacity.tolist(), strict=True))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            game = HospitalResident.create_from_dictionaries(resident_prefs, hospital_prefs, capacities)
            built = time.perf_counter()
            matching = game.solve(optimal="resident")
        solved = time.perf_counter()
        assignment: dict[str, str | None] = dict.fromkeys(ids)
        for hospital, residents in matching.items():
            for resident in residents:
                assignment[resident.name] = hospital.name
        out.update(build=built - started, solve=solved - built, assignment=assignment)

    # matching deep-copies its players recursively: it needs a deep stack at these sizes.
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(10**7)
    previous = threading.stack_size(1 << 30)
    try:
        worker = threading.Thread(target=work)
        worker.start()
        worker.join()
    finally:
        threading.stack_size(previous)
        sys.setrecursionlimit(limit)
    return out["build"], out["solve"], out["assignment"]


def run_ortools(inst: Instance) -> tuple[float, int, int]:
    """OR-Tools min-cost flow, max flow then min cost: (seconds, assigned, sum of ranks)."""
    from ortools.graph.python import min_cost_flow

    started = time.perf_counter()
    m = inst.market
    na, nb = m.n_applicants, m.n_batches
    source, sink = na + nb, na + nb + 1
    applicants = np.arange(na, dtype=np.int64)
    flow = min_cost_flow.SimpleMinCostFlow()
    tails = np.concatenate([np.full(na, source), np.repeat(applicants, CHOICES), na + np.arange(nb)])
    heads = np.concatenate([applicants, na + m.choice_batch, np.full(nb, sink)])
    caps = np.concatenate([np.ones(na), np.ones(na * CHOICES), m.capacity]).astype(np.int64)
    ranks = np.tile(np.arange(1, CHOICES + 1), na)
    costs = np.concatenate([np.zeros(na), ranks, np.zeros(nb)]).astype(np.int64)
    flow.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    flow.set_node_supply(source, na)
    flow.set_node_supply(sink, -na)
    status = flow.solve_max_flow_with_min_cost()
    seconds = time.perf_counter() - started
    if status != flow.OPTIMAL:
        raise RuntimeError(f"OR-Tools status {status}")
    return seconds, int(flow.maximum_flow()), int(flow.optimal_cost())


# -- the command line ------------------------------------------------------------------------------------
def write_json(inst: Instance, path: Path, market: ArrayMarket) -> None:
    names = inst.batch_ids
    document = {
        "batches": [
            {"id": bid, "capacity": c, "minimum": f}
            for bid, c, f in zip(names, market.capacity.tolist(), market.minimum.tolist(), strict=True)
        ],
        "applicants": [
            {"id": aid, "choices": [names[b] for b in row], "keys": keys}
            for aid, row, keys in zip(
                inst.applicant_ids, inst.choice.tolist(), inst.key.tolist(), strict=True
            )
        ],
    }
    path.write_text(json.dumps(document))


def run_cli(path: Path, out: Path) -> tuple[float, float, dict[str, Any]]:
    """(wall seconds, peak RSS in MiB, metrics) of the CLI as a subprocess."""
    command = [sys.executable, "-m", "latihkerja.engine.allocation", str(path)]
    gnu_time = shutil.which("time") if os.path.exists("/usr/bin/time") else None
    if gnu_time:
        command = ["/usr/bin/time", "-v", *command]
    root = str(Path(__file__).resolve().parent.parent)
    env = {**os.environ, "PYTHONPATH": root + os.pathsep + os.environ.get("PYTHONPATH", "")}
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    with out.open("wb") as sink:
        started = time.perf_counter()
        done = subprocess.run(command, stdout=sink, stderr=subprocess.PIPE, env=env, check=False)
        wall = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"CLI failed: {done.stderr.decode()[-500:]}")
    peak_kib = float(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    found = re.search(rb"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    if found:
        peak_kib = float(found.group(1))
    elif peak_kib <= before:  # pragma: no cover - an earlier child was bigger
        peak_kib = float("nan")
    metrics = json.loads(out.read_bytes())["metrics"]
    return wall, peak_kib / 1024, metrics


# -- report ----------------------------------------------------------------------------------------------
class Report:
    def __init__(self) -> None:
        self.rows: list[tuple[str, ...]] = []

    def add(self, *cells: str) -> None:
        self.rows.append(cells)
        print("  " + " | ".join(cells), file=sys.stderr, flush=True)

    def markdown(self, header: Sequence[str]) -> str:
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(row) + " |" for row in self.rows]
        return "\n".join(lines)


def verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def machine() -> str:
    cpu = "unknown CPU"
    with contextlib.suppress(OSError, StopIteration):
        cpu = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"{platform.system()} {platform.machine()}, nproc {os.cpu_count()}, {cpu}; Python "
        f"{platform.python_version()}, numpy {np.__version__}; load average before the run {load}"
    )


def first_touch() -> float:
    """Seconds to fault in 1 GiB of fresh memory (on a fresh VM, a large share of every first call)."""
    seconds, block = timed(lambda: np.ones(2**27))
    del block
    return seconds


def compare(inst: Instance, report: Report) -> None:
    """Engine vs matching (DA) and engine welfare vs OR-Tools on one instance."""
    first, best, result = engine_times(inst.market, repeats=10)
    batches, applicants = records(inst)
    record_seconds, mine = min(
        (timed(lambda: allocate(batches, applicants)) for _ in range(5)), key=lambda t: t[0]
    )
    build, solve, theirs = run_matching(inst)
    if theirs != mine.assignment:
        raise RuntimeError(f"{inst.size}: matching and the engine disagree")
    reference = build + solve
    report.add(
        f"DA vs `matching` HospitalResident, {inst.size}",
        f"array {best * 1e3:.1f} ms (first {first * 1e3:.1f}); records {record_seconds * 1e3:.0f} ms",
        f"build {build:.2f} s + solve {solve:.3f} s = {reference:.2f} s",
        f"{reference / best:,.0f}x (array), {reference / record_seconds:,.0f}x (records); target >= 1,000x",
        f"{verdict(reference / best >= 1000)} (array); {verdict(reference / record_seconds >= 1000)} (records)",
    )
    ortools_seconds, flow, cost = run_ortools(inst)
    objectives = []
    timings = []
    for backend in ("ortools", "scipy"):
        seconds, (_, choice, _) = timed(lambda b=backend: welfare_assignment(inst.market, b))
        assigned = choice >= 0
        objectives.append((int(assigned.sum()), int((choice[assigned] + 1).sum())))
        timings.append(seconds)
    if objectives != [(flow, cost), (flow, cost)]:
        raise RuntimeError(f"{inst.size}: OR-Tools and the engine's welfare optimum differ")
    report.add(
        f"min-cost flow (welfare), {inst.size}",
        f"engine welfare {timings[0]:.2f} s (OR-Tools backend), {timings[1]:.2f} s (SciPy HiGHS backend)",
        f"OR-Tools alone {ortools_seconds:.2f} s (assigned {flow:,}, rank sum {cost:,}; same optimum)",
        f"engine DA {best * 1e3:.1f} ms: {ortools_seconds / best:,.0f}x faster than the flow",
        "info",
    )
    print(f"  (DA assigned {int((result.batch >= 0).sum()):,})", file=sys.stderr)


def large(inst: Instance, report: Report, limit: float | None, repeats: int, with_minimum: bool) -> None:
    first, best, result = engine_times(inst.market, repeats=repeats)
    assigned = int((result.batch >= 0).sum())
    report.add(
        f"engine DA, {inst.size}, {inst.name}",
        f"array {best:.3f} s (first call {first:.3f} s); assigned {assigned:,}",
        "-",
        "-" if limit is None else f"target <= {limit:g} s",
        "smoke"
        if limit is None
        else verdict(best <= limit) + ("" if first <= limit else " (first call over)"),
    )
    if with_minimum:
        market = inst.with_minimum(MINIMUM)
        seconds = min(timed(lambda: allocate_arrays(market))[0] for _ in range(max(repeats, 1)))
        again = allocate_arrays(market)
        report.add(
            f"engine DA with minimum {MINIMUM}, {inst.size}, {inst.name}",
            f"array {seconds:.3f} s; {again.cancelled.shape[0]:,} batches cancelled",
            f"without minimum {best:.3f} s",
            f"{seconds / best:.2f}x; target <= 2x",
            "smoke" if limit is None else verdict(seconds <= 2 * best),
        )


def cli(inst: Instance, report: Report, limit: float | None, memory_mib: float) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-allocation-") as folder:
        path, out = Path(folder) / "input.json", Path(folder) / "output.json"
        market = inst.with_minimum(MINIMUM)
        write_json(inst, path, market)
        size = path.stat().st_size / 2**20
        wall, peak, metrics = run_cli(path, out)
    report.add(
        f"CLI `python -m latihkerja.engine.allocation`, {inst.size}, {inst.name}, minimum {MINIMUM}",
        f"{wall:.1f} s wall, peak RSS {peak:,.0f} MiB (input {size:,.0f} MiB JSON); engine {metrics['seconds']:.2f} s",
        f"{metrics['batches_cancelled']:,} cancelled, {metrics['assigned']:,} assigned",
        "-" if limit is None else f"target <= {limit:g} s and <= {memory_mib / 1024:g} GB",
        "smoke" if limit is None else verdict(wall <= limit and peak <= memory_mib),
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.allocation", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (< 30 s)")
    parser.add_argument("--seed", type=int, default=2020)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    print(f"Machine: {machine()}\n")
    command = "python -m bench.allocation" + (" --quick" if args.quick else "") + f" --seed {args.seed}"
    print(f"Command: `{command}`\n")
    report = Report()
    seed = args.seed
    if args.quick:
        compare(generate(12_000, 600, skew=None, seed=seed), report)
        large(generate(100_000, 5_000, skew=None, seed=seed + 1), report, None, 2, with_minimum=True)
        large(generate(100_000, 5_000, skew=1.0, seed=seed + 2), report, None, 2, with_minimum=False)
        cli(generate(100_000, 5_000, skew=None, seed=seed + 3), report, None, 0)
    else:
        compare(generate(12_000, 600, skew=None, seed=seed), report)
        compare(generate(50_000, 2_500, skew=None, seed=seed + 1), report)
        uniform = generate(1_000_000, 50_000, skew=None, seed=seed + 2)
        large(uniform, report, 1.0, 3, with_minimum=True)
        skewed = generate(1_000_000, 50_000, skew=1.0, seed=seed + 3)
        large(skewed, report, 2.0, 3, with_minimum=True)
        del skewed
        cli(uniform, report, 15.0, 3 * 1024)
        del uniform
        national = generate(5_000_000, 250_000, skew=None, seed=seed + 4)
        large(national, report, 5.0, 1, with_minimum=False)
    print(report.markdown(("case", "engine", "reference", "ratio / target", "verdict")))
    print(f"\nFirst touch of memory new to this process: {first_touch():.2f} s per GiB (measured last).")
    print(f"\n({time.perf_counter() - started:.0f} s in all)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
