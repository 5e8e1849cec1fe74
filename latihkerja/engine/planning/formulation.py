"""The aggregated MILP formulations and the exact disaggregation of their solutions to batches.

Why aggregate: the objective and the interest rule only see batches per (theme, kecamatan); months only
matter for rooms and OPD capacity; centres of one kecamatan with the same (trainings, rooms) are
interchangeable. So instead of one integer per (centre, theme, month) the **full** model has

* ``x[t,k]``  batches of theme t in kecamatan k (integer; bounded by the interest rule
  ⌊residents / minimum⌋, the budget, the kecamatan's slots and the OPD's total capacity);
* ``v[o,k,m]`` batches supervised by OPD o in kecamatan k in month m (integer);
* ``z[g,m]``  batches of centre class g (n_g centres of one kecamatan with equal trainings and rooms)
  in month m, 0 ≤ z ≤ n_g·rooms (integer);
* ``d[t]`` ≤ min(headcount, capacity·Σ_k x[t,k]) and ``e[t,k]`` ≤ min(residents, capacity·x[t,k])
  (continuous; equal to the min at an optimum);

with rows Σ_m z[g,m] = n_g·trainings; Σ_{g∈k} z[g,m] = Σ_o v[o,k,m]; Σ_{t∈o} x[t,k] = Σ_m v[o,k,m];
Σ_k v[o,k,m] ≤ limit[o,m]; Σ cost·x ≤ budget (costs divided by their gcd so the row is integral and
rounding a solution cannot breach it).

The aggregation is exact both ways: every plan gives a feasible (x, v, z), and :func:`disaggregate`
turns every feasible integral (x, v, z) into batches satisfying every rule. Step 1 deals each class's
month totals to its centres cyclically (unit i of the month-ordered list goes to centre i mod n_g): each
centre gets exactly ``trainings`` and at most ⌈z[g,m]/n_g⌉ ≤ rooms in a month. Step 2 pairs each
(k, m)'s centre slots with its OPD units (equal counts by a link row); step 3 pairs each (o, k)'s slots
with its theme units (equal counts by the other link row).

**Relaxed** variant (targets that cannot all be met): per class an integer ``met[g]`` ∈ [0, n_g] and
the class's batches split into ``z`` (Σ_m z = trainings·met, z ≤ rooms·met) and ``z_rest``
(Σ_m z_rest ≤ trainings·(n_g − met), z_rest ≤ rooms·(n_g − met)); dealing each part over its own
centres gives ``met`` centres exactly on target and the rest at most on target — exact again.

The **month-free** model drops v and z: per kecamatan Σ_t x[t,k] equals its slots (relaxed: Σ_g r[g]
with trainings·met[g] ≤ r[g] ≤ n_g·min(trainings, rooms·months)), per OPD Σ x ≤ Σ_m limit[o,m], per
(OPD, kecamatan) Σ_{t∈o} x[t,k] ≤ Σ_m min(limit[o,m], rooms of k). Every full solution maps to a
month-free one, so it is a relaxation: its dual bounds are valid bounds of the full problem.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

from .index import Index
from .model import FloatArray, Model
from .types import Batch, PlanningSolverError

# HiGHS returns integers within its integrality tolerance (1e-6); anything further off is a bug.
_INTEGRALITY_SLACK = 1e-4


@dataclass
class Formulation:
    index: Index
    relaxed: bool
    month_free: bool
    model: Model = field(default_factory=Model)
    x: dict[tuple[int, int], int] = field(default_factory=dict)
    v: dict[tuple[int, int, int], int] = field(default_factory=dict)
    z: dict[tuple[int, int], int] = field(default_factory=dict)
    z_rest: dict[tuple[int, int], int] = field(default_factory=dict)
    met: dict[int, int] = field(default_factory=dict)
    d: dict[int, int] = field(default_factory=dict)
    e: dict[tuple[int, int], int] = field(default_factory=dict)
    r: dict[int, int] = field(default_factory=dict)

    def objective(self, name: str) -> dict[int, float]:
        """The columns of a named objective: met, batches, demand, enrolment (``schedule``: none).

        The enrolment columns and rows are added on first use: the phases before it solve faster
        without them (at the national shape they are half the model).
        """
        if name == "enrolment" and not self.e:
            self._add_enrolment()
        cols = {
            "met": list(self.met.values()),
            "batches": list(self.x.values()),
            "demand": list(self.d.values()),
            "enrolment": list(self.e.values()),
        }.get(name, [])
        return dict.fromkeys(cols, 1.0)

    def reached(self, name: str, values: FloatArray) -> int:
        """The named objective's exact value at an integral solution."""
        if name == "met":
            return sum(integral(values, col) for col in self.met.values())
        counts = self.x_values(values)
        if name == "batches":
            return sum(counts.values())
        themes = self.index.data.themes
        if name == "demand":
            per_theme: dict[int, int] = defaultdict(int)
            for (theme, _), count in counts.items():
                per_theme[theme] += count
            return sum(
                min(self.index.headcount[t], themes[t].capacity * count) for t, count in per_theme.items()
            )
        if name == "enrolment":
            return sum(
                min(self.index.interest.get(key, 0), themes[key[0]].capacity * count)
                for key, count in counts.items()
            )
        return 0

    def x_values(self, values: FloatArray) -> dict[tuple[int, int], int]:
        return {key: integral(values, col) for key, col in self.x.items()}

    def class_plan(self, values: FloatArray) -> dict[int, tuple[int, int]]:
        """Month-free relaxed solution per class: (centres on target, batches of the class)."""
        return {
            number: (integral(values, self.met[number]) if number in self.met else 0, integral(values, col))
            for number, col in self.r.items()
        }

    def _add_enrolment(self) -> None:
        themes = self.index.data.themes
        for (theme, kecamatan), col in self.x.items():
            residents = self.index.interest.get((theme, kecamatan), 0)
            if residents > 0:
                self.e[(theme, kecamatan)] = self.model.var(residents, integer=False)
                self.model.row(
                    [(self.e[(theme, kecamatan)], 1.0), (col, -themes[theme].capacity)], -math.inf, 0
                )


