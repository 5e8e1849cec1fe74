"""``binding`` of a feasible plan: the tight rules that keep the objective from rising."""

from __future__ import annotations

import pytest

from latihkerja.engine.planning import parse_input, plan

from .instances import two_districts

pytestmark = pytest.mark.unit


def test_binding_names_tight_budget_opd_months_and_interest_when_demand_is_left_uncovered() -> None:
    data = parse_input(two_districts())

    result = plan(data, gap=0.0)

    assert list(result.binding) == [
        {"rule": "budget", "used": 36, "limit": 36, "slack": 0},
        {
            "rule": "opd_capacity",
            "opd": "disnaker",
            "month": "2021-02",
            "used": 1,
            "limit": 1,
            "implicit": False,
        },
        {
            "rule": "opd_capacity",
            "opd": "disperindag",
            "month": "2021-01",
            "used": 2,
            "limit": 2,
            "implicit": False,
        },
        {
            "rule": "interest",
            "theme": "las",
            "kecamatan": "DB",
            "residents": 12,
            "minimum": 10,
            "batches": 1,
            "limit": 1,
        },
        {"rule": "trainings_fixed", "slots": 5, "used": 5},
    ]


def test_binding_is_empty_when_every_demand_and_interest_is_served() -> None:
    document = two_districts()
    document["demand"] = [{"theme": "las", "headcount": 20}]
    document["interest"] = [
        {"theme": "las", "kelurahan": "KA1", "residents": 10},
        {"theme": "batik", "kelurahan": "KA1", "residents": 10},
        {"theme": "batik", "kelurahan": "KA2", "residents": 10},
        {"theme": "barista", "kelurahan": "KB1", "residents": 20},
    ]
    document["budget"] = 1000

    result = plan(parse_input(document), gap=0.0)

    assert (result.feasible, result.objective, result.enrolment) == (True, 20, 50)
    assert result.binding == ()
