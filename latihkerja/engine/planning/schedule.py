"""Scheduling chosen (theme, kecamatan) counts into months: one small network flow per kecamatan.

Given x[t,k] from the month-free model, the remaining problem is to split each kecamatan's OPD batches
u[o,k] = Σ_{t∈o} x[t,k] over months so that its centre classes can hold them (rooms, exact targets) and
no OPD exceeds its monthly capacity. For one kecamatan with the OPDs' remaining capacity fixed this is a
network flow — source → OPD (u[o,k]) → month (capacity left for o that month) → centre class part
(n·rooms) → sink (the part's batches: n·trainings when on target) — so its LP has an integral optimal
vertex, which HiGHS's simplex returns. The kecamatans are coupled only through OPD capacity, which the flows consume one kecamatan at a time with a
cost that prefers an OPD's least-used months (spreading each OPD evenly keeps later kecamatans feasible).

This is a heuristic: a kecamatan may find its OPDs' capacity used up by earlier ones. Kecamatans that
fail are moved to the front and the pass is repeated a few times; if it still fails the caller falls
back to the MILP. Whatever it returns is exact (every flow is feasible and integral) and is re-checked.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from time import perf_counter

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import coo_array

from .formulation import assemble
from .index import Index
from .types import Batch

_ATTEMPTS = 4


def schedule_months(
    index: Index,
    x: dict[tuple[int, int], int],
    *,
    deadline: float,
    class_plan: dict[int, tuple[int, int]] | None = None,
) -> list[Batch] | None:
    """Batches for the counts ``x``, or None if no schedule was found.

    ``class_plan`` (relaxed plans) gives per centre class (centres on target, batches of the class);
    without it every centre meets its target. A class is split into an on-target part (exactly
    trainings each) and the rest (the remaining batches), each a flow sink with its own rooms per month.
    """
    need: dict[int, dict[int, int]] = defaultdict(dict)  # kecamatan -> opd -> batches
    for (theme, kecamatan), count in x.items():
        if count:
            opd = index.theme_opd[theme]
            need[kecamatan][opd] = need[kecamatan].get(opd, 0) + count
    parts_in: dict[int, list[_Part]] = defaultdict(list)
    for number, cls in enumerate(index.classes):
        count = len(cls.centers)
        on_target, batches = (count, count * cls.trainings) if class_plan is None else class_plan[number]
        parts_in[cls.kecamatan].append(_Part(number, True, on_target, cls.rooms, on_target * cls.trainings))
        rest = batches - on_target * cls.trainings
        if rest < 0 or (rest > 0 and on_target == count):
            return None
        parts_in[cls.kecamatan].append(_Part(number, False, count - on_target, cls.rooms, rest))
    kecamatans = sorted(
        set(need) | set(parts_in), key=lambda k: (_room_slack(parts_in[k], index.month_count), k)
    )
    for _ in range(_ATTEMPTS):
        used = [[0] * index.month_count for _ in index.opds]
        v: dict[tuple[int, int, int], int] = {}
        z: dict[int, list[int]] = {}
        z_rest: dict[int, list[int]] = {}
        failed: list[int] = []
        for kecamatan in kecamatans:
            if perf_counter() > deadline:
                return None
            flow = _kecamatan_flow(index, need[kecamatan], parts_in[kecamatan], used)
            if flow is None:
                failed.append(kecamatan)
                continue
            opd_months, part_months = flow
            for (opd, month), count in opd_months.items():
                v[(opd, kecamatan, month)] = count
                used[opd][month] += count
            for part, per_month in part_months.items():
                (z if part.on_target else z_rest)[part.number] = per_month
        if not failed:
            met = None if class_plan is None else {number: plan[0] for number, plan in class_plan.items()}
            return assemble(index, x, v, z, z_rest, met)
        kecamatans = failed + [k for k in kecamatans if k not in failed]
    return None


@dataclass(frozen=True, slots=True)
class _Part:
    """Centres of one class that the flow treats alike: those on target, or the rest of the class."""

    number: int
    on_target: bool
    centers: int
    rooms: int
    batches: int


def _room_slack(parts: list[_Part], months: int) -> int:
    # Kecamatans whose rooms leave the least freedom over months go first.
    return sum(part.centers * part.rooms * months - part.batches for part in parts)


def _kecamatan_flow(
    index: Index, need: dict[int, int], parts: list[_Part], used: list[list[int]]
) -> tuple[dict[tuple[int, int], int], dict[_Part, list[int]]] | None:
    months = index.month_count
    columns: list[tuple[str, int, int]] = []
    upper: list[float] = []
    cost: list[float] = []
    for opd, count in sorted(need.items()):
        if sum(index.opd_limit[opd][m] - used[opd][m] for m in range(months)) < count:
            return None
        for month in range(months):
            left = index.opd_limit[opd][month] - used[opd][month]
            if left > 0:
                columns.append(("v", opd, month))
                upper.append(left)
                cost.append(used[opd][month] / index.opd_limit[opd][month] + 1e-3 * month)
    parts = [part for part in parts if part.batches > 0]
    for position, part in enumerate(parts):
        for month in range(months):
            if part.rooms > 0:
                columns.append(("z", position, month))
                upper.append(part.centers * part.rooms)
                cost.append(0.0)
    if not columns:
        return ({}, {}) if not parts and not any(need.values()) else None
    opd_row = {opd: row for row, opd in enumerate(sorted(need))}
    month_row = {month: len(opd_row) + month for month in range(months)}
    part_row = {position: len(opd_row) + months + position for position in range(len(parts))}
    rows, cols, values = [], [], []
    for col, (kind, key, month) in enumerate(columns):
        if kind == "v":
            rows += [opd_row[key], month_row[month]]
            values += [1.0, 1.0]
        else:
            rows += [part_row[key], month_row[month]]
            values += [1.0, -1.0]
        cols += [col, col]
    rhs = [float(need[opd]) for opd in sorted(need)] + [0.0] * months
    rhs += [float(part.batches) for part in parts]
    matrix = coo_array((values, (rows, cols)), shape=(len(rhs), len(columns))).tocsr()
    result = linprog(
        np.array(cost),
        A_eq=matrix,
        b_eq=np.array(rhs),
        bounds=list(zip([0.0] * len(upper), upper, strict=True)),
        method="highs-ds",
    )
    if result.status != 0 or result.x is None:
        return None
    solution = np.asarray(result.x, dtype=np.float64)
    rounded = np.round(solution)
    if np.abs(solution - rounded).max(initial=0.0) > 1e-6:
        return None  # not a vertex: cannot happen for a network LP solved by simplex, but never trust it
    opd_months: dict[tuple[int, int], int] = {}
    part_months: dict[_Part, list[int]] = {part: [0] * months for part in parts}
    for (kind, key, month), value in zip(columns, rounded, strict=True):
        count = int(value)
        if count == 0:
            continue
        if kind == "v":
            opd_months[(key, month)] = count
        else:
            part_months[parts[key]][month] = count
    return opd_months, part_months
