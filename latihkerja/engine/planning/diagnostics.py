"""Explaining a plan: which rules are binding, and for an impossible target, which rules block it.

Feasible plan — a rule instance is reported when it is tight *and* it restricts a theme that still has
value (uncovered demand, or interested residents without a seat), so lifting it could raise the
objective:

* ``budget`` — swapping the cheapest planned batch for a batch of a valuable theme would overrun it;
* ``opd_capacity`` — the OPD is at its limit that month and supervises a valuable theme (``implicit``:
  the limit is the 0 of a missing row);
* ``interest`` — one more batch of a theme with uncovered demand would need more interested residents
  of the kecamatan than there are (rows with residents only);
* ``trainings_fixed`` — demand is left uncovered while every centre runs exactly its target, so the
  fixed number of batches limits coverage.

This is an explanation, not a sensitivity proof: a tight rule may matter only together with others.

Infeasible targets — first each rule that blocks on its own, with the amount (exact, closed-form
necessary conditions):

* ``rooms`` per centre: trainings > rooms × months (``short`` batches);
* ``interest`` per kecamatan: Σ_themes ⌊residents / minimum⌋ < the batches its centres must run;
* ``opd_capacity``: all OPDs' capacity over all months < the batches all centres must run (with the
  implicit zero months listed);
* ``budget``: the cheapest way to fill what interest allows still costs more (``short`` in Rupiah);

then one ``centre_trainings`` entry per short centre (``planned`` of ``trainings``) with the rules that
stop one more batch there (``blocked_by``; ``no_rule`` when one more batch would fit, which only a
heuristic plan or a solve stopped by its time limit or gap leaves), and the tight instances of those rules.
"""

from __future__ import annotations

from .evaluation import Counts, count_batches
from .index import Index
from .types import Batch, BindingEntry, Shortfall


def target_failures(index: Index) -> list[BindingEntry]:
    """Rules that on their own make the centre targets impossible, with the amount they fall short."""
    data = index.data
    months = index.month_count
    entries: list[BindingEntry] = []
    for center in data.centers:
        if center.trainings > center.rooms * months:
            entries.append(
                {
                    "rule": "rooms",
                    "center": center.id,
                    "trainings": center.trainings,
                    "rooms": center.rooms,
                    "months": months,
                    "max": center.rooms * months,
                    "short": center.trainings - center.rooms * months,
                }
            )
    reachable = _reachable_slots(index)
    for kecamatan, name in enumerate(index.kecamatans):
        limits = [index.interest_limit(theme, kecamatan) for theme in range(len(data.themes))]
        if reachable[kecamatan] == 0 or any(limit is None for limit in limits):
            continue
        allowed = sum(limit for limit in limits if limit is not None)
        if allowed < reachable[kecamatan]:
            entries.append(
                {
                    "rule": "interest",
                    "kecamatan": name,
                    "slots": reachable[kecamatan],
                    "max": allowed,
                    "short": reachable[kecamatan] - allowed,
                }
            )
    capacity = sum(sum(row) for row in index.opd_limit)
    if capacity < index.slots:
        entries.append(
            {
                "rule": "opd_capacity",
                "slots": index.slots,
                "max": capacity,
                "short": index.slots - capacity,
                "implicit_zero": [
                    f"{opd} {data.months[month]}"
                    for position, opd in enumerate(index.opds)
                    for month in range(months)
                    if (position, month) not in index.opd_row_given
                ],
            }
        )
    cheapest = _cheapest_fill(index, reachable)
    if cheapest > data.budget:
        entries.append(
            {"rule": "budget", "limit": data.budget, "min_cost": cheapest, "short": cheapest - data.budget}
        )
    return entries


def _reachable_slots(index: Index) -> list[int]:
    months = index.month_count
    reachable = [0] * len(index.kecamatans)
    for position, center in enumerate(index.data.centers):
        reachable[index.center_kecamatan[position]] += min(center.trainings, center.rooms * months)
    return reachable


def _cheapest_fill(index: Index, reachable: list[int]) -> int:
    """Least cost of filling each kecamatan's slots with the cheapest themes interest allows there."""
    data = index.data
    usable = [theme for theme in range(len(data.themes)) if sum(index.opd_limit[index.theme_opd[theme]]) > 0]
    usable.sort(key=lambda theme: data.themes[theme].cost)
    total = 0
    for kecamatan, slots in enumerate(reachable):
        for theme in usable:
            if slots == 0:
                break
            limit = index.interest_limit(theme, kecamatan)
            take = slots if limit is None else min(slots, limit)
            total += take * data.themes[theme].cost
            slots -= take
    return total


def _valuable_themes(index: Index, counts: Counts) -> set[int]:
    """Themes for which one more batch somewhere could raise covered demand or enrolment."""
    themes = index.data.themes
    valuable = set()
    for theme, spec in enumerate(themes):
        if spec.capacity * counts.by_theme[theme] < index.headcount[theme]:
            valuable.add(theme)
    for (theme, kecamatan), residents in index.interest.items():
        if themes[theme].capacity * counts.by_theme_kecamatan[(theme, kecamatan)] < residents:
            valuable.add(theme)
    return valuable


