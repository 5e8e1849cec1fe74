"""Targets that cannot all be met: a best relaxed plan and an explanation naming each blocking rule."""

from __future__ import annotations

import pytest

from latihkerja.engine.planning import Shortfall, parse_input, plan

from .instances import EXAMPLE, changed, months_bind, two_districts

pytestmark = pytest.mark.unit


def test_binding_names_rooms_interest_and_implicit_opd_months_when_issue_example_is_planned() -> None:
    data = parse_input(EXAMPLE)

    result = plan(data)

    assert (result.feasible, result.status) == (False, "infeasible")
    assert [batch.to_json() for batch in result.batches] == [
        {"center": "C1", "theme": "T1", "month": "2020-10"}
    ]
    assert result.shortfall == (Shortfall(center="C1", trainings=5, planned=1),)
    assert list(result.binding) == [
        {"rule": "rooms", "center": "C1", "trainings": 5, "rooms": 1, "months": 3, "max": 3, "short": 2},
        {"rule": "interest", "kecamatan": "D1", "slots": 3, "max": 1, "short": 2},
        {
            "rule": "centre_trainings",
            "center": "C1",
            "kecamatan": "D1",
            "trainings": 5,
            "planned": 1,
            "short": 4,
            "blocked_by": ["interest", "opd_capacity", "rooms"],
        },
        {"rule": "opd_capacity", "opd": "O1", "month": "2020-11", "used": 0, "limit": 0, "implicit": True},
        {"rule": "opd_capacity", "opd": "O1", "month": "2020-12", "used": 0, "limit": 0, "implicit": True},
        {
            "rule": "interest",
            "theme": "T1",
            "kecamatan": "D1",
            "residents": 30,
            "minimum": 20,
            "batches": 1,
            "limit": 1,
        },
    ]


def test_binding_says_budget_short_in_rupiah_when_budget_cannot_fill_every_slot() -> None:
    data = parse_input(changed(two_districts(), budget=20))

    result = plan(data, gap=0.0)

    assert result.feasible is False
    assert result.binding[0] == {"rule": "budget", "limit": 20, "min_cost": 22, "short": 2}
    assert result.shortfall == (Shortfall(center="A1", trainings=2, planned=1),)
    assert result.binding[1]["blocked_by"] == ["budget", "opd_capacity"]
    assert {"rule": "budget", "used": 20, "limit": 20, "slack": 0} in result.binding
    assert result.cost == 20


def test_binding_lists_implicit_zero_months_when_no_opd_capacity_row_is_given() -> None:
    data = parse_input(changed(two_districts(), opd_capacity=[]))

    result = plan(data)

    assert (result.feasible, result.batches) == (False, ())
    assert result.binding[0] == {
        "rule": "opd_capacity",
        "slots": 5,
        "max": 0,
        "short": 5,
        "implicit_zero": [
            "disnaker 2021-01",
            "disnaker 2021-02",
            "disperindag 2021-01",
            "disperindag 2021-02",
        ],
    }
    assert [entry["center"] for entry in result.binding if entry["rule"] == "centre_trainings"] == [
        "A1",
        "A2",
        "B1",
    ]


def test_binding_names_full_opd_month_when_only_the_month_schedule_is_impossible() -> None:
    data = parse_input(months_bind(with_spare_opd=False))

    result = plan(data, gap=0.0)

    assert (result.feasible, result.status) == (False, "infeasible")
    assert result.shortfall == (Shortfall(center="CB", trainings=2, planned=1),)
    assert list(result.binding) == [
        {
            "rule": "centre_trainings",
            "center": "CB",
            "kecamatan": "DB",
            "trainings": 2,
            "planned": 1,
            "short": 1,
            "blocked_by": ["interest", "opd_capacity", "rooms"],
        },
        {"rule": "opd_capacity", "opd": "O1", "month": "2021-06", "used": 1, "limit": 1, "implicit": False},
        {"rule": "opd_capacity", "opd": "O2", "month": "2021-06", "used": 0, "limit": 0, "implicit": True},
        {"rule": "opd_capacity", "opd": "O3", "month": "2021-06", "used": 0, "limit": 0, "implicit": True},
    ]
    assert (result.extra["centers_meeting_target"], result.extra["centers_meeting_target_bound"]) == (1, 1)


def test_relaxed_plan_keeps_other_centres_on_target_when_one_centre_lacks_rooms() -> None:
    document = two_districts()
    document["centers"][0]["rooms"] = 0

    result = plan(parse_input(document), gap=0.0)

    assert result.binding[0] == {
        "rule": "rooms",
        "center": "A1",
        "trainings": 2,
        "rooms": 0,
        "months": 2,
        "max": 0,
        "short": 2,
    }
    assert result.shortfall == (Shortfall(center="A1", trainings=2, planned=0),)
    assert (result.extra["centers_meeting_target"], result.extra["batches_planned"]) == (2, 3)
