"""Entry points: :func:`plan` (the MILP planner) and the :func:`greedy` / :func:`even_spread` baselines.

:func:`plan` checks the closed-form necessary conditions first; if none fails it solves the strict model
(every centre on target). If that model is infeasible, or finds nothing in its share of the time, the
relaxed model plans as many centres on target as possible. Every returned plan is re-checked by the
independent checker (:func:`.evaluation.evaluate_indexed`); a plan breaking a rule is a bug and raises
:class:`PlanningSolverError` instead of being returned.
"""

from __future__ import annotations

from dataclasses import replace
from time import perf_counter

from .baselines import even_spread_batches, greedy_batches
from .diagnostics import binding_rules, shortfall_explanation, target_failures
from .evaluation import evaluate_indexed
from .formulation import batch_upper_bound
from .index import Index, build_index
from .parsing import validate_input
from .solver import SolveResult, solve_relaxed, solve_strict
from .types import Batch, BindingEntry, Plan, PlanningInput, PlanningInputError, PlanningSolverError

DEFAULT_TIME_LIMIT = 10.0
DEFAULT_GAP = 0.01


def plan(data: PlanningInput, *, time_limit: float = DEFAULT_TIME_LIMIT, gap: float = DEFAULT_GAP) -> Plan:
    """The best plan HiGHS finds within ``time_limit`` seconds of solver time, to relative ``gap``."""
    if not time_limit > 0:
        raise PlanningInputError(f"time limit must be positive, got {time_limit!r}")
    if not 0 <= gap < 1:
        raise PlanningInputError(f"gap must be in [0, 1), got {gap!r}")
    validate_input(data)
    start = perf_counter()
    deadline = start + time_limit
    index = build_index(data)
    failures = target_failures(index)
    proven = bool(failures)
    if not failures:
        strict = solve_strict(index, deadline=deadline, gap=gap)
        proven = strict.status == "infeasible"
        best = None if proven else _best_of(index, strict, start)
        if best is not None:
            return best
    relaxed = solve_relaxed(index, deadline=deadline, gap=gap)
    batches = list(relaxed.batches)
    candidate = greedy_batches(index)
    if _relaxed_key(index, candidate) > _relaxed_key(index, batches):
        # HiGHS stopped early (time limit) with less than the greedy plan reaches: keep the greedy one.
        batches, relaxed = candidate, replace(relaxed, stages=(*relaxed.stages, "greedy_kept"))
    plan_ = _finish(index, batches, "milp", start, relaxed, failures)
    if not plan_.feasible and not proven:
        # The strict model ran out of time without a plan: infeasibility is not proven.
        return replace(plan_, status="no_plan_in_time")
    return plan_


def _relaxed_key(index: Index, batches: list[Batch]) -> tuple[int, int, int, int]:
    evaluation = evaluate_indexed(index, batches)
    return (evaluation.centers_meeting_target, len(batches), evaluation.demand_covered, evaluation.enrolment)


def _best_of(index: Index, strict: SolveResult, start: float) -> Plan | None:
    """The MILP's plan, or the greedy plan when that meets every target and scores higher.

    Greedy costs little next to the solve and can beat an incumbent HiGHS stopped with at ``gap`` (or
    supply a plan when HiGHS found none in time); the MILP's bounds hold for either. None: neither has a
    plan meeting every target.
    """
    candidate = greedy_batches(index)
    greedy_score = evaluate_indexed(index, candidate)
    if strict.status in ("optimal", "time_limit"):
        solved = evaluate_indexed(index, list(strict.batches))
        mine = (solved.demand_covered, solved.enrolment)
        if not greedy_score.feasible or (greedy_score.demand_covered, greedy_score.enrolment) <= mine:
            return _finish(index, list(strict.batches), "milp", start, strict, [])
    if not greedy_score.feasible:
        return None
    kept = replace(strict, status="time_limit" if strict.status == "no_solution" else strict.status)
    kept = replace(kept, stages=(*strict.stages, "greedy_kept"))
    return _finish(index, candidate, "milp", start, kept, [])


def greedy(data: PlanningInput) -> Plan:
    """Baseline: the batch with the highest marginal covered demand (then enrolment) next."""
    validate_input(data)
    start = perf_counter()
    index = build_index(data)
    return _finish(index, greedy_batches(index), "greedy", start, None, target_failures(index))


def even_spread(data: PlanningInput) -> Plan:
    """Baseline: themes round-robin over the centres, regardless of demand, within the rules."""
    validate_input(data)
    start = perf_counter()
    index = build_index(data)
    return _finish(index, even_spread_batches(index), "even_spread", start, None, target_failures(index))


def _finish(
    index: Index,
    batches: list[Batch],
    method: str,
    start: float,
    result: SolveResult | None,
    failures: list[BindingEntry],
) -> Plan:
    batches = sorted(batches, key=lambda b: (index.center_pos[b.center], index.month_pos[b.month], b.theme))
    evaluation = evaluate_indexed(index, batches)
    if evaluation.violations:
        raise PlanningSolverError(f"{method} produced a plan that breaks {evaluation.violations[0]!r}")
    if evaluation.feasible:
        binding = binding_rules(index, batches)
        status = "heuristic" if result is None else result.status
    else:
        binding = failures + shortfall_explanation(index, batches, evaluation.shortfall)
        status = "heuristic" if result is None else "infeasible"
    bound: int | None = None
    enrolment_bound: int | None = None
    gap: float | None = None
    extra = {
        "centers": len(index.data.centers),
        "centers_meeting_target": evaluation.centers_meeting_target,
        "slots": index.slots,
        "batches_planned": len(batches),
    }
    if result is not None:
        bound = result.demand_bound if result.demand_bound is not None else _demand_bound(index)
        bound = max(bound, evaluation.demand_covered)
        enrolment_bound = (
            result.enrolment_bound if result.enrolment_bound is not None else _enrolment_bound(index)
        )
        enrolment_bound = max(enrolment_bound, evaluation.enrolment)
        gap = 0.0 if bound == 0 else (bound - evaluation.demand_covered) / bound
        if result.met_bound is not None:
            extra["centers_meeting_target_bound"] = result.met_bound + _centers_without_class(index)
    return Plan(
        feasible=evaluation.feasible,
        status=status,
        method=method,
        batches=tuple(batches),
        covered=evaluation.covered,
        objective=evaluation.demand_covered,
        bound=bound,
        gap=None if gap is None else round(gap, 6),
        enrolment=evaluation.enrolment,
        enrolment_bound=enrolment_bound,
        cost=evaluation.cost,
        binding=tuple(binding),
        shortfall=evaluation.shortfall,
        seconds=round(perf_counter() - start, 3),
        stages=() if result is None else result.stages,
        extra=extra,
    )


def _centers_without_class(index: Index) -> int:
    # Centres with a target of 0 are on target by construction and carry no variable in the model.
    return sum(1 for center in index.data.centers if center.trainings == 0)


def _demand_bound(index: Index) -> int:
    """Covered demand if every theme could run as many batches as each rule alone allows."""
    themes = index.data.themes
    kecamatans = range(len(index.kecamatans))
    return sum(
        min(index.headcount[t], spec.capacity * sum(batch_upper_bound(index, t, k) for k in kecamatans))
        for t, spec in enumerate(themes)
    )


def _enrolment_bound(index: Index) -> int:
    themes = index.data.themes
    return sum(
        min(residents, themes[t].capacity * batch_upper_bound(index, t, k))
        for (t, k), residents in index.interest.items()
    )