def binding_rules(index: Index, batches: list[Batch]) -> list[BindingEntry]:
    """Tight rules that limit the objective of a plan meeting every target."""
    data = index.data
    counts = count_batches(index, batches)
    valuable = _valuable_themes(index, counts)
    entries: list[BindingEntry] = []
    slack = data.budget - counts.cost
    cheapest_planned = min((data.themes[index.theme_pos[b.theme]].cost for b in batches), default=0)
    if any(data.themes[theme].cost - cheapest_planned > slack for theme in valuable):
        entries.append({"rule": "budget", "used": counts.cost, "limit": data.budget, "slack": slack})
    valuable_opds = {index.theme_opd[theme] for theme in valuable}
    for opd in sorted(valuable_opds):
        for month in range(index.month_count):
            used = counts.by_opd_month[(opd, month)]
            if used >= index.opd_limit[opd][month]:
                entries.append(_opd_entry(index, opd, month, used))
    uncovered = [
        theme
        for theme, spec in enumerate(data.themes)
        if spec.capacity * counts.by_theme[theme] < index.headcount[theme]
    ]
    has_slots = {index.center_kecamatan[c] for c, center in enumerate(data.centers) if center.trainings > 0}
    for theme in uncovered:
        for kecamatan in sorted(has_slots):
            entry = _interest_entry(index, counts, theme, kecamatan)
            if entry is not None:
                entries.append(entry)
    if uncovered:
        entries.append({"rule": "trainings_fixed", "slots": index.slots, "used": len(batches)})
    return entries


def _opd_entry(index: Index, opd: int, month: int, used: int) -> BindingEntry:
    return {
        "rule": "opd_capacity",
        "opd": index.opds[opd],
        "month": index.data.months[month],
        "used": used,
        "limit": index.opd_limit[opd][month],
        "implicit": (opd, month) not in index.opd_row_given,
    }


def _interest_entry(index: Index, counts: Counts, theme: int, kecamatan: int) -> BindingEntry | None:
    """The interest rule of (theme, kecamatan) when it forbids one more batch and has residents."""
    residents = index.interest.get((theme, kecamatan), 0)
    spec = index.data.themes[theme]
    batches = counts.by_theme_kecamatan[(theme, kecamatan)]
    if residents == 0 or spec.minimum * (batches + 1) <= residents:
        return None
    return {
        "rule": "interest",
        "theme": spec.id,
        "kecamatan": index.kecamatans[kecamatan],
        "residents": residents,
        "minimum": spec.minimum,
        "batches": batches,
        "limit": residents // spec.minimum,
    }


def shortfall_explanation(
    index: Index, batches: list[Batch], shortfall: tuple[Shortfall, ...]
) -> list[BindingEntry]:
    """One entry per short centre with the rules that stop one more batch there, then those rules."""
    data = index.data
    counts = count_batches(index, batches)
    slack = data.budget - counts.cost
    entries: list[BindingEntry] = []
    blocking_opd: set[tuple[int, int]] = set()
    blocking_interest: set[tuple[int, int]] = set()
    budget_blocks = False
    for item in shortfall:
        center = index.center_pos[item.center]
        spec = data.centers[center]
        kecamatan = index.center_kecamatan[center]
        free = [m for m in range(index.month_count) if counts.by_center_month[(center, m)] < spec.rooms]
        blocked: set[str] = set()
        if not free:
            blocked.add("rooms")
        else:
            for theme, theme_spec in enumerate(data.themes):
                reasons: set[str] = set()
                limit = index.interest_limit(theme, kecamatan)
                if limit is not None and counts.by_theme_kecamatan[(theme, kecamatan)] + 1 > limit:
                    reasons.add("interest")
                    blocking_interest.add((theme, kecamatan))
                if theme_spec.cost > slack:
                    reasons.add("budget")
                opd = index.theme_opd[theme]
                open_months = [
                    m
                    for m in range(index.month_count)
                    if counts.by_opd_month[(opd, m)] < index.opd_limit[opd][m]
                ]
                if not set(open_months) & set(free):
                    reasons.add("opd_capacity")
                    blocking_opd.update((opd, m) for m in free)
                    if open_months:
                        reasons.add("rooms")
                if not reasons:
                    # One more batch fits here (a heuristic plan, or the solver stopped at its time limit or gap).
                    blocked.add("no_rule")
                blocked |= reasons
        budget_blocks = budget_blocks or "budget" in blocked
        entries.append(
            {
                "rule": "centre_trainings",
                "center": spec.id,
                "kecamatan": index.kecamatans[kecamatan],
                "trainings": item.trainings,
                "planned": item.planned,
                "short": item.short,
                "blocked_by": sorted(blocked),
            }
        )
    if budget_blocks:
        entries.append({"rule": "budget", "used": counts.cost, "limit": data.budget, "slack": slack})
    for opd, month in sorted(blocking_opd):
        entries.append(_opd_entry(index, opd, month, counts.by_opd_month[(opd, month)]))
    for theme, kecamatan in sorted(blocking_interest):
        entry = _interest_entry(index, counts, theme, kecamatan)
        if entry is not None:
            entries.append(entry)
    return entries
