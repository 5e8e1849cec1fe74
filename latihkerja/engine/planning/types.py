"""Plain data of the training planner: its input, a planned batch, a plan and an evaluation.

Every dataclass is frozen so that a plan handed to the app cannot be edited in place by accident; the app
edits a plan by building a new list of :class:`Batch` and calling :func:`~.evaluation.evaluate`.
Amounts of money are whole Rupiah (``int``); counts are ``int``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

#: A JSON scalar or a list of strings, the values a binding entry carries.
EntryValue = str | int | float | bool | list[str] | None
#: One rule instance in ``binding`` (``{"rule": "budget", "limit": …, "used": …, "slack": …}``).
BindingEntry = dict[str, EntryValue]


class PlanningInputError(ValueError):
    """The input breaks the contract; the message is one line naming the field and the fault."""


class PlanningSolverError(RuntimeError):
    """The solver returned something the planner cannot turn into a valid plan (a bug, never bad input)."""


@dataclass(frozen=True, slots=True)
class Center:
    """A training centre (BLK): it runs exactly ``trainings`` batches, at most ``rooms`` in one month."""

    id: str
    kelurahan: str
    kecamatan: str
    trainings: int
    rooms: int


@dataclass(frozen=True, slots=True)
class Theme:
    """A training theme supervised by one OPD: a batch costs ``cost`` Rupiah, seats ``capacity`` residents
    and needs ``minimum`` interested residents of the centre's kecamatan to open."""

    id: str
    opd: str
    cost: int
    capacity: int
    minimum: int


@dataclass(frozen=True, slots=True)
class Demand:
    """Employers' headcount for a theme (rows for the same theme add up)."""

    theme: str
    headcount: int


@dataclass(frozen=True, slots=True)
class Interest:
    """Residents of a kelurahan interested in a theme (rows for the same pair add up).

    ``kecamatan`` is optional: it is needed only for a kelurahan that no centre names.
    """

    theme: str
    kelurahan: str
    residents: int
    kecamatan: str | None = None


@dataclass(frozen=True, slots=True)
class OpdCapacity:
    """How many batches an OPD can supervise in a month; a missing (opd, month) row means 0."""

    opd: str
    month: str
    batches: int


@dataclass(frozen=True, slots=True)
class PlanningInput:
    """One planning problem: months ``YYYY-MM``, centres, themes, demand, interest, OPD capacity, budget."""

    months: tuple[str, ...]
    centers: tuple[Center, ...]
    themes: tuple[Theme, ...]
    demand: tuple[Demand, ...]
    interest: tuple[Interest, ...]
    opd_capacity: tuple[OpdCapacity, ...]
    budget: int


@dataclass(frozen=True, slots=True, order=True)
class Batch:
    """One planned batch (angkatan): a theme at a centre in a month."""

    center: str
    theme: str
    month: str

    def to_json(self) -> dict[str, str]:
        return {"center": self.center, "theme": self.theme, "month": self.month}


@dataclass(frozen=True, slots=True)
class Shortfall:
    """A centre that runs fewer batches than its target."""

    center: str
    trainings: int
    planned: int

    @property
    def short(self) -> int:
        return self.trainings - self.planned

    def to_json(self) -> dict[str, str | int]:
        return {
            "center": self.center,
            "trainings": self.trainings,
            "planned": self.planned,
            "short": self.short,
        }


@dataclass(frozen=True, slots=True)
class Evaluation:
    """Coverage figures of a list of batches and every rule it breaks.

    ``demand_covered`` is Σ over themes of min(headcount, capacity × batches); ``enrolment`` is Σ over theme
    and kecamatan of min(interested residents, capacity × batches). ``feasible`` means no rule is broken
    and every centre runs exactly its target.
    """

    covered: Mapping[str, int]
    demand_covered: int
    demand_total: int
    enrolment: int
    cost: int
    batch_count: int
    planned: Mapping[str, int]
    shortfall: tuple[Shortfall, ...]
    violations: tuple[BindingEntry, ...]

    @property
    def feasible(self) -> bool:
        return not self.violations and not self.shortfall

    @property
    def centers_meeting_target(self) -> int:
        """Centres running exactly their target: neither short of it nor over it (a ``centre_trainings`` rule)."""
        over = sum(1 for v in self.violations if v.get("rule") == "centre_trainings")
        return len(self.planned) - len(self.shortfall) - over


@dataclass(frozen=True, slots=True)
class Plan:
    """A plan and how good it is.

    ``objective`` is the covered demand, ``bound`` the solver's proven upper bound on it (``None`` for the
    baselines), ``gap`` = (bound − objective) / bound. ``enrolment`` and ``enrolment_bound`` are the second
    objective (the bound holds given the covered demand reached). ``binding`` names the rules that are
    tight and limit the objective, or, when ``feasible`` is false, each rule that blocks and by how much.
    ``stages`` records how the solver got there (e.g. ``month_free``, ``flow_schedule``, ``greedy_kept``).
    When ``feasible`` is false the bounds hold among plans with as many centres on target and batches as
    the relaxed model reached (``extra["centers_meeting_target_bound"]`` bounds the centres on target);
    ``extra`` also carries ``centers``, ``centers_meeting_target``, ``slots`` and ``batches_planned``.
    """

    feasible: bool
    status: str
    method: str
    batches: tuple[Batch, ...]
    covered: Mapping[str, int]
    objective: int
    bound: int | None
    gap: float | None
    enrolment: int
    enrolment_bound: int | None
    cost: int
    binding: tuple[BindingEntry, ...]
    shortfall: tuple[Shortfall, ...]
    seconds: float
    stages: tuple[str, ...] = ()
    extra: Mapping[str, int] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The CLI's output document (key order is part of the contract's readability, not its meaning)."""
        return {
            "feasible": self.feasible,
            "status": self.status,
            "method": self.method,
            "batches": [batch.to_json() for batch in self.batches],
            "covered": dict(self.covered),
            "objective": self.objective,
            "bound": self.bound,
            "gap": self.gap,
            "enrolment": self.enrolment,
            "enrolment_bound": self.enrolment_bound,
            "cost": self.cost,
            "binding": [dict(entry) for entry in self.binding],
            "shortfall": [item.to_json() for item in self.shortfall],
            "seconds": self.seconds,
            "stages": list(self.stages),
            **dict(self.extra),
        }
