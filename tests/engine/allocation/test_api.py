"""The record API's validation, the array API's checks, and the cut-offs that explain a result."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings

from latihkerja.engine.allocation import (
    AllocationInputError,
    Applicant,
    Batch,
    Cutoff,
    allocate,
    allocate_arrays,
    cutoffs,
    market_from_records,
)
from tests.engine.allocation.oracle import markets, priority

pytestmark = pytest.mark.unit

GOOD_BATCHES = [Batch("B1", 2, 1), Batch("B2", 1, 0)]
GOOD_APPLICANTS = [Applicant("A1", ("B1", "B2"), (0.5, 0.1))]


@pytest.mark.parametrize(
    ("batches", "applicants", "message"),
    [
        ([Batch("B1", 1)], [Applicant("A7", ("B9",), (0.0,))], 'applicant "A7": choice "B9" is not a batch'),
        ([Batch("B1", 1), Batch("B1", 2)], [], 'duplicate batch id "B1"'),
        ([Batch("B1", 1)], [Applicant("A1", (), ()), Applicant("A1", (), ())], 'duplicate applicant id "A1"'),
        (
            [Batch("B1", 1)],
            [Applicant("A1", ("B1", "B1"), (0.0, 1.0))],
            'applicant "A1": choice "B1" is listed twice',
        ),
        ([Batch("B1", 1)], [Applicant("A1", ("B1",), (0.0, 1.0))], 'applicant "A1": 1 choices but 2 keys'),
        ([Batch("B1", -1)], [], 'batch "B1": capacity must be a non-negative integer, got -1'),
        ([Batch("B1", 2, 3)], [], 'batch "B1": minimum 3 exceeds capacity 2'),
        ([Batch("B1", 2, -1)], [], 'batch "B1": minimum must be a non-negative integer, got -1'),
        ([Batch("B1", True)], [], 'batch "B1": capacity must be a non-negative integer, got true'),
        ([Batch("B1", 2.0)], [], 'batch "B1": capacity must be a non-negative integer, got 2.0'),  # type: ignore[arg-type]
        (
            [Batch("B1", 1)],
            [Applicant("A1", ("B1",), ("0.5",))],  # type: ignore[arg-type]
            'applicant "A1": key at choice "B1" must be a number, got "0.5"',
        ),
        (
            [Batch("B1", 1)],
            [Applicant("A1", ("B1",), (math.nan,))],
            'applicant "A1": key at choice "B1" must be a finite number, got NaN',
        ),
        (
            [Batch("B1", 1)],
            [Applicant("A1", ("B1",), (math.inf,))],
            'applicant "A1": key at choice "B1" must be a finite number, got Infinity',
        ),
        ([Batch(1, 1)], [], 'batches[0]: "id" must be a string, got 1'),  # type: ignore[arg-type]
        ([Batch("B1", 1)], [Applicant(None, (), ())], 'applicants[0]: "id" must be a string, got null'),  # type: ignore[arg-type]
        (
            [Batch("B1", 1)],
            [Applicant("A1", "B1", (0.0,))],  # type: ignore[arg-type]
            'applicant "A1": "choices" must be a list of batch ids, got "B1"',
        ),
    ],
)
def test_bad_input_is_refused_with_one_line_when_allocating(
    batches: list[Batch], applicants: list[Applicant], message: str
) -> None:
    with pytest.raises(AllocationInputError) as caught:
        allocate(batches, applicants)

    assert str(caught.value) == message
    assert "\n" not in str(caught.value)


def test_numpy_numbers_are_accepted_when_building_records() -> None:
    batches = [Batch("B1", np.int64(1), np.int64(0))]  # type: ignore[arg-type]
    applicants = [Applicant("A1", ("B1",), (np.float32(0.5),))]  # type: ignore[arg-type]

    result = allocate(batches, applicants)

    assert result.assignment == {"A1": "B1"}


def test_unknown_mechanism_is_refused_when_allocating() -> None:
    with pytest.raises(AllocationInputError) as caught:
        allocate(GOOD_BATCHES, GOOD_APPLICANTS, "lottery")  # type: ignore[arg-type]

    assert str(caught.value) == "unknown mechanism 'lottery'; expected one of da, fcfs, welfare"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"choice_batch": np.array([0, 5])}, "choice_batch holds an index that is not a batch"),
        ({"choice_batch": np.array([0, 0])}, "an applicant lists the same batch twice"),
        ({"choice_key": np.array([0.5, np.nan])}, "choice_key must hold finite numbers only"),
        ({"choice_key": np.array([0.5])}, "choice_key must be a 1-d float64 array of length 2"),
        ({"minimum": np.array([3, 0])}, "minimum must not exceed capacity"),
        ({"capacity": np.array([-1, 1])}, "capacity and minimum must be non-negative"),
        ({"applicant_order": np.array([1])}, "applicant_order must be a permutation of 0..0"),
        ({"batch_order": np.array([0, 1, 2])}, "batch_order must be a 1-d integer array of length 2"),
        ({"choice_ptr": np.array([0, 3])}, "choice_batch must be a 1-d integer array of length 3"),
    ],
)
def test_bad_arrays_are_refused_when_calling_the_array_api(
    change: dict[str, np.ndarray], message: str
) -> None:
    market, _, _ = market_from_records(GOOD_BATCHES, GOOD_APPLICANTS)

    with pytest.raises(AllocationInputError) as caught:
        allocate_arrays(replace(market, **change))

    assert str(caught.value) == message


def test_cutoffs_name_the_last_admitted_when_batches_fill() -> None:
    batches = [Batch("B1", 2), Batch("B2", 3), Batch("B3", 1, 1), Batch("B4", 1)]
    applicants = [
        Applicant("A1", ("B1",), (0.2,)),
        Applicant("A2", ("B1", "B2"), (0.7, 0.1)),
        Applicant("A3", ("B1", "B2"), (0.7, 0.3)),
        Applicant("A4", ("B1", "B2"), (0.9, 0.3)),
    ]
    result = allocate(batches, applicants)

    report = cutoffs(batches, applicants, result)

    assert result.assignment == {"A1": "B1", "A2": "B1", "A3": "B2", "A4": "B2"}
    assert report == {
        "B1": Cutoff("B1", 0.7, "A2", admitted=2, capacity=2, is_full=True),  # A3 ties at 0.7, loses on id
        "B2": Cutoff("B2", 0.3, "A4", admitted=2, capacity=3, is_full=False),
        "B3": None,  # cancelled: nobody applied
        "B4": None,  # open, nobody applied
    }
    assert result.cancelled == ["B3"]


def test_cutoffs_refuse_to_explain_when_the_result_is_not_deferred_acceptance() -> None:
    result = allocate(GOOD_BATCHES, GOOD_APPLICANTS, "fcfs")

    with pytest.raises(ValueError, match="deferred-acceptance results only"):
        cutoffs(GOOD_BATCHES, GOOD_APPLICANTS, result)


@settings(max_examples=100, deadline=None)
@given(market=markets())
def test_every_refusal_is_explained_by_a_cutoff_when_a_batch_was_preferred(market) -> None:
    batches, applicants = market
    result = allocate(batches, applicants)

    report = cutoffs(batches, applicants, result)

    for applicant in applicants:
        got = result.assignment[applicant.id]
        better = applicant.choices if got is None else applicant.choices[: applicant.choices.index(got)]
        for batch in better:
            cut = report[batch]
            if batch in result.cancelled or cut is None:
                assert batch in result.cancelled or next(b for b in batches if b.id == batch).capacity == 0
                continue
            assert cut.is_full
            assert priority(applicant, batch) > (cut.key, cut.applicant)
