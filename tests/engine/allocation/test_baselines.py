"""The first-come-first-served baseline and the welfare-optimal comparison."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings

from latihkerja.engine.allocation import Applicant, Batch, allocate, market_from_records
from latihkerja.engine.allocation.welfare import welfare_assignment
from tests.engine.allocation.oracle import (
    best_welfare,
    markets,
    random_market,
    scalar_path,
    serial_dictatorship,
    with_minimum,
)

pytestmark = pytest.mark.unit


def test_fcfs_serves_in_input_order_when_seats_run_out() -> None:
    batches = [Batch("B1", 1), Batch("B2", 1)]
    applicants = [
        Applicant("A2", ("B1", "B2"), (9.0, 9.0)),
        Applicant("A1", ("B1", "B2"), (0.0, 0.0)),
        Applicant("A3", ("B1", "B2"), (0.0, 0.0)),
    ]

    result = allocate(batches, applicants, "fcfs")

    assert result.assignment == {"A2": "B1", "A1": "B2", "A3": None}  # keys are ignored
    assert result.metrics["mechanism"] == "fcfs"


@pytest.mark.parametrize("scalar_below", [1, 10**9], ids=["vectorised", "scalar"])
@settings(max_examples=100, deadline=None)
@given(market=markets())
def test_fcfs_equals_serial_dictatorship_when_minimums_apply_or_not(scalar_below: int, market) -> None:
    batches, applicants = market

    with scalar_path(scalar_below):
        result = allocate(batches, applicants, "fcfs")

    assert (result.assignment, result.cancelled) == with_minimum(serial_dictatorship, batches, applicants)


@settings(max_examples=60, deadline=None)
@given(market=markets())
def test_fcfs_ignores_batch_order_when_batches_are_listed_differently(market) -> None:
    batches, applicants = market

    first = allocate(batches, applicants, "fcfs")
    second = allocate(list(reversed(batches)), applicants, "fcfs")

    assert (second.assignment, second.cancelled) == (first.assignment, first.cancelled)


@pytest.mark.parametrize("floor", [0, 6])
def test_fcfs_matches_the_reference_when_the_market_is_large_enough_for_vectorised_rounds(floor: int) -> None:
    batches, applicants = random_market(np.random.default_rng(11), 3000, 300, floor)

    result = allocate(batches, applicants, "fcfs")

    assert (result.assignment, result.cancelled) == with_minimum(serial_dictatorship, batches, applicants)


def test_welfare_places_more_than_da_when_priorities_block_a_swap() -> None:
    # DA gives B1 to A1 (better key), leaving A2 with nothing; welfare places both.
    batches = [Batch("B1", 1), Batch("B2", 1)]
    applicants = [Applicant("A1", ("B1", "B2"), (0.0, 0.0)), Applicant("A2", ("B1",), (1.0,))]

    da = allocate(batches, applicants)
    welfare = allocate(batches, applicants, "welfare")

    assert da.assignment == {"A1": "B1", "A2": None}
    assert welfare.assignment == {"A1": "B2", "A2": "B1"}


@pytest.mark.parametrize("backend", ["scipy", "ortools"])
@settings(max_examples=60, deadline=None)
@given(market=markets(max_batches=3, max_applicants=6, minimum=False))
def test_welfare_is_optimal_when_checked_by_brute_force(backend: str, market) -> None:
    if backend == "ortools":
        pytest.importorskip("ortools")
    batches, applicants = market
    built, _, _ = market_from_records(batches, applicants)

    batch, choice, cancelled = welfare_assignment(built, backend)  # type: ignore[arg-type]

    assigned = choice >= 0
    assert (int(assigned.sum()), int((choice[assigned] + 1).sum())) == best_welfare(batches, applicants)
    assert cancelled == []
    held = np.bincount(batch[assigned], minlength=len(batches))
    assert all(held[i] <= b.capacity for i, b in enumerate(batches))


@settings(max_examples=100, deadline=None)
@given(market=markets(minimum=False))
def test_welfare_assigns_at_least_as_many_as_da_when_there_are_no_minimums(market) -> None:
    batches, applicants = market

    da = allocate(batches, applicants)
    welfare = allocate(batches, applicants, "welfare")

    assert welfare.metrics["assigned"] >= da.metrics["assigned"]  # type: ignore[operator]


@settings(max_examples=100, deadline=None)
@given(market=markets())
def test_welfare_respects_quotas_when_minimums_apply(market) -> None:
    batches, applicants = market

    result = allocate(batches, applicants, "welfare")

    held = {b.id: 0 for b in batches}
    for batch in result.assignment.values():
        if batch is not None:
            held[batch] += 1
    assert all(held[b.id] <= b.capacity for b in batches)
    assert all(held[b.id] >= b.minimum for b in batches if b.id not in result.cancelled)
    assert all(held[c] == 0 for c in result.cancelled)
    for applicant in applicants:
        got = result.assignment[applicant.id]
        assert got is None or got in applicant.choices
