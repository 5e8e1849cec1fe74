"""The minimum-quota phase (``DeferredAcceptance.cancel_below_minimum``) against the brute-force rule.

The phase resumes DA in a scalar loop over proposals (not applicants) and sets the applicants' cursors only
at the end, so these check both what the rule decides (assignment, cancelled order) and the choice
positions the cursors give, on markets where many batches are short and chains are long.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from latihkerja.engine.allocation import Applicant, Batch, allocate, allocate_arrays, market_from_records
from tests.engine.allocation.oracle import (
    KEYS,
    gale_shapley,
    markets,
    random_market,
    scalar_path,
    with_minimum,
)

pytestmark = pytest.mark.unit

PATHS = pytest.mark.parametrize("scalar_below", [1, 10**9], ids=["vectorised", "scalar"])


@st.composite
def short_markets(draw: st.DrawFn, width: int | None) -> tuple[list[Batch], list[Applicant]]:
    """Small markets where most batches have a minimum near their capacity, so cancellations cascade.

    ``width``: every applicant lists exactly that many batches (the engine's fixed-width path), or
    ``None`` for lists of 0 to 4 (its general path, empty lists included).
    """
    n_batches = draw(st.integers(2, 7))
    batch_ids = [f"B{i}" for i in draw(st.permutations(range(n_batches)))]
    batches = []
    for bid in batch_ids:
        capacity = draw(st.integers(1, 3))
        batches.append(Batch(bid, capacity, draw(st.integers(max(0, capacity - 1), capacity))))
    applicants = []
    for i in range(draw(st.integers(0, 14))):
        size = min(width, n_batches) if width is not None else draw(st.integers(0, min(4, n_batches)))
        choices = draw(st.permutations(batch_ids))[:size]
        keys = draw(st.lists(KEYS, min_size=size, max_size=size))
        applicants.append(Applicant(f"A{i:02d}", tuple(choices), tuple(keys)))
    return batches, applicants


def check_against_the_rule(batches: list[Batch], applicants: list[Applicant]) -> None:
    result = allocate(batches, applicants)
    assert (result.assignment, result.cancelled) == with_minimum(gale_shapley, batches, applicants)
    market, batch_ids, _ = market_from_records(batches, applicants)
    arrays = allocate_arrays(market)
    for i, applicant in enumerate(applicants):
        got = int(arrays.batch[i])
        if got < 0:
            assert arrays.choice[i] == -1
        else:
            assert applicant.choices[int(arrays.choice[i])] == batch_ids[got]


@PATHS
@settings(max_examples=200, deadline=None)
@given(market=short_markets(width=3))
def test_cascades_follow_the_rule_when_every_list_has_the_same_length(scalar_below: int, market) -> None:
    with scalar_path(scalar_below):
        check_against_the_rule(*market)


@PATHS
@settings(max_examples=200, deadline=None)
@given(market=short_markets(width=None))
def test_cascades_follow_the_rule_when_lists_differ_in_length(scalar_below: int, market) -> None:
    with scalar_path(scalar_below):
        check_against_the_rule(*market)


@settings(max_examples=150, deadline=None)
@given(market=markets())
def test_batches_holding_nobody_are_cancelled_first_in_id_order_when_minimums_apply(market) -> None:
    # Why cancelling every empty batch at once would be exact (and why the engine need not special-case
    # them): an empty batch's heap key (0, id) precedes every other, cancelling it frees nobody, and an
    # open batch's count never drops, so the empty ones at the start are exactly the first cancelled.
    batches, applicants = market
    plain = gale_shapley(batches, applicants)
    held = {b.id: 0 for b in batches}
    for batch in plain.values():
        if batch is not None:
            held[batch] += 1
    empty = sorted(b.id for b in batches if b.minimum > 0 and held[b.id] == 0)

    result = allocate(batches, applicants)

    assert result.cancelled[: len(empty)] == empty
    assert all(held[c] > 0 for c in result.cancelled[len(empty) :])


@pytest.mark.parametrize("seed", [11, 12])
def test_long_cascades_follow_the_rule_when_the_market_is_large(seed: int) -> None:
    batches, applicants = random_market(np.random.default_rng(seed), 2000, 200, 8)

    result = allocate(batches, applicants)

    assert (result.assignment, result.cancelled) == with_minimum(gale_shapley, batches, applicants)
    assert len(result.cancelled) > 10
