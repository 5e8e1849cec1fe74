"""The planner's objective against a brute-force optimum on small instances."""

from __future__ import annotations

import pytest
from hypothesis import given, settings

from latihkerja.engine.planning import parse_input, plan

from .instances import months_bind, small_documents, two_districts
from .reference import brute_force, score

pytestmark = pytest.mark.unit


def test_objective_equals_brute_force_when_every_rule_can_bind() -> None:
    document = two_districts()

    result = plan(parse_input(document), gap=0.0)

    assert brute_force(document) == (True, (3, 5, 60, 69))
    assert (result.feasible, result.status) == (True, "optimal")
    assert (result.objective, result.enrolment) == (60, 69)
    assert (result.bound, result.gap, result.enrolment_bound) == (60, 0.0, 69)
    assert result.covered == {"las": 40, "barista": 20, "batik": 0}


def test_objective_equals_brute_force_when_month_free_optimum_cannot_be_scheduled() -> None:
    document = months_bind(with_spare_opd=True)

    result = plan(parse_input(document), gap=0.0)

    assert brute_force(document) == (True, (2, 4, 30, 35))
    assert (result.feasible, result.objective, result.enrolment, result.bound) == (True, 30, 35, 30)
    assert result.stages == ("month_free", "schedule", "full")


def test_relaxed_plan_equals_brute_force_when_only_months_make_targets_impossible() -> None:
    document = months_bind(with_spare_opd=False)

    result = plan(parse_input(document), gap=0.0)

    assert brute_force(document) == (False, (1, 3, 30, 30))
    assert (result.feasible, result.status) == (False, "infeasible")
    assert (result.extra["centers_meeting_target"], len(result.batches)) == (1, 3)
    assert (result.objective, result.enrolment) == (30, 30)


@settings(max_examples=80, deadline=None, derandomize=True)
@given(small_documents())
def test_objective_equals_brute_force_when_instance_is_small(document: dict[str, object]) -> None:
    feasible, best = brute_force(document)

    result = plan(parse_input(document), gap=0.0, time_limit=30)

    batches = [batch.to_json() for batch in result.batches]
    assert result.feasible == feasible
    assert score(document, batches) == (result.objective, result.enrolment)
    if feasible:
        assert (result.objective, result.enrolment) == best[2:]
        assert (result.bound, result.gap) == (result.objective, 0.0)
    else:
        assert (
            result.extra["centers_meeting_target"],
            len(batches),
            result.objective,
            result.enrolment,
        ) == best
