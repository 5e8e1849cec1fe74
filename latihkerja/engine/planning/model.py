"""A thin layer over ``scipy.optimize.milp`` (HiGHS): columns and rows collected in Python, objectives
maximised one after another with each optimum kept as a floor row (lexicographic optimisation).

Every objective used here is integral at integral points, so a floor is the integer reached and a dual
bound may be rounded down. A phase that finds nothing in its time keeps the previous phase's solution,
which satisfies every floor added so far.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from time import perf_counter

import numpy as np
import numpy.typing as npt
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_array

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Phase:
    status: str  # "optimal" | "time_limit" | "infeasible" | "no_solution"
    values: FloatArray | None
    bound: float | None  # dual bound of the maximised objective


class Model:
    """A MILP being built: ``var`` adds a column, ``row`` a ranged row ``lower ≤ Σ coef·var ≤ upper``."""

    def __init__(self) -> None:
        self.lower: list[float] = []
        self.upper: list[float] = []
        self.integer: list[int] = []
        self.row_lower: list[float] = []
        self.row_upper: list[float] = []
        self.entry_row: list[int] = []
        self.entry_col: list[int] = []
        self.entry_value: list[float] = []
        self.impossible = False

    @property
    def columns(self) -> int:
        return len(self.upper)

    def var(self, upper: float, *, lower: float = 0.0, integer: bool = True) -> int:
        self.lower.append(lower)
        self.upper.append(upper)
        self.integer.append(1 if integer else 0)
        return len(self.upper) - 1

    def row(self, terms: Iterable[tuple[int, float]], lower: float, upper: float) -> None:
        items = [(col, value) for col, value in terms if value != 0]
        if not items:
            # An empty row is the constant 0: it always holds or makes the model infeasible.
            if not lower <= 0 <= upper:
                self.impossible = True
            return
        row = len(self.row_lower)
        self.row_lower.append(lower)
        self.row_upper.append(upper)
        for col, value in items:
            self.entry_row.append(row)
            self.entry_col.append(col)
            self.entry_value.append(value)

    def maximise(self, objective: dict[int, float], time_limit: float, gap: float) -> Phase:
        columns = self.columns
        if self.impossible or any(low > high for low, high in zip(self.lower, self.upper, strict=True)):
            return Phase("infeasible", None, None)
        if columns == 0:
            return Phase("optimal", np.zeros(0), 0.0)
        cost = np.zeros(columns)
        for col, weight in objective.items():
            cost[col] = -weight
        constraints = []
        if self.row_lower:
            matrix = coo_array(
                (self.entry_value, (self.entry_row, self.entry_col)), shape=(len(self.row_lower), columns)
            ).tocsr()
            constraints.append(LinearConstraint(matrix, np.array(self.row_lower), np.array(self.row_upper)))
        result = milp(
            cost,
            integrality=np.array(self.integer),
            bounds=Bounds(np.array(self.lower), np.array(self.upper)),
            constraints=constraints,
            options={"time_limit": max(time_limit, 0.01), "mip_rel_gap": gap, "presolve": True},
        )
        status = int(result.status)
        values: FloatArray | None = None if result.x is None else np.asarray(result.x, dtype=np.float64)
        dual = getattr(result, "mip_dual_bound", None)
        bound = None if dual is None or not math.isfinite(float(dual)) else -float(dual)
        if status == 2:
            return Phase("infeasible", None, None)
        if values is None:
            return Phase("no_solution", None, bound)
        return Phase("optimal" if status == 0 else "time_limit", values, bound)


@dataclass
class Lexicographic:
    """Outcome of a sequence of phases: the last solution, and each phase's reached value and bound."""

    status: str
    values: FloatArray | None
    reached: dict[str, int] = field(default_factory=dict)
    bounds: dict[str, int] = field(default_factory=dict)


def solve_lexicographic(
    model: Model,
    phases: list[tuple[str, float]],
    objective_of: Callable[[str], dict[int, float]],
    reached: Callable[[str, FloatArray], int],
    *,
    deadline: float,
    gap: float,
    fallback: FloatArray | None = None,
) -> Lexicographic:
    """Maximise each ``(name, share of the remaining time)`` in turn, keeping each optimum as a floor.

    ``objective_of(name)`` is called when the phase starts, so it may add the columns it needs.
    """
    outcome = Lexicographic(status="optimal", values=fallback)
    for position, (name, share) in enumerate(phases):
        remaining = deadline - perf_counter()
        if remaining <= 0 and outcome.values is not None:
            outcome.status = "time_limit"
            break
        objective = objective_of(name)
        phase = model.maximise(objective, remaining * share, gap)
        if phase.values is None:
            if position == 0 and fallback is None:
                return Lexicographic(status=phase.status, values=None)
            outcome.status = "time_limit"
            break
        if phase.status == "time_limit":
            outcome.status = "time_limit"
        outcome.values = phase.values
        value = reached(name, phase.values)
        outcome.reached[name] = value
        if phase.bound is not None:
            outcome.bounds[name] = max(value, math.floor(phase.bound + 1e-6))
        if objective:
            model.row(list(objective.items()), value, math.inf)
    return outcome
