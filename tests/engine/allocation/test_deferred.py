"""Deferred acceptance: exact examples, and properties against a plain Gale–Shapley and `matching`."""

from __future__ import annotations

import random
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from latihkerja.engine.allocation import Applicant, Batch, allocate, allocate_arrays, market_from_records
from tests.engine.allocation.oracle import (
    blocking_pairs,
    gale_shapley,
    markets,
    random_market,
    scalar_path,
    with_minimum,
)

pytestmark = pytest.mark.unit

PATHS = pytest.mark.parametrize("scalar_below", [1, 10**9], ids=["vectorised", "scalar"])


def test_applicants_get_first_choices_when_seats_suffice() -> None:
    batches = [Batch("B1", 2), Batch("B2", 1)]
    applicants = [Applicant("A1", ("B1", "B2"), (0.5, 0.5)), Applicant("A2", ("B2",), (0.1,))]

    result = allocate(batches, applicants)

    assert result.assignment == {"A1": "B1", "A2": "B2"}
    assert result.cancelled == []


def test_lower_key_wins_the_last_seat_when_a_batch_is_full() -> None:
    batches = [Batch("B1", 1), Batch("B2", 1)]
    applicants = [
        Applicant("A1", ("B1", "B2"), (0.9, 0.0)),
        Applicant("A2", ("B1", "B2"), (0.1, 0.5)),
        Applicant("A3", ("B1", "B2"), (0.5, 0.2)),
    ]

    result = allocate(batches, applicants)

    assert result.assignment == {"A1": "B2", "A2": "B1", "A3": None}


def test_equal_keys_are_broken_by_id_as_a_string_when_keys_tie() -> None:
    batches = [Batch("B1", 1)]
    applicants = [Applicant("A9", ("B1",), (1.0,)), Applicant("A10", ("B1",), (1.0,))]

    result = allocate(batches, applicants)

    assert result.assignment == {"A9": None, "A10": "B1"}  # "A10" < "A9" as strings


def test_key_counts_per_choice_when_an_applicant_has_different_keys() -> None:
    batches = [Batch("B1", 1), Batch("B2", 1)]
    applicants = [
        Applicant("A1", ("B1", "B2"), (5.0, 0.0)),
        Applicant("A2", ("B1", "B2"), (1.0, 3.0)),
        Applicant("A3", ("B2",), (1.0,)),
    ]

    result = allocate(batches, applicants)

    # A1 loses B1 to A2 (5.0 > 1.0) but wins B2 over A3 (0.0 < 1.0).
    assert result.assignment == {"A1": "B2", "A2": "B1", "A3": None}


def test_nobody_is_placed_when_capacity_is_zero_or_the_list_is_empty() -> None:
    batches = [Batch("B1", 0), Batch("B2", 1)]
    applicants = [Applicant("A1", ("B1",), (0.0,)), Applicant("A2", (), ())]

    result = allocate(batches, applicants)

    assert result.assignment == {"A1": None, "A2": None}
    assert result.metrics["choice_counts"] == [0]


def test_metrics_count_each_choice_rank_when_allocating() -> None:
    batches = [Batch("B1", 1), Batch("B2", 1)]
    applicants = [
        Applicant("A1", ("B1", "B2"), (0.0, 0.0)),
        Applicant("A2", ("B1", "B2"), (1.0, 1.0)),
        Applicant("A3", ("B1", "B2"), (2.0, 2.0)),
    ]

    metrics = dict(allocate(batches, applicants).metrics)
    del metrics["seconds"]

    assert metrics == {
        "mechanism": "da",
        "applicants": 3,
        "batches": 2,
        "assigned": 2,
        "unassigned": 1,
        "choice_counts": [1, 1],
        "choice_shares": [0.333333, 0.333333],
        "batches_cancelled": 0,
    }


@PATHS
@settings(max_examples=150, deadline=None)
@given(market=markets(minimum=False))
def test_matches_plain_gale_shapley_when_there_are_no_minimums(scalar_below: int, market) -> None:
    batches, applicants = market

    with scalar_path(scalar_below):
        result = allocate(batches, applicants)

    assert result.assignment == gale_shapley(batches, applicants)
    assert result.cancelled == []


