"""The even-spread and greedy baselines."""

from __future__ import annotations

import pytest

from latihkerja.engine.planning import Shortfall, even_spread, greedy, parse_input

pytestmark = pytest.mark.unit


def _open_city() -> dict[str, object]:
    months = ["2023-01", "2023-02"]
    return {
        "months": months,
        "centers": [
            {"id": "C1", "kelurahan": "K1", "kecamatan": "D1", "trainings": 2, "rooms": 1},
            {"id": "C2", "kelurahan": "K2", "kecamatan": "D1", "trainings": 2, "rooms": 1},
        ],
        "themes": [
            {"id": "T1", "opd": "O1", "cost": 1, "capacity": 10, "minimum": 0},
            {"id": "T2", "opd": "O1", "cost": 1, "capacity": 10, "minimum": 0},
            {"id": "T3", "opd": "O1", "cost": 1, "capacity": 10, "minimum": 0},
        ],
        "demand": [{"theme": "T3", "headcount": 25}, {"theme": "T2", "headcount": 5}],
        "interest": [],
        "opd_capacity": [{"opd": "O1", "month": month, "batches": 9} for month in months],
        "budget": 100,
    }


def test_even_spread_deals_themes_round_robin_when_every_theme_is_allowed() -> None:
    data = parse_input(_open_city())

    result = even_spread(data)

    assert [(b.center, b.theme, b.month) for b in result.batches] == [
        ("C1", "T1", "2023-01"),
        ("C1", "T2", "2023-02"),
        ("C2", "T3", "2023-01"),
        ("C2", "T1", "2023-02"),
    ]
    assert (result.feasible, result.objective, result.method, result.bound) == (True, 15, "even_spread", None)


def test_greedy_takes_highest_marginal_demand_first_when_demand_is_uneven() -> None:
    data = parse_input(_open_city())

    result = greedy(data)

    assert sorted(b.theme for b in result.batches) == ["T2", "T3", "T3", "T3"]
    assert (result.feasible, result.objective, dict(result.covered)) == (
        True,
        30,
        {"T1": 0, "T2": 5, "T3": 25},
    )


def test_baselines_leave_slots_empty_when_no_theme_fits() -> None:
    document = _open_city()
    document["opd_capacity"] = [{"opd": "O1", "month": "2023-01", "batches": 3}]

    results = [even_spread(parse_input(document)), greedy(parse_input(document))]

    for result in results:
        assert result.feasible is False
        assert len(result.batches) == 2
        assert sum(item.short for item in result.shortfall) == 2
    assert results[0].shortfall == (
        Shortfall(center="C1", trainings=2, planned=1),
        Shortfall(center="C2", trainings=2, planned=1),
    )
