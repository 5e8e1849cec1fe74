"""Minimum quotas: hand-worked examples with the exact cancellations expected."""

from __future__ import annotations

import pytest

from latihkerja.engine.allocation import Applicant, Batch, allocate

pytestmark = pytest.mark.unit


def test_batch_below_minimum_is_cancelled_when_its_applicants_can_go_elsewhere() -> None:
    batches = [Batch("B1", 2, 2), Batch("B2", 2, 2), Batch("B3", 3, 0)]
    applicants = [
        Applicant("A1", ("B1", "B3"), (0.0, 0.0)),
        Applicant("A2", ("B2", "B1"), (0.0, 0.0)),
        Applicant("A3", ("B2", "B3"), (0.0, 0.0)),
        Applicant("A4", ("B3",), (0.0,)),
    ]

    result = allocate(batches, applicants)

    assert result.cancelled == ["B1"]
    assert result.assignment == {"A1": "B3", "A2": "B2", "A3": "B2", "A4": "B3"}


def test_the_batch_holding_fewest_goes_first_when_two_are_short() -> None:
    # B1 holds 2 of 3, B2 holds 1 of 2: B2 goes, its applicant rescues B1.
    batches = [Batch("B1", 3, 3), Batch("B2", 2, 2)]
    applicants = [
        Applicant("A1", ("B1",), (0.0,)),
        Applicant("A2", ("B1",), (0.0,)),
        Applicant("A3", ("B2", "B1"), (0.0, 0.0)),
    ]

    result = allocate(batches, applicants)

    assert result.cancelled == ["B2"]
    assert result.assignment == {"A1": "B1", "A2": "B1", "A3": "B1"}


@pytest.mark.parametrize(
    ("first", "second", "cancelled"),
    [("B1", "B2", "B1"), ("B9", "B10", "B10")],
    ids=["plain", "ids-compare-as-strings"],
)
def test_smallest_id_goes_first_when_short_batches_hold_the_same(
    first: str, second: str, cancelled: str
) -> None:
    # Each holds 1 of 2; cancelling either sends its applicant to the other, which then runs.
    batches = [Batch(first, 2, 2), Batch(second, 2, 2)]
    applicants = [
        Applicant("A1", (first, second), (0.0, 0.0)),
        Applicant("A2", (second, first), (0.0, 0.0)),
    ]

    result = allocate(batches, applicants)

    kept = second if cancelled == first else first
    assert result.cancelled == [cancelled]
    assert result.assignment == {"A1": kept, "A2": kept}


def test_cancellation_displaces_down_a_chain_when_released_applicants_have_priority() -> None:
    batches = [Batch("B1", 2, 2), Batch("B2", 1, 0), Batch("B3", 1, 0)]
    applicants = [
        Applicant("A1", ("B1", "B2"), (0.0, 0.0)),
        Applicant("A2", ("B2", "B3"), (1.0, 0.0)),
        Applicant("A3", ("B3",), (1.0,)),
    ]

    result = allocate(batches, applicants)

    # B1 is cancelled; A1 takes B2 from A2 (0 < 1), who takes B3 from A3 (0 < 1).
    assert result.cancelled == ["B1"]
    assert result.assignment == {"A1": "B2", "A2": "B3", "A3": None}


def test_empty_batches_with_a_minimum_are_cancelled_in_id_order_when_nobody_applies() -> None:
    batches = [Batch("B3", 5, 1), Batch("B1", 5, 2), Batch("B2", 5, 0), Batch("B4", 5, 1)]
    applicants = [Applicant("A1", ("B4",), (0.0,))]

    result = allocate(batches, applicants)

    assert result.cancelled == ["B1", "B3"]  # B2 has minimum 0: it stays open, empty
    assert result.assignment == {"A1": "B4"}


def test_cancellations_cascade_when_each_one_leaves_another_short() -> None:
    # B1 (1 of 2) goes first and pushes A1 to B2; B2 then holds 2 of 3; B3 holds 2 of 2 and stays.
    # B2 is cancelled next: A1, A2 fall to B3, which is full with better keys: A1 and A2 are refused.
    batches = [Batch("B1", 2, 2), Batch("B2", 3, 3), Batch("B3", 2, 2)]
    applicants = [
        Applicant("A1", ("B1", "B2", "B3"), (0.0, 0.0, 5.0)),
        Applicant("A2", ("B2", "B3"), (0.0, 6.0)),
        Applicant("A3", ("B3",), (0.0,)),
        Applicant("A4", ("B3",), (0.0,)),
    ]

    result = allocate(batches, applicants)

    assert result.cancelled == ["B1", "B2"]
    assert result.assignment == {"A1": None, "A2": None, "A3": "B3", "A4": "B3"}


def test_nothing_is_cancelled_when_every_batch_reaches_its_minimum() -> None:
    batches = [Batch("B1", 2, 1), Batch("B2", 2, 2)]
    applicants = [
        Applicant("A1", ("B1",), (0.0,)),
        Applicant("A2", ("B2",), (0.0,)),
        Applicant("A3", ("B2",), (0.0,)),
    ]

    result = allocate(batches, applicants)

    assert result.cancelled == []
    assert result.metrics["batches_cancelled"] == 0


@pytest.mark.parametrize("mechanism", ["fcfs", "welfare"])
def test_baselines_cancel_by_the_same_rule_when_a_batch_is_short(mechanism: str) -> None:
    batches = [Batch("B1", 2, 2), Batch("B2", 2, 2), Batch("B3", 3, 0)]
    applicants = [
        Applicant("A1", ("B1", "B3"), (0.0, 0.0)),
        Applicant("A2", ("B2", "B1"), (0.0, 0.0)),
        Applicant("A3", ("B2", "B3"), (0.0, 0.0)),
        Applicant("A4", ("B3",), (0.0,)),
    ]

    result = allocate(batches, applicants, mechanism)  # type: ignore[arg-type]

    assert result.cancelled == ["B1"]
    assert result.assignment == {"A1": "B3", "A2": "B2", "A3": "B2", "A4": "B3"}
