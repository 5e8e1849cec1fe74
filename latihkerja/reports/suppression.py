"""Small-cell suppression for open data (framework-free).

Rule (docs/reports.md): in a table of person counts,
1. primary: every cell with 0 < value < THRESHOLD is suppressed;
2. a published total below THRESHOLD (and above 0) is suppressed together with every cell of its group, and
   counts as one unknown in any larger group containing it;
3. complementary: a group is a set of cells whose sum is published (the table's total, or a kecamatan's figure
   for its kelurahan). If a group has exactly one suppressed cell, the smallest other published cell of that
   group is suppressed too, repeated until no group has exactly one — one unknown in a published sum could be
   recovered by subtraction, two or more cannot (only their sum is known, which is >= the larger of them).
   A `linked` set is a relation between published tables (a kecamatan's cell and its kelurahan's cells, an
   OPD's cell and its themes'): one figure is the sum of the others, so it too may not hold exactly one
   hidden cell.
Zero cells are published (nobody to protect) unless chosen as a complement when nothing else is left.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import TypeVar

K = TypeVar("K", bound=Hashable)

THRESHOLD = 5


def suppress(
    values: Mapping[K, int],
    groups: Sequence[Sequence[K]],
    *,
    threshold: int = THRESHOLD,
    linked: Sequence[Sequence[K]] = (),
) -> set[K]:
    """The keys of `values` to hide. Each group lists keys whose sum is published elsewhere; each linked set,
    keys of which one is the sum of the others (rule 3 applies to both)."""
    hidden = {key for key, value in values.items() if 0 < value < threshold}
    small_groups = [frozenset(group) for group in groups if 0 < sum(values[key] for key in group) < threshold]
    for small in small_groups:
        hidden.update(small)
    changed = True
    while changed:
        changed = False
        for group in [*groups, *linked]:
            members = set(group)
            # A smaller group whose own total is hidden is one unknown here: only its sum could be learnt.
            units: set[K | frozenset[K]] = set()
            for key in members & hidden:
                inner = next((g for g in small_groups if key in g and g < members), None)
                units.add(inner if inner is not None else key)
            if len(units) != 1:
                continue
            (unit,) = units
            taken = unit if isinstance(unit, frozenset) else {unit}
            candidates = sorted(
                (key for key in members if key not in hidden and key not in taken),
                key=lambda key: (values[key] == 0, values[key], str(key)),
            )
            if candidates:
                hidden.add(candidates[0])
                changed = True
    return hidden


def total_is_hidden(total: int, *, threshold: int = THRESHOLD) -> bool:
    return 0 < total < threshold
