"""Staged solve of the planning MILP with HiGHS: month-free first, months only when they bind.

Months make the model large (OPD × kecamatan × month and class × month integers) and, at the national
shape, hard for HiGHS to find any solution of, while the objective hardly depends on them. So:

Strict (every centre on target):

1. month-free model (:mod:`.formulation`), covered demand then enrolment → x̂ and bounds. Infeasible
   here proves the full problem infeasible (it is a relaxation);
2. schedule x̂ into months: per-kecamatan network flows (:mod:`.schedule`), else the full model with x
   fixed to x̂ (any solution). Found → the plan is optimal to the month-free bounds, which are valid
   bounds of the full problem;
3. otherwise the months bind: the full model from scratch, covered demand then enrolment.

Relaxed (targets cannot all be met; centres on target, then batches, then demand, then enrolment):

1. month-free relaxed model → x̂, centres on target and batches per class, and bounds;
2. schedule that with the flows; else the full relaxed model with x ≤ x̂ (everything x̂ plans that months
   allow);
3. if that loses centres on target or batches, the full relaxed model from scratch, keeping the better
   (the from-scratch one on a tie, since its bounds are the full model's).

Each phase gets a share of the time left; HiGHS stops at ``gap`` or at its share. Planning nothing
satisfies the relaxed model, so the relaxed solve always returns a plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from time import perf_counter

import numpy as np

from .formulation import disaggregate, formulate
from .index import Index
from .model import solve_lexicographic
from .schedule import schedule_months
from .types import Batch

_STRICT = (("demand", 0.8), ("enrolment", 0.6))
_RELAXED = ("met", "batches", "demand", "enrolment")


@dataclass(frozen=True, slots=True)
class SolveResult:
    """Outcome of a staged solve; bounds are ``None`` when no stage proved one."""

    status: str  # "optimal" | "time_limit" | "infeasible" | "no_solution"
    batches: tuple[Batch, ...]
    demand_bound: int | None
    enrolment_bound: int | None
    met_bound: int | None = None
    stages: tuple[str, ...] = ()


def solve_strict(index: Index, *, deadline: float, gap: float) -> SolveResult:
    month_free = formulate(index, relaxed=False, month_free=True)
    first = solve_lexicographic(
        month_free.model, list(_STRICT), month_free.objective, month_free.reached, deadline=deadline, gap=gap
    )
    if first.status == "infeasible":
        return SolveResult("infeasible", (), None, None, stages=("month_free",))
    demand_bound, enrolment_bound = first.bounds.get("demand"), first.bounds.get("enrolment")
    if first.values is not None:
        chosen = month_free.x_values(first.values)
        scheduled = schedule_months(index, chosen, deadline=deadline)
        if scheduled is not None:
            flow_stages = ("month_free", "flow_schedule")
            return SolveResult(
                first.status, tuple(scheduled), demand_bound, enrolment_bound, stages=flow_stages
            )
        fixed = formulate(index, relaxed=False, month_free=False, x_lower=chosen, x_upper=chosen)
        schedule = solve_lexicographic(
            fixed.model, [("schedule", 0.5)], fixed.objective, fixed.reached, deadline=deadline, gap=gap
        )
        if schedule.values is not None:
            batches = tuple(disaggregate(fixed, schedule.values))
            milp_stages = ("month_free", "schedule")
            return SolveResult(first.status, batches, demand_bound, enrolment_bound, stages=milp_stages)
    full = formulate(index, relaxed=False, month_free=False)
    phases = [("demand", 0.6), ("enrolment", 1.0)]
    outcome = solve_lexicographic(
        full.model, phases, full.objective, full.reached, deadline=deadline, gap=gap
    )
    stages = ("month_free", "schedule", "full")
    if outcome.values is None:
        return SolveResult(outcome.status, (), None, None, stages=stages)
    return SolveResult(
        outcome.status,
        tuple(disaggregate(full, outcome.values)),
        _least(outcome.bounds.get("demand"), demand_bound),
        outcome.bounds.get("enrolment"),
        stages=stages,
    )


def solve_relaxed(index: Index, *, deadline: float, gap: float) -> SolveResult:
    month_free = formulate(index, relaxed=True, month_free=True)
    first = solve_lexicographic(
        month_free.model,
        list(zip(_RELAXED, (0.3, 0.3, 0.4, 0.4), strict=True)),
        month_free.objective,
        month_free.reached,
        deadline=deadline,
        gap=gap,
        fallback=np.zeros(month_free.model.columns),
    )
    assert first.values is not None
    chosen = month_free.x_values(first.values)
    scheduled = schedule_months(
        index, chosen, deadline=deadline, class_plan=month_free.class_plan(first.values)
    )
    if scheduled is not None:
        return SolveResult(
            first.status,
            tuple(scheduled),
            first.bounds.get("demand"),
            first.bounds.get("enrolment"),
            first.bounds.get("met"),
            stages=("month_free", "flow_schedule"),
        )
    capped = formulate(index, relaxed=True, month_free=False, x_upper=chosen)
    second = solve_lexicographic(
        capped.model,
        list(zip(_RELAXED, (0.2, 0.2, 0.25, 0.3), strict=True)),
        capped.objective,
        capped.reached,
        deadline=deadline,
        gap=gap,
        fallback=np.zeros(capped.model.columns),
    )
    assert second.values is not None
    key = tuple(second.reached.get(name, 0) for name in ("met", "batches"))
    target = tuple(first.reached.get(name, 0) for name in ("met", "batches"))
    best = SolveResult(
        _worse(first.status, second.status),
        tuple(disaggregate(capped, second.values)),
        first.bounds.get("demand") if key == target else None,
        first.bounds.get("enrolment") if key == target else None,
        first.bounds.get("met"),
        stages=("month_free", "capped"),
    )
    if key >= target or deadline - perf_counter() <= 0:
        return best
    full = formulate(index, relaxed=True, month_free=False)
    third = solve_lexicographic(
        full.model,
        list(zip(_RELAXED, (0.25, 0.25, 0.5, 1.0), strict=True)),
        full.objective,
        full.reached,
        deadline=deadline,
        gap=gap,
        fallback=np.zeros(full.model.columns),
    )
    assert third.values is not None
    # On a tie the from-scratch solve wins: its bounds are those of the full model.
    if tuple(third.reached.get(name, 0) for name in _RELAXED) < tuple(
        second.reached.get(name, 0) for name in _RELAXED
    ):
        return best
    return SolveResult(
        third.status,
        tuple(disaggregate(full, third.values)),
        third.bounds.get("demand"),
        third.bounds.get("enrolment"),
        _least(third.bounds.get("met"), first.bounds.get("met")),
        stages=("month_free", "capped", "full"),
    )


def _least(*bounds: int | None) -> int | None:
    known = [bound for bound in bounds if bound is not None]
    return min(known) if known else None


def _worse(*statuses: str) -> str:
    return "optimal" if all(status == "optimal" for status in statuses) else "time_limit"
