"""Aggregate counts → batches: the dealing step keeps every per-centre rule and every aggregate count."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from latihkerja.engine.planning import Center, OpdCapacity, PlanningInput, Theme
from latihkerja.engine.planning.formulation import assemble
from latihkerja.engine.planning.index import build_index
from latihkerja.engine.planning.schedule import schedule_months

pytestmark = pytest.mark.unit

MONTHS = ("2022-01", "2022-02", "2022-03", "2022-04")


@st.composite
def plans_by_centre(draw: st.DrawFn) -> tuple[PlanningInput, list[list[list[int]]], set[int]]:
    """An input and, per centre and month, the themes it runs (rooms respected), plus centres off target."""
    months = MONTHS[: draw(st.integers(1, 4))]
    themes = tuple(Theme(f"T{t}", f"O{t % 3}", 1, 5, 0) for t in range(draw(st.integers(1, 5))))
    centers = []
    schedule: list[list[list[int]]] = []
    off_target: set[int] = set()
    for position in range(draw(st.integers(1, 9))):
        # Few (kecamatan, trainings, rooms) values, so that classes have several centres.
        rooms = draw(st.integers(1, 2))
        per_month = [draw(st.lists(st.integers(0, len(themes) - 1), max_size=rooms)) for _ in months]
        planned = sum(len(month) for month in per_month)
        trainings = planned
        if draw(st.booleans()) and planned < rooms * len(months):
            trainings = draw(st.integers(planned + 1, rooms * len(months)))
            off_target.add(position)
        kecamatan = f"D{draw(st.integers(0, 1))}"
        centers.append(Center(f"C{position}", f"K{position}", kecamatan, trainings, rooms))
        schedule.append(per_month)
    capacity = tuple(OpdCapacity(f"O{o}", month, 99) for o in range(min(3, len(themes))) for month in months)
    data = PlanningInput(months, tuple(centers), themes, (), (), capacity, 10**6)
    return data, schedule, off_target


def _aggregate(
    data: PlanningInput, schedule: list[list[list[int]]], off_target: set[int]
) -> tuple[
    Counter[tuple[int, int]],
    Counter[tuple[int, int, int]],
    dict[int, list[int]],
    dict[int, list[int]],
    dict[int, int],
]:
    index = build_index(data)
    x: Counter[tuple[int, int]] = Counter()
    v: Counter[tuple[int, int, int]] = Counter()
    z: dict[int, list[int]] = {}
    z_rest: dict[int, list[int]] = {}
    met: dict[int, int] = {}
    for number, cls in enumerate(index.classes):
        z[number] = [0] * len(data.months)
        z_rest[number] = [0] * len(data.months)
        met[number] = sum(1 for center in cls.centers if center not in off_target)
        for center in cls.centers:
            target = z_rest[number] if center in off_target else z[number]
            for month, themes in enumerate(schedule[center]):
                target[month] += len(themes)
    for center, per_month in enumerate(schedule):
        kecamatan = index.center_kecamatan[center]
        for month, themes in enumerate(per_month):
            for theme in themes:
                x[(theme, kecamatan)] += 1
                v[(index.theme_opd[theme], kecamatan, month)] += 1
    return x, v, z, z_rest, met


@settings(max_examples=150, deadline=None, derandomize=True)
@given(plans_by_centre())
def test_assemble_keeps_rooms_targets_and_every_count_when_counts_come_from_a_valid_plan(
    case: tuple[PlanningInput, list[list[list[int]]], set[int]],
) -> None:
    data, schedule, off_target = case
    index = build_index(data)
    x, v, z, z_rest, met = _aggregate(data, schedule, off_target)

    batches = assemble(index, dict(x), dict(v), z, z_rest, met)

    per_center = Counter(batch.center for batch in batches)
    per_center_month = Counter((batch.center, batch.month) for batch in batches)
    on_target = sum(1 for center in data.centers if per_center[center.id] == center.trainings)
    assert all(per_center[center.id] <= center.trainings for center in data.centers)
    assert all(count <= data.centers[index.center_pos[c]].rooms for (c, _), count in per_center_month.items())
    assert on_target >= len(data.centers) - len(off_target)
    assert Counter((b.theme, data.centers[index.center_pos[b.center]].kecamatan) for b in batches) == Counter(
        {(data.themes[t].id, index.kecamatans[k]): n for (t, k), n in x.items()}
    )
    opd_months: Counter[tuple[str, str]] = Counter()
    for (opd, _, month), count in v.items():
        opd_months[(index.opds[opd], data.months[month])] += count
    assert Counter((data.themes[index.theme_pos[b.theme]].opd, b.month) for b in batches) == opd_months


@settings(max_examples=100, deadline=None, derandomize=True)
@given(plans_by_centre())
def test_schedule_months_meets_targets_rooms_and_opd_capacity_when_it_returns_a_plan(
    case: tuple[PlanningInput, list[list[list[int]]], set[int]],
) -> None:
    data, schedule, _ = case
    data = PlanningInput(
        data.months,
        tuple(
            Center(c.id, c.kelurahan, c.kecamatan, sum(len(m) for m in schedule[i]), c.rooms)
            for i, c in enumerate(data.centers)
        ),
        data.themes,
        (),
        (),
        tuple(OpdCapacity(row.opd, row.month, 2) for row in data.opd_capacity),
        data.budget,
    )
    index = build_index(data)
    x, _, _, _, _ = _aggregate(data, schedule, set())

    batches = schedule_months(index, dict(x), deadline=float("inf"))

    if batches is not None:
        per_center = Counter(batch.center for batch in batches)
        per_center_month = Counter((batch.center, batch.month) for batch in batches)
        per_opd_month = Counter((data.themes[index.theme_pos[b.theme]].opd, b.month) for b in batches)
        per_theme_kecamatan = Counter(
            (b.theme, data.centers[index.center_pos[b.center]].kecamatan) for b in batches
        )
        assert all(per_center[center.id] == center.trainings for center in data.centers)
        assert all(
            count <= data.centers[index.center_pos[c]].rooms for (c, _), count in per_center_month.items()
        )
        assert all(count <= 2 for count in per_opd_month.values())
        assert per_theme_kecamatan == Counter(
            {(data.themes[t].id, index.kecamatans[k]): n for (t, k), n in x.items()}
        )


@settings(max_examples=100, deadline=None, derandomize=True)
@given(plans_by_centre())
def test_schedule_months_finds_a_schedule_when_opd_capacity_never_binds(
    case: tuple[PlanningInput, list[list[list[int]]], set[int]],
) -> None:
    data, schedule, _ = case
    on_target = tuple(
        Center(c.id, c.kelurahan, c.kecamatan, sum(len(m) for m in schedule[i]), c.rooms)
        for i, c in enumerate(data.centers)
    )
    data = PlanningInput(data.months, on_target, data.themes, (), (), data.opd_capacity, data.budget)
    index = build_index(data)
    x, _, _, _, _ = _aggregate(data, schedule, set())

    batches = schedule_months(index, dict(x), deadline=float("inf"))

    assert batches is not None
    assert Counter(b.center for b in batches) == Counter(
        {c.id: c.trainings for c in on_target if c.trainings}
    )