def batch_upper_bound(index: Index, theme: int, kecamatan: int) -> int:
    """Most batches of ``theme`` any plan can place in ``kecamatan`` (each rule taken alone)."""
    data = index.data
    months = index.month_count
    bound = sum(
        min(data.centers[center].trainings, data.centers[center].rooms * months)
        for center in index.centers_of_kecamatan[kecamatan]
    )
    limit = index.interest_limit(theme, kecamatan)
    if limit is not None:
        bound = min(bound, limit)
    cost = data.themes[theme].cost
    if cost > 0:
        bound = min(bound, data.budget // cost)
    return min(bound, sum(index.opd_limit[index.theme_opd[theme]]))


def formulate(
    index: Index,
    *,
    relaxed: bool,
    month_free: bool,
    x_lower: dict[tuple[int, int], int] | None = None,
    x_upper: dict[tuple[int, int], int] | None = None,
) -> Formulation:
    """Build a model; ``x_lower``/``x_upper`` fix or cap x (pairs missing from ``x_upper`` get 0)."""
    data = index.data
    form = Formulation(index=index, relaxed=relaxed, month_free=month_free)
    model = form.model
    for theme in range(len(data.themes)):
        for kecamatan in range(len(index.kecamatans)):
            most = batch_upper_bound(index, theme, kecamatan)
            if x_upper is not None:
                most = min(most, x_upper.get((theme, kecamatan), 0))
            if most > 0:
                least = 0 if x_lower is None else x_lower.get((theme, kecamatan), 0)
                form.x[(theme, kecamatan)] = model.var(most, lower=least)
    if x_lower is not None and any(count > 0 and key not in form.x for key, count in x_lower.items()):
        model.impossible = True
    opd_themes_in: dict[tuple[int, int], list[int]] = defaultdict(list)
    for theme, kecamatan in form.x:
        opd_themes_in[(index.theme_opd[theme], kecamatan)].append(theme)
    month_rooms = [0] * len(index.kecamatans)
    for cls in index.classes:
        month_rooms[cls.kecamatan] += cls.rooms * len(cls.centers)
    if month_free:
        _month_free_rows(form, opd_themes_in, month_rooms)
    else:
        _month_rows(form, opd_themes_in, month_rooms)

    scale = math.gcd(*[data.themes[theme].cost for theme, _ in form.x if data.themes[theme].cost > 0]) or 1
    model.row(
        [(col, data.themes[theme].cost / scale) for (theme, _), col in form.x.items()],
        -math.inf,
        data.budget // scale,
    )
    by_theme: dict[int, list[int]] = defaultdict(list)
    for (theme, _), col in form.x.items():
        by_theme[theme].append(col)
    for theme, cols in sorted(by_theme.items()):
        if index.headcount[theme] > 0:
            form.d[theme] = model.var(index.headcount[theme], integer=False)
            capacity = data.themes[theme].capacity
            model.row([(form.d[theme], 1.0), *[(col, -capacity) for col in cols]], -math.inf, 0)
    return form


def _month_free_rows(
    form: Formulation, opd_themes_in: dict[tuple[int, int], list[int]], month_rooms: list[int]
) -> None:
    index, model = form.index, form.model
    months = index.month_count
    slots = [0] * len(index.kecamatans)
    class_batches: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for number, cls in enumerate(index.classes):
        count = len(cls.centers)
        if not form.relaxed:
            slots[cls.kecamatan] += count * cls.trainings
            continue
        batches = form.r[number] = model.var(count * min(cls.trainings, cls.rooms * months))
        class_batches[cls.kecamatan].append((batches, -1.0))
        if cls.trainings <= cls.rooms * months:
            form.met[number] = model.var(count)
            model.row([(batches, 1.0), (form.met[number], -cls.trainings)], 0, math.inf)
    in_kecamatan: dict[int, list[tuple[int, float]]] = defaultdict(list)
    of_opd: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for (theme, kecamatan), col in form.x.items():
        in_kecamatan[kecamatan].append((col, 1.0))
        of_opd[index.theme_opd[theme]].append((col, 1.0))
    for kecamatan in range(len(index.kecamatans)):
        terms = in_kecamatan[kecamatan] + class_batches[kecamatan]
        model.row(terms, slots[kecamatan], slots[kecamatan])
    for opd in range(len(index.opds)):
        model.row(of_opd[opd], -math.inf, sum(index.opd_limit[opd]))
    for (opd, kecamatan), themes in opd_themes_in.items():
        reach = sum(min(limit, month_rooms[kecamatan]) for limit in index.opd_limit[opd])
        model.row([(form.x[(t, kecamatan)], 1.0) for t in themes], -math.inf, reach)


def _month_rows(
    form: Formulation, opd_themes_in: dict[tuple[int, int], list[int]], month_rooms: list[int]
) -> None:
    index, model = form.index, form.model
    months = range(index.month_count)
    for (opd, kecamatan), themes in sorted(opd_themes_in.items()):
        reach = sum(model.upper[form.x[(theme, kecamatan)]] for theme in themes)
        for month in months:
            upper = min(index.opd_limit[opd][month], month_rooms[kecamatan], reach)
            if upper > 0:
                form.v[(opd, kecamatan, month)] = model.var(upper)
    for number, cls in enumerate(index.classes):
        count = len(cls.centers)
        if cls.rooms > 0:
            for month in months:
                form.z[(number, month)] = model.var(count * cls.rooms)
                if form.relaxed:
                    form.z_rest[(number, month)] = model.var(count * cls.rooms)
        on_target = [(form.z[(number, m)], 1.0) for m in months if (number, m) in form.z]
        rest = [(form.z_rest[(number, m)], 1.0) for m in months if (number, m) in form.z_rest]
        if not form.relaxed:
            model.row(on_target, count * cls.trainings, count * cls.trainings)
        elif cls.trainings <= cls.rooms * index.month_count:
            met = form.met[number] = model.var(count)
            for month in months:
                model.row([(form.z[(number, month)], 1.0), (met, -cls.rooms)], -math.inf, 0)
                model.row(
                    [(form.z_rest[(number, month)], 1.0), (met, cls.rooms)], -math.inf, count * cls.rooms
                )
            model.row([*on_target, (met, -cls.trainings)], 0, 0)
            model.row([*rest, (met, cls.trainings)], -math.inf, count * cls.trainings)
        else:
            # No centre of the class can meet its target: everything it runs is short of it.
            model.row(on_target, 0, 0)
            model.row(rest, -math.inf, count * cls.trainings)
    classes_in: dict[int, list[int]] = defaultdict(list)
    for number, cls in enumerate(index.classes):
        classes_in[cls.kecamatan].append(number)
    for kecamatan in range(len(index.kecamatans)):
        for month in months:
            terms = [(form.z[(g, month)], 1.0) for g in classes_in[kecamatan] if (g, month) in form.z]
            terms += [
                (form.z_rest[(g, month)], 1.0) for g in classes_in[kecamatan] if (g, month) in form.z_rest
            ]
            terms += [
                (form.v[(opd, kecamatan, month)], -1.0)
                for opd in range(len(index.opds))
                if (opd, kecamatan, month) in form.v
            ]
            model.row(terms, 0, 0)
    for (opd, kecamatan), themes in sorted(opd_themes_in.items()):
        terms = [(form.x[(theme, kecamatan)], 1.0) for theme in themes]
        terms += [(form.v[(opd, kecamatan, m)], -1.0) for m in months if (opd, kecamatan, m) in form.v]
        model.row(terms, 0, 0)
    by_opd_month: dict[tuple[int, int], list[tuple[int, float]]] = defaultdict(list)
    for (opd, _, month), col in form.v.items():
        by_opd_month[(opd, month)].append((col, 1.0))
    for (opd, month), terms in sorted(by_opd_month.items()):
        model.row(terms, -math.inf, index.opd_limit[opd][month])


def integral(values: FloatArray, col: int) -> int:
    value = float(values[col])
    rounded = round(value)
    if abs(value - rounded) > _INTEGRALITY_SLACK:
        raise PlanningSolverError(f"solver returned a fractional batch count {value!r}")
    return int(rounded)


def _deal(centers: tuple[int, ...], month_units: list[int], table: list[list[int]]) -> None:
    """Give the month-ordered units to ``centers`` cyclically (the module docstring says why it fits)."""
    if not centers:
        if sum(month_units):
            raise PlanningSolverError("solver placed batches in an empty centre class")
        return
    unit = 0
    for month, units in enumerate(month_units):
        for _ in range(units):
            table[centers[unit % len(centers)]][month] += 1
            unit += 1


def disaggregate(form: Formulation, values: FloatArray) -> list[Batch]:
    """Batches (centre, theme, month) of an integral solution of the full model."""
    if form.month_free:
        raise PlanningSolverError("a month-free solution has no months to disaggregate")
    months = form.index.month_count
    classes = range(len(form.index.classes))
    z = {key: integral(values, col) for key, col in form.z.items()}
    z_rest = {key: integral(values, col) for key, col in form.z_rest.items()}
    met = {number: integral(values, col) for number, col in form.met.items()}
    return assemble(
        form.index,
        form.x_values(values),
        {key: integral(values, col) for key, col in form.v.items()},
        {number: [z.get((number, m), 0) for m in range(months)] for number in classes},
        {number: [z_rest.get((number, m), 0) for m in range(months)] for number in classes},
        met if form.relaxed else None,
    )


def assemble(
    index: Index,
    x: dict[tuple[int, int], int],
    v: dict[tuple[int, int, int], int],
    z: dict[int, list[int]],
    z_rest: dict[int, list[int]],
    met: dict[int, int] | None,
) -> list[Batch]:
    """Batches from integral aggregate counts (``met`` None: every centre of a class is on target)."""
    data = index.data
    months = index.month_count
    table = [[0] * months for _ in data.centers]
    for number, cls in enumerate(index.classes):
        on_target = len(cls.centers) if met is None else met.get(number, 0)
        _deal(cls.centers[:on_target], z.get(number, [0] * months), table)
        _deal(cls.centers[on_target:], z_rest.get(number, [0] * months), table)

    slots_of: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    for kecamatan, centers in enumerate(index.centers_of_kecamatan):
        for month in range(months):
            slots = [center for center in centers for _ in range(table[center][month])]
            units = [opd for opd in range(len(index.opds)) for _ in range(v.get((opd, kecamatan, month), 0))]
            if len(slots) != len(units):
                raise PlanningSolverError(
                    f"kecamatan {index.kecamatans[kecamatan]!r}: slots and OPD batches differ"
                )
            for center, opd in zip(slots, units, strict=True):
                slots_of[(opd, kecamatan)].append((center, month))
    theme_units: dict[tuple[int, int], list[int]] = defaultdict(list)
    for (theme, kecamatan), count in sorted(x.items()):
        theme_units[(index.theme_opd[theme], kecamatan)].extend([theme] * count)
    batches: list[Batch] = []
    for key in sorted(set(slots_of) | set(theme_units)):
        opd_slots, units_of_themes = slots_of.get(key, []), theme_units.get(key, [])
        if len(opd_slots) != len(units_of_themes):
            raise PlanningSolverError(
                f"kecamatan {index.kecamatans[key[1]]!r}: OPD batches and themes differ"
            )
        for (center, month), theme in zip(opd_slots, units_of_themes, strict=True):
            batches.append(Batch(data.centers[center].id, data.themes[theme].id, data.months[month]))
    return batches
