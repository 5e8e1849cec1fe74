"""Every plan the package returns obeys every rule, checked by the independent reference checker."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from latihkerja.engine.planning import even_spread, greedy, parse_input, plan

from .instances import medium_document, small_documents
from .reference import broken_rules, score

pytestmark = pytest.mark.unit


@settings(max_examples=120, deadline=None, derandomize=True)
@given(small_documents(max_plans=10**9))
def test_every_plan_obeys_every_rule_when_input_is_random(document: dict[str, object]) -> None:
    data = parse_input(document)

    results = [plan(data, gap=0.05, time_limit=20), greedy(data), even_spread(data)]

    for result in results:
        batches = [batch.to_json() for batch in result.batches]
        assert broken_rules(document, batches, targets_exact=result.feasible) == []
        assert score(document, batches) == (result.objective, result.enrolment)
        planned = Counter(batch["center"] for batch in batches)
        short = {
            center["id"]: center["trainings"] - planned[center["id"]]
            for center in document["centers"]  # type: ignore[attr-defined]
            if planned[center["id"]] < center["trainings"]
        }
        assert {item.center: item.short for item in result.shortfall} == short
        assert result.feasible == (not short)


@settings(max_examples=40, deadline=None, derandomize=True)
@given(small_documents(max_plans=10**9))
def test_planner_is_deterministic_when_run_twice(document: dict[str, object]) -> None:
    data = parse_input(document)

    first, second = plan(data, gap=0.0), plan(data, gap=0.0)

    assert first.batches == second.batches
    assert first.binding == second.binding


@settings(max_examples=25, deadline=None, derandomize=True)
@given(st.integers(0, 2**32 - 1))
def test_every_plan_obeys_every_rule_when_instance_is_medium_sized(seed: int) -> None:
    document = medium_document(seed)
    data = parse_input(document)

    results = [plan(data, time_limit=5), greedy(data), even_spread(data)]

    for result in results:
        batches = [batch.to_json() for batch in result.batches]
        assert broken_rules(document, batches, targets_exact=result.feasible) == []
        assert score(document, batches) == (result.objective, result.enrolment)
    assert results[0].bound is not None
    assert results[0].objective <= results[0].bound
    if results[1].feasible:
        assert results[0].feasible
        assert (results[0].objective, results[0].enrolment) >= (results[1].objective, results[1].enrolment)
