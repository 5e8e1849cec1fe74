"""``evaluate``: coverage figures and broken rules of any list of batches (for edited plans)."""

from __future__ import annotations

import pytest

from latihkerja.engine.planning import (
    Batch,
    PlanningInputError,
    Shortfall,
    evaluate,
    even_spread,
    parse_input,
    plan,
)

from .instances import two_districts

pytestmark = pytest.mark.unit

OPTIMAL = [
    Batch("A1", "las", "2021-01"),
    Batch("A1", "batik", "2021-02"),
    Batch("A2", "barista", "2021-01"),
    Batch("B1", "barista", "2021-01"),
    Batch("B1", "las", "2021-02"),
]


def test_evaluate_reports_coverage_and_no_violation_when_plan_is_the_optimum() -> None:
    data = parse_input(two_districts())

    evaluation = evaluate(data, OPTIMAL)

    assert evaluation.feasible is True
    assert (evaluation.demand_covered, evaluation.demand_total, evaluation.enrolment) == (60, 70, 69)
    assert dict(evaluation.covered) == {"las": 40, "barista": 20, "batik": 0}
    assert (evaluation.cost, evaluation.batch_count, evaluation.centers_meeting_target) == (36, 5, 3)
    assert evaluation.violations == ()


def test_evaluate_names_every_broken_rule_when_plan_is_edited() -> None:
    data = parse_input(two_districts())
    edited = [*OPTIMAL, Batch("A2", "las", "2021-02")]

    evaluation = evaluate(data, edited)

    assert evaluation.feasible is False
    assert list(evaluation.violations) == [
        {"rule": "centre_trainings", "center": "A2", "planned": 2, "trainings": 1},
        {
            "rule": "opd_capacity",
            "opd": "disnaker",
            "month": "2021-02",
            "used": 2,
            "limit": 1,
            "implicit": False,
        },
        {"rule": "budget", "used": 46, "limit": 36, "over": 10},
    ]
    assert evaluation.centers_meeting_target == 2  # A2 runs 2 against a target of 1: over is not on target
    assert (evaluation.demand_covered, evaluation.enrolment) == (70, 74)


def test_evaluate_names_rooms_interest_and_shortfall_when_batches_crowd_one_month() -> None:
    data = parse_input(two_districts())
    edited = [Batch("A1", "las", "2021-01"), Batch("A1", "las", "2021-01"), Batch("A2", "las", "2021-02")]

    evaluation = evaluate(data, edited)

    assert evaluation.shortfall == (Shortfall(center="B1", trainings=2, planned=0),)
    assert list(evaluation.violations) == [
        {"rule": "rooms", "center": "A1", "month": "2021-01", "used": 2, "limit": 1},
        {
            "rule": "interest",
            "theme": "las",
            "kecamatan": "DA",
            "batches": 3,
            "minimum": 10,
            "residents": 25,
            "needed": 30,
        },
    ]


def test_evaluate_raises_when_batch_names_unknown_centre() -> None:
    data = parse_input(two_districts())

    with pytest.raises(PlanningInputError) as raised:
        evaluate(data, [Batch("Z9", "las", "2021-01")])

    assert str(raised.value) == "batches[0].center: unknown centre 'Z9'"


def test_evaluate_agrees_with_plan_figures_when_comparing_plan_and_even_spread() -> None:
    data = parse_input(two_districts())

    generated, spread = plan(data, gap=0.0), even_spread(data)

    for result in (generated, spread):
        evaluation = evaluate(data, result.batches)
        assert (evaluation.demand_covered, evaluation.enrolment, evaluation.cost) == (
            result.objective,
            result.enrolment,
            result.cost,
        )
