"""Benchmark of the training planner: the MILP against the even-spread and greedy baselines.

Shapes (generated, seeded, realistic rather than uniform):

* ``city`` — Kota Tangerang: 13 kecamatan with 4–13 kelurahan each (104), one centre per kelurahan with 5
  trainings (520 slots), 3 months (Oct–Dec 2020), 40 themes under 6 OPDs, employer demand concentrated
  on a few themes (Zipf; a quarter of the themes with none), interest skewed by kelurahan size and theme
  popularity, OPD capacity and budget that bind.
* ``national`` — 5,000 centres in 625 kecamatan, 100 themes under 12 OPDs, 5 trainings each (25,000
  slots), 6 months.
* ``regional`` (``--quick`` only) — 1,000 centres, 60 themes, 4 months.

``python -m bench.planning [--quick] [--time-limit S] [--seed N]`` (or ``python -m bench [--quick] planning``)
prints a Markdown table per instance and whether the city-shape targets are met (exit 1 if one is missed).
Full run: three city-shape seeds (10 s limit each) and the national shape (300 s limit); ``--infeasible``
adds the national shape without the interest fix-up (one kecamatan cannot fill its centres; 120 s limit).
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import platform
import random
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import scipy

from latihkerja.engine.planning import (
    Center,
    Demand,
    Interest,
    OpdCapacity,
    Plan,
    PlanningInput,
    Theme,
    evaluate,
    even_spread,
    greedy,
    plan,
)
from latihkerja.engine.planning.diagnostics import target_failures
from latihkerja.engine.planning.index import build_index

TANGERANG_KECAMATAN = (
    ("Ciledug", 8),
    ("Larangan", 8),
    ("Karang Tengah", 7),
    ("Cipondoh", 10),
    ("Pinang", 11),
    ("Tangerang", 8),
    ("Karawaci", 13),
    ("Jatiuwung", 7),
    ("Cibodas", 6),
    ("Periuk", 11),
    ("Batuceper", 5),
    ("Neglasari", 4),
    ("Benda", 6),
)
THEME_NAMES = (
    "fotografi",
    "videografi",
    "vlog",
    "content-creator",
    "perbengkelan-motor",
    "perbengkelan-mobil",
    "las-listrik",
    "las-argon",
    "servis-elektronik",
    "servis-ponsel",
    "batik",
    "barista",
    "sablon",
    "tata-boga",
    "tata-rias",
    "tata-busana",
    "menjahit",
    "desain-grafis",
    "pemasaran-digital",
    "admin-perkantoran",
    "akuntansi-umkm",
    "bahasa-inggris-kerja",
    "teknisi-ac",
    "instalasi-listrik",
    "pertukangan-kayu",
    "plambing",
    "perawatan-lansia",
    "pengasuhan-anak",
    "kerajinan-tangan",
    "daur-ulang",
    "budidaya-ikan",
    "hidroponik",
    "pengolahan-pangan",
    "kopi-roasting",
    "operator-forklift",
    "k3-industri",
    "pemrograman-web",
    "jaringan-komputer",
    "barbershop",
    "sopir-logistik",
)
OPD_NAMES = ("disnaker", "disperindag", "dinkop-umkm", "diskominfo", "disbudpar", "dlh")


@dataclass(frozen=True)
class Shape:
    name: str
    kecamatan_sizes: tuple[int, ...]
    themes: int
    opds: int
    months: tuple[str, ...]
    trainings: int
    seats_of_interest: float  # interested residents per slot
    demand_per_seat: float  # employer headcount per seat


def _months(count: int) -> tuple[str, ...]:
    start = 2020 * 12 + 9  # October 2020
    return tuple(f"{(start + i) // 12}-{(start + i) % 12 + 1:02d}" for i in range(count))


CITY = Shape("city", tuple(size for _, size in TANGERANG_KECAMATAN), 40, 6, _months(3), 5, 3.0, 0.75)
REGIONAL = Shape("regional", (8,) * 125, 60, 8, _months(4), 5, 3.0, 0.75)
NATIONAL = Shape("national", (8,) * 625, 100, 12, _months(6), 5, 3.0, 0.75)


def _zipf(rng: random.Random, count: int, exponent: float) -> list[float]:
    weights = [1 / (rank + 1) ** exponent for rank in range(count)]
    rng.shuffle(weights)
    total = sum(weights)
    return [weight / total for weight in weights]


def generate(shape: Shape, seed: int, *, meetable: bool = True) -> PlanningInput:
    """A seeded instance of ``shape``; unless ``meetable`` is false, no target fails on its own."""
    rng = random.Random(seed)
    if shape.name == "city":
        kecamatan_names = tuple(name for name, _ in TANGERANG_KECAMATAN)
        sizes = shape.kecamatan_sizes
    else:
        kecamatan_names = tuple(f"KEC{k:04d}" for k in range(len(shape.kecamatan_sizes)))
        # Same total as the shape, but 4–13 kelurahan per kecamatan like real districts.
        sizes = _vary_sizes(rng, shape.kecamatan_sizes)
    centers: list[Center] = []
    population: list[float] = []
    for kecamatan, (name, size) in enumerate(zip(kecamatan_names, sizes, strict=True)):
        for kelurahan in range(size):
            rooms = math.ceil(shape.trainings / len(shape.months))
            if rng.random() < 0.3:
                rooms += 1
            centers.append(
                Center(
                    f"BLK-{kecamatan:03d}-{kelurahan:02d}",
                    f"{name}/{kelurahan + 1:02d}",
                    name,
                    shape.trainings,
                    rooms,
                )
            )
            population.append(rng.lognormvariate(0, 0.5))
    theme_names = THEME_NAMES if shape.themes <= len(THEME_NAMES) else ()
    opd_names = (
        OPD_NAMES if shape.opds <= len(OPD_NAMES) else tuple(f"opd-{o:02d}" for o in range(shape.opds))
    )
    themes = []
    for position in range(shape.themes):
        name = theme_names[position] if theme_names else f"tema-{position:03d}"
        cost = rng.randrange(16, 61) * 500_000  # Rp 8–30 million per batch
        capacity = rng.choice((20, 25, 25, 25, 30))
        themes.append(Theme(name, opd_names[position % len(opd_names)], cost, capacity, 20))
    slots = len(centers) * shape.trainings
    seats = slots * 25

    demand_weights = _zipf(rng, shape.themes, 1.1)
    for position in rng.sample(range(shape.themes), shape.themes // 4):
        demand_weights[position] = 0.0
    total_weight = sum(demand_weights)
    demand = [
        Demand(theme.id, round(seats * shape.demand_per_seat * weight / total_weight))
        for theme, weight in zip(themes, demand_weights, strict=True)
        if weight > 0
    ]
    # Residents' interest follows demand only loosely: popular themes are not always the ones employers need.
    popularity = [
        0.5 * d / total_weight + 0.5 * p
        for d, p in zip(demand_weights, _zipf(rng, shape.themes, 0.9), strict=True)
    ]
    interest: list[Interest] = []
    per_center = seats * shape.seats_of_interest / 25 / len(centers) * 25
    for position, center in enumerate(centers):
        for theme, weight in zip(themes, popularity, strict=True):
            mean = per_center * population[position] * weight
            residents = _poisson(rng, mean)
            if residents:
                interest.append(Interest(theme.id, center.kelurahan, residents))

    per_month = slots / len(shape.months)
    opd_capacity = []
    for opd_position, opd in enumerate(opd_names):
        share = sum(1 for t in themes if t.opd == opd) / len(themes)
        tightness = 0.8 if opd_position == 0 else 1.4  # the first OPD (Disnaker) is short of instructors
        for month in shape.months:
            opd_capacity.append(OpdCapacity(opd, month, math.ceil(per_month * share * tightness)))
    mean_cost = sum(t.cost for t in themes) / len(themes)
    data = PlanningInput(
        months=shape.months,
        centers=tuple(centers),
        themes=tuple(themes),
        demand=tuple(demand),
        interest=tuple(interest),
        opd_capacity=tuple(opd_capacity),
        budget=int(round(slots * mean_cost * 0.9, -6)),
    )
    return _meetable(data) if meetable else data


def _meetable(data: PlanningInput) -> PlanningInput:
    """Raise the interest of kecamatan too small to fill their centres until no target fails on its own."""
    while True:
        failures = target_failures(build_index(data))
        if any(entry["rule"] != "interest" for entry in failures):
            raise SystemExit(f"generated instance cannot meet its targets: {failures}")
        short = {str(entry["kecamatan"]) for entry in failures}
        if not short:
            return data
        kecamatan_of = {center.kelurahan: center.kecamatan for center in data.centers}
        interest = tuple(
            replace(row, residents=math.ceil(row.residents * 1.25))
            if kecamatan_of[row.kelurahan] in short
            else row
            for row in data.interest
        )
        data = replace(data, interest=interest)


def _vary_sizes(rng: random.Random, sizes: tuple[int, ...]) -> tuple[int, ...]:
    varied = [rng.randint(4, 13) for _ in sizes]
    target = sum(sizes)
    while sum(varied) != target:
        position = rng.randrange(len(varied))
        if sum(varied) > target and varied[position] > 4:
            varied[position] -= 1
        elif sum(varied) < target and varied[position] < 13:
            varied[position] += 1
    return tuple(varied)


def _poisson(rng: random.Random, mean: float) -> int:
    if mean <= 0:
        return 0
    if mean > 30:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def _percent(value: Plan, reference: Plan) -> str:
    if reference.objective == 0:
        return "—"
    return f"{100 * (value.objective / reference.objective - 1):+.1f}%"


def _row(label: str, result: Plan, even: Plan, greedy_plan: Plan) -> str:
    gap = "—" if result.gap is None else f"{100 * result.gap:.3f}%"
    bound = "—" if result.bound is None else f"{result.bound:,}"
    short = sum(item.short for item in result.shortfall)
    return (
        f"| {label} | {result.seconds:.2f} | {result.status} | {result.feasible} ({short} short) | "
        f"{result.objective:,} | {bound} | {gap} | {result.enrolment:,} | {result.cost / 1e9:,.2f} | "
        f"{_percent(result, even)} | {_percent(result, greedy_plan)} |"
    )


@dataclass(frozen=True)
class Outcome:
    shape: str
    seed: int
    plan: Plan
    greedy: Plan
    even: Plan
    wall: float


def run(shape: Shape, seed: int, time_limit: float, *, meetable: bool = True) -> Outcome:
    data = generate(shape, seed, meetable=meetable)
    started = time.perf_counter()
    planned = plan(data, time_limit=time_limit, gap=0.01)
    wall = time.perf_counter() - started
    outcome = Outcome(shape.name, seed, planned, greedy(data), even_spread(data), wall)
    for result in (outcome.plan, outcome.greedy, outcome.even):
        if evaluate(data, result.batches).violations:
            raise SystemExit(f"{shape.name}: the {result.method} plan breaks a rule")
    demand = sum(d.headcount for d in data.demand)
    slots = sum(c.trainings for c in data.centers)
    print(
        f"\n**{shape.name}{'' if meetable else ', targets not all meetable'}** (seed {seed}): {len(data.centers):,} centres in "
        f"{len({c.kecamatan for c in data.centers})} kecamatan, {len(data.themes)} themes, "
        f"{len({t.opd for t in data.themes})} OPDs, {slots:,} slots, {len(data.months)} months, "
        f"demand {demand:,}, interested residents {sum(i.residents for i in data.interest):,}, "
        f"budget Rp {data.budget / 1e9:,.2f} bn; time limit {time_limit:g} s, gap 1%; "
        f"stages {'+'.join(planned.stages)}\n"
    )
    print(
        "| method | seconds | status | feasible | covered demand | bound | gap | enrolment | cost (Rp bn) "
        "| demand vs even spread | demand vs greedy |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    print(_row("MILP (HiGHS)", outcome.plan, outcome.even, outcome.greedy))
    print(_row("greedy", outcome.greedy, outcome.even, outcome.greedy))
    print(_row("even spread", outcome.even, outcome.even, outcome.greedy), flush=True)
    if not planned.feasible:
        on_target = planned.extra["centers_meeting_target"]
        print(
            f"\nCentres on target: {on_target:,} of {len(data.centers):,} "
            f"(bound {planned.extra.get('centers_meeting_target_bound', '—')}); first binding entries:\n"
        )
        for entry in planned.binding[:3]:
            print(f"- `{entry}`")
    return outcome


def _machine() -> str:
    cpu = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return (
        f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, SciPy {scipy.__version__}, "
        f"NumPy {np.__version__}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.planning", description="Benchmark of the planner.")
    parser.add_argument("--quick", action="store_true", help="city and a 1,000-centre shape (< 30 s)")
    parser.add_argument("--time-limit", type=float, default=None, help="solver seconds per instance")
    parser.add_argument("--seed", type=int, default=2020)
    parser.add_argument(
        "--infeasible",
        action="store_true",
        help="also the national shape with targets that cannot all be met",
    )
    args = parser.parse_args(argv)
    if args.quick:
        runs = [(CITY, args.seed, 10.0), (REGIONAL, args.seed, 10.0)]
    else:
        runs = [(CITY, args.seed + offset, 10.0) for offset in range(3)] + [(NATIONAL, args.seed, 300.0)]
    print(f"Planner benchmark — {_machine()}")
    outcomes = [run(shape, seed, args.time_limit or limit) for shape, seed, limit in runs]
    if args.infeasible:
        run(NATIONAL, args.seed, args.time_limit or 120.0, meetable=False)
    print("\nTargets (city shape):\n")
    status = 0
    for outcome in outcomes:
        if outcome.shape != "city":
            continue
        fast = outcome.plan.seconds <= 10 and outcome.plan.gap is not None and outcome.plan.gap <= 0.01
        gain = outcome.plan.objective / max(outcome.even.objective, 1) - 1
        print(
            f"- seed {outcome.seed}: plan with gap ≤ 1% in {outcome.plan.seconds:.2f} s (target ≤ 10 s): "
            f"{'met' if fast else 'MISSED'}; demand covered {100 * gain:+.1f}% vs even spread "
            f"(target ≥ +25%): {'met' if gain >= 0.25 else 'MISSED'}"
        )
        status |= 0 if fast and gain >= 0.25 else 1
    return status


if __name__ == "__main__":
    sys.exit(main())