@PATHS
@settings(max_examples=150, deadline=None)
@given(market=markets())
def test_is_stable_and_within_quotas_when_minimums_apply(scalar_below: int, market) -> None:
    batches, applicants = market

    with scalar_path(scalar_below):
        result = allocate(batches, applicants)

    held = {b.id: 0 for b in batches}
    for batch in result.assignment.values():
        if batch is not None:
            held[batch] += 1
    assert blocking_pairs(batches, applicants, result.assignment, result.cancelled) == []
    assert all(held[b.id] <= b.capacity for b in batches)
    assert all(held[b.id] >= b.minimum for b in batches if b.id not in result.cancelled)
    assert all(held[c] == 0 for c in result.cancelled)
    assert all(b.minimum > 0 for b in batches if b.id in result.cancelled)
    assert (result.assignment, result.cancelled) == with_minimum(gale_shapley, batches, applicants)


@settings(max_examples=100, deadline=None)
@given(market=markets(), seed=st.integers(0, 2**32 - 1))
def test_result_is_the_same_when_input_order_changes(market, seed: int) -> None:
    batches, applicants = market
    shuffled_batches, shuffled_applicants = list(batches), list(applicants)
    random.Random(seed).shuffle(shuffled_batches)
    random.Random(seed + 1).shuffle(shuffled_applicants)

    first = allocate(batches, applicants)
    second = allocate(shuffled_batches, shuffled_applicants)

    assert second.assignment == first.assignment
    assert second.cancelled == first.cancelled


@settings(max_examples=50, deadline=None)
@given(market=markets())
def test_result_is_identical_when_run_twice(market) -> None:
    batches, applicants = market

    first, second = allocate(batches, applicants), allocate(batches, applicants)

    assert list(first.assignment.items()) == list(second.assignment.items())
    assert first.cancelled == second.cancelled


@settings(max_examples=80, deadline=None)
@given(market=markets(minimum=False, min_capacity=1, min_choices=1))
def test_matches_the_matching_package_when_there_are_no_minimums(market) -> None:
    games = pytest.importorskip("matching.games")
    batches, applicants = market
    listing = [a for a in applicants if a.choices]
    resident_prefs = {a.id: list(a.choices) for a in listing}
    hospital_prefs = {
        b.id: [
            a.id
            for a in sorted(
                (a for a in listing if b.id in a.choices), key=lambda a: (a.keys[a.choices.index(b.id)], a.id)
            )
        ]
        for b in batches
    }
    capacities = {b.id: b.capacity for b in batches}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        game = games.HospitalResident.create_from_dictionaries(resident_prefs, hospital_prefs, capacities)
        solved = game.solve(optimal="resident")
    theirs: dict[str, str | None] = {a.id: None for a in applicants}
    for hospital, residents in solved.items():
        for resident in residents:
            theirs[resident.name] = hospital.name

    result = allocate(batches, applicants)

    assert result.assignment == theirs


@pytest.mark.parametrize("floor", [0, 6])
def test_matches_the_reference_when_the_market_is_large_enough_for_vectorised_rounds(floor: int) -> None:
    batches, applicants = random_market(np.random.default_rng(7), 3000, 300, floor)

    result = allocate(batches, applicants)

    assert (result.assignment, result.cancelled) == with_minimum(gale_shapley, batches, applicants)
    assert floor == 0 or len(result.cancelled) > 10


def test_array_result_reports_choice_positions_when_called_with_arrays() -> None:
    batches = [Batch("B1", 1), Batch("B2", 1)]
    applicants = [Applicant("A1", ("B1", "B2"), (0.0, 0.0)), Applicant("A2", ("B1", "B2"), (1.0, 1.0))]
    market, _, _ = market_from_records(batches, applicants)

    result = allocate_arrays(market)

    assert result.batch.tolist() == [0, 1]
    assert result.choice.tolist() == [0, 1]
    assert result.cancelled.tolist() == []
    assert result.mechanism == "da"
