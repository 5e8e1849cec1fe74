"""Checking and scoring any list of batches: the generated plan, an edited plan, or a baseline.

:func:`evaluate` recomputes everything from the batches alone (it trusts no solver output), so the app can
compare plans and the planner can verify its own result before returning it. Rules checked:

* ``centre_trainings`` — a centre runs more batches than its target (fewer is a ``shortfall``);
* ``rooms`` — a centre runs more than ``rooms`` batches in one month;
* ``opd_capacity`` — an OPD supervises more batches in a month than its row allows (no row: 0);
* ``budget`` — the batches cost more than the budget;
* ``interest`` — ``minimum`` × batches of a theme in a kecamatan exceeds its interested residents.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from .index import Index, build_index
from .parsing import validate_input
from .types import Batch, BindingEntry, Evaluation, PlanningInput, PlanningInputError, Shortfall


@dataclass(frozen=True, slots=True)
class Counts:
    """Batch counts of a plan by every key a rule or the objective looks at (positions, not ids)."""

    by_center: Counter[int]
    by_center_month: Counter[tuple[int, int]]
    by_opd_month: Counter[tuple[int, int]]
    by_theme: Counter[int]
    by_theme_kecamatan: Counter[tuple[int, int]]
    cost: int


def evaluate(data: PlanningInput, batches: Iterable[Batch]) -> Evaluation:
    """Coverage figures of ``batches`` for ``data`` and every rule they break.

    Raises :class:`PlanningInputError` when a batch names an unknown centre, theme or month.
    """
    validate_input(data)
    index = build_index(data)
    return evaluate_indexed(index, list(batches))


def count_batches(index: Index, batches: list[Batch]) -> Counts:
    by_center: Counter[int] = Counter()
    by_center_month: Counter[tuple[int, int]] = Counter()
    by_opd_month: Counter[tuple[int, int]] = Counter()
    by_theme: Counter[int] = Counter()
    by_theme_kecamatan: Counter[tuple[int, int]] = Counter()
    cost = 0
    for position, batch in enumerate(batches):
        center = index.center_pos.get(batch.center)
        theme = index.theme_pos.get(batch.theme)
        month = index.month_pos.get(batch.month)
        if center is None:
            raise PlanningInputError(f"batches[{position}].center: unknown centre {batch.center!r}")
        if theme is None:
            raise PlanningInputError(f"batches[{position}].theme: unknown theme {batch.theme!r}")
        if month is None:
            raise PlanningInputError(f"batches[{position}].month: {batch.month!r} is not one of the months")
        by_center[center] += 1
        by_center_month[(center, month)] += 1
        by_opd_month[(index.theme_opd[theme], month)] += 1
        by_theme[theme] += 1
        by_theme_kecamatan[(theme, index.center_kecamatan[center])] += 1
        cost += index.data.themes[theme].cost
    return Counts(by_center, by_center_month, by_opd_month, by_theme, by_theme_kecamatan, cost)


def demand_covered(index: Index, counts: Counts) -> dict[str, int]:
    return {
        theme.id: min(index.headcount[position], theme.capacity * counts.by_theme[position])
        for position, theme in enumerate(index.data.themes)
    }


def enrolment(index: Index, counts: Counts) -> int:
    themes = index.data.themes
    return sum(
        min(index.interest.get(key, 0), themes[key[0]].capacity * count)
        for key, count in counts.by_theme_kecamatan.items()
    )


def evaluate_indexed(index: Index, batches: list[Batch]) -> Evaluation:
    data = index.data
    counts = count_batches(index, batches)
    violations: list[BindingEntry] = []
    shortfall: list[Shortfall] = []
    for position, center in enumerate(data.centers):
        planned = counts.by_center[position]
        if planned > center.trainings:
            violations.append(
                {
                    "rule": "centre_trainings",
                    "center": center.id,
                    "planned": planned,
                    "trainings": center.trainings,
                }
            )
        elif planned < center.trainings:
            shortfall.append(Shortfall(center=center.id, trainings=center.trainings, planned=planned))
    for (at, month), used in sorted(counts.by_center_month.items()):
        if used > data.centers[at].rooms:
            violations.append(
                {
                    "rule": "rooms",
                    "center": data.centers[at].id,
                    "month": data.months[month],
                    "used": used,
                    "limit": data.centers[at].rooms,
                }
            )
    for (opd, month), used in sorted(counts.by_opd_month.items()):
        if used > index.opd_limit[opd][month]:
            violations.append(
                {
                    "rule": "opd_capacity",
                    "opd": index.opds[opd],
                    "month": data.months[month],
                    "used": used,
                    "limit": index.opd_limit[opd][month],
                    "implicit": (opd, month) not in index.opd_row_given,
                }
            )
    if counts.cost > data.budget:
        violations.append(
            {"rule": "budget", "used": counts.cost, "limit": data.budget, "over": counts.cost - data.budget}
        )
    for (theme, kecamatan), count in sorted(counts.by_theme_kecamatan.items()):
        needed = data.themes[theme].minimum * count
        residents = index.interest.get((theme, kecamatan), 0)
        if needed > residents:
            violations.append(
                {
                    "rule": "interest",
                    "theme": data.themes[theme].id,
                    "kecamatan": index.kecamatans[kecamatan],
                    "batches": count,
                    "minimum": data.themes[theme].minimum,
                    "residents": residents,
                    "needed": needed,
                }
            )
    covered = demand_covered(index, counts)
    return Evaluation(
        covered=covered,
        demand_covered=sum(covered.values()),
        demand_total=sum(index.headcount),
        enrolment=enrolment(index, counts),
        cost=counts.cost,
        batch_count=len(batches),
        planned={center.id: counts.by_center[position] for position, center in enumerate(data.centers)},
        shortfall=tuple(shortfall),
        violations=tuple(violations),
    )
