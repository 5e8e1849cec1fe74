"""Training planner: which theme runs at which centre (BLK) in which month.

Framework-free (no Django); the app calls it with plain dataclasses, other cities through the CLI
``python -m latihkerja.engine.planning INPUT.json [--time-limit S] [--gap G] [--method M] > PLAN.json``.

Rules (every returned plan satisfies all of them, re-checked by :func:`evaluate`):

1. each centre runs exactly ``trainings`` batches over the months, at most ``rooms`` in one month;
2. each OPD supervises at most its ``opd_capacity`` batches in a month — **an (opd, month) without a
   row has capacity 0** (the safe reading: no instructors were promised), and ``binding`` marks such a
   limit ``"implicit": true`` when it blocks;
3. the batches' total ``cost`` stays within ``budget`` (whole Rupiah);
4. residents travel within their kecamatan: for each theme and kecamatan, ``minimum`` × batches ≤
   interested residents of that kecamatan. Interest is given per kelurahan and summed into the kecamatan
   the centres place that kelurahan in; a row for a kelurahan no centre names must carry its own
   ``kecamatan`` (otherwise the input is refused rather than its residents silently dropped).

A centre may run the same theme more than once (in the same or different months): nothing in the rules
forbids it and a large kelurahan may need two batches of a popular theme. Demand and interest rows for
the same key add up.

Objective, lexicographic: first covered demand Σ_themes min(headcount, capacity × batches), then expected
enrolment Σ_(theme, kecamatan) min(interested residents, capacity × batches). It is solved in two phases
(the second keeps the first's value as a floor), so neither weight nor scaling can trade one for the
other. ``objective`` is the covered demand, ``bound`` HiGHS's dual bound on it, ``gap`` =
(bound − objective) / bound (≤ HiGHS's own gap, which divides by the objective); ``enrolment`` and
``enrolment_bound`` the same for the second objective given the first.

When the targets cannot all be met the result has ``"feasible": false``: the plan keeps as many centres
exactly on target as possible, then plans as many batches as possible, then the same objective; and
``binding`` names each rule that blocks with the amount (see :mod:`.diagnostics`).

Model: an exact aggregation (theme × kecamatan, OPD × kecamatan × month, centre class × month) solved by
HiGHS (``scipy.optimize.milp``) and disaggregated to centres and months by a provably feasible dealing
step (:mod:`.formulation`). It is solved in stages (:mod:`.solver`): a month-free relaxation first (its
bounds are valid for the full problem), then its counts are scheduled into months by per-kecamatan
network flows (:mod:`.schedule`), and only if that fails the full model with months. The greedy baseline
is a second candidate: when it meets every target and scores higher than the solver's incumbent (HiGHS
stops at ``gap``), it is returned instead, with the solver's bounds; ``stages`` in the result says which
path produced the plan.

Approximations: only the solver's stopping rule (``gap``, ``time_limit``; HiGHS may overrun the limit by
the length of an uninterruptible presolve, and building and explaining add time); the ``binding`` list
of a feasible plan is an explanation (tight rules restricting themes with value left), not a
sensitivity analysis. The CLI's ``--method greedy|even_spread`` runs a baseline instead.
"""

from .evaluation import evaluate
from .parsing import parse_input, validate_input
from .planner import DEFAULT_GAP, DEFAULT_TIME_LIMIT, even_spread, greedy, plan
from .types import (
    Batch,
    BindingEntry,
    Center,
    Demand,
    Evaluation,
    Interest,
    OpdCapacity,
    Plan,
    PlanningInput,
    PlanningInputError,
    PlanningSolverError,
    Shortfall,
    Theme,
)

__all__ = [
    "DEFAULT_GAP",
    "DEFAULT_TIME_LIMIT",
    "Batch",
    "BindingEntry",
    "Center",
    "Demand",
    "Evaluation",
    "Interest",
    "OpdCapacity",
    "Plan",
    "PlanningInput",
    "PlanningInputError",
    "PlanningSolverError",
    "Shortfall",
    "Theme",
    "evaluate",
    "even_spread",
    "greedy",
    "parse_input",
    "plan",
    "validate_input",
]
