"""Positions and lookup tables shared by the solver, the baselines, the checker and the diagnostics.

Interest is summed per (theme, kecamatan): a kelurahan's kecamatan comes from the centres that name it
(or from the interest row itself for a kelurahan without a centre). OPDs are the distinct ``opd`` of the
themes; an (opd, month) without a capacity row has capacity 0 and is marked implicit.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from .types import PlanningInput


@dataclass(frozen=True, slots=True)
class CenterClass:
    """Centres of one kecamatan with the same (trainings, rooms): interchangeable for the solver."""

    kecamatan: int
    trainings: int
    rooms: int
    centers: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Index:
    data: PlanningInput
    month_pos: dict[str, int]
    theme_pos: dict[str, int]
    center_pos: dict[str, int]
    opds: tuple[str, ...]
    theme_opd: tuple[int, ...]
    kecamatans: tuple[str, ...]
    center_kecamatan: tuple[int, ...]
    headcount: tuple[int, ...]
    interest: dict[tuple[int, int], int]
    opd_limit: tuple[tuple[int, ...], ...]
    opd_row_given: frozenset[tuple[int, int]]
    classes: tuple[CenterClass, ...]
    centers_of_kecamatan: tuple[tuple[int, ...], ...]
    themes_of_opd: tuple[tuple[int, ...], ...]

    @property
    def month_count(self) -> int:
        return len(self.data.months)

    @property
    def slots(self) -> int:
        return sum(center.trainings for center in self.data.centers)

    def interest_limit(self, theme: int, kecamatan: int) -> int | None:
        """Most batches of ``theme`` the interest rule allows in ``kecamatan`` (None: no limit)."""
        minimum = self.data.themes[theme].minimum
        if minimum == 0:
            return None
        return self.interest.get((theme, kecamatan), 0) // minimum


def build_index(data: PlanningInput) -> Index:
    """Index a validated input."""
    kecamatan_of = {center.kelurahan: center.kecamatan for center in data.centers}
    kecamatan_names = {center.kecamatan for center in data.centers}
    kecamatan_names.update(row.kecamatan for row in data.interest if row.kecamatan is not None)
    kecamatans = tuple(sorted(kecamatan_names))
    kecamatan_pos = {name: position for position, name in enumerate(kecamatans)}
    theme_pos = {theme.id: position for position, theme in enumerate(data.themes)}
    opds = tuple(sorted({theme.opd for theme in data.themes}))
    opd_pos = {opd: position for position, opd in enumerate(opds)}
    month_pos = {month: position for position, month in enumerate(data.months)}

    headcount = [0] * len(data.themes)
    for demand in data.demand:
        headcount[theme_pos[demand.theme]] += demand.headcount
    interest: dict[tuple[int, int], int] = defaultdict(int)
    for row in data.interest:
        kecamatan = row.kecamatan if row.kecamatan is not None else kecamatan_of[row.kelurahan]
        interest[(theme_pos[row.theme], kecamatan_pos[kecamatan])] += row.residents
    limits = [[0] * len(data.months) for _ in opds]
    given: set[tuple[int, int]] = set()
    for capacity in data.opd_capacity:
        opd, month = opd_pos[capacity.opd], month_pos[capacity.month]
        limits[opd][month] = capacity.batches
        given.add((opd, month))

    center_kecamatan = tuple(kecamatan_pos[center.kecamatan] for center in data.centers)
    grouped: dict[tuple[int, int, int], list[int]] = defaultdict(list)
    members: list[list[int]] = [[] for _ in kecamatans]
    for position, center in enumerate(data.centers):
        members[center_kecamatan[position]].append(position)
        if center.trainings > 0:
            grouped[(center_kecamatan[position], center.trainings, center.rooms)].append(position)
    classes = tuple(
        CenterClass(kecamatan=key[0], trainings=key[1], rooms=key[2], centers=tuple(centers))
        for key, centers in sorted(grouped.items())
    )
    theme_opd = tuple(opd_pos[theme.opd] for theme in data.themes)
    themes_of_opd = tuple(
        tuple(theme for theme, owner in enumerate(theme_opd) if owner == opd) for opd in range(len(opds))
    )
    return Index(
        data=data,
        month_pos=month_pos,
        theme_pos=theme_pos,
        center_pos={center.id: position for position, center in enumerate(data.centers)},
        opds=opds,
        theme_opd=theme_opd,
        kecamatans=kecamatans,
        center_kecamatan=center_kecamatan,
        headcount=tuple(headcount),
        interest=dict(interest),
        opd_limit=tuple(tuple(row) for row in limits),
        opd_row_given=frozenset(given),
        classes=classes,
        centers_of_kecamatan=tuple(tuple(centers) for centers in members),
        themes_of_opd=themes_of_opd,
    )
