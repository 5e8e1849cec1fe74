"""Proposal ordering: one packed sort by (batch, key prefix, index), partitioned by batch ranges, then an
exact re-sort of close keys; checked against a plain ``lexsort`` and, end to end, a plain Gale–Shapley."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from latihkerja.engine.allocation import (
    AllocationInputError,
    Applicant,
    Batch,
    allocate,
    allocate_arrays,
    market_from_records,
    ordering,
)
from latihkerja.engine.allocation.ordering import Priority, key_prefix, order_proposals, owner_of
from tests.engine.allocation.oracle import (
    gale_shapley,
    markets,
    random_market,
    serial_dictatorship,
    with_minimum,
)

pytestmark = pytest.mark.unit

# (CHUNK, PREFIX_BITS_CAP): the defaults; every batch range sorted apart; one sort of everything;
# prefixes too short to tell most keys apart (so the exact re-sort does the work); no prefix at all.
LAYOUTS = pytest.mark.parametrize(
    ("chunk", "prefix_cap"),
    [
        (None, ordering.PREFIX_BITS_CAP),
        (1, ordering.PREFIX_BITS_CAP),
        (0, ordering.PREFIX_BITS_CAP),
        (1, 2),
        (3, 0),
    ],
    ids=["defaults", "ranges", "one-sort", "short-prefix", "no-prefix"],
)


@contextmanager
def layout(chunk: int | None, prefix_cap: int) -> Iterator[None]:
    """Sort by batch ranges of about ``chunk`` proposals (0: one sort; ``None``: as the machine decides),
    with key prefixes of at most ``prefix_cap`` bits."""
    saved = ordering.CHUNK, ordering.PREFIX_BITS_CAP, ordering.SORT_BY_RANGES
    ordering.PREFIX_BITS_CAP = prefix_cap
    if chunk is not None:
        ordering.CHUNK, ordering.SORT_BY_RANGES = max(chunk, 1), chunk > 0
    try:
        yield
    finally:
        ordering.CHUNK, ordering.PREFIX_BITS_CAP, ordering.SORT_BY_RANGES = saved


def plain_order(batch: np.ndarray, keys: np.ndarray | None, rank: np.ndarray) -> np.ndarray:
    """Proposals by (batch, key, rank of the applicant's id), or by (batch, index) without keys."""
    if keys is None:
        return np.lexsort((np.arange(batch.shape[0]), batch))
    return np.lexsort((rank, keys + 0.0, batch))  # + 0.0: -0.0 sorts as 0.0


KEY_SETS = {
    "lottery": lambda rng, n: rng.integers(0, 4, n) + rng.random(n),
    "few values": lambda rng, n: rng.choice([-0.0, 0.0, 1.0, 1.0000000000000002, 2.5], n),
    "whole range": lambda rng, n: rng.choice([-1.7e308, -1.0, 0.0, 5e-324, 1.0, 1.7e308], n),
    "subnormal": lambda rng, n: rng.choice([-5e-324, 0.0, 5e-324, 1e-323, 2e-308], n),
    "one outlier": lambda rng, n: np.where(rng.random(n) < 0.01, 1e9, rng.random(n)),
    "equal": lambda rng, n: np.full(n, 3.0),
}


@LAYOUTS
@pytest.mark.parametrize("keys_name", sorted(KEY_SETS))
@pytest.mark.parametrize("width", [3, None], ids=["same-length", "ragged"])
def test_each_batch_lists_its_proposals_by_key_then_id_when_ordered(
    chunk: int | None, prefix_cap: int, keys_name: str, width: int | None
) -> None:
    rng = np.random.default_rng(len(keys_name) * 7 + (width or 0))
    n_applicants, n_batches = 700, 37
    lengths = np.full(n_applicants, width) if width else rng.integers(0, 6, n_applicants)
    ptr = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    batch = np.concatenate([rng.choice(n_batches, size=k, replace=False) for k in lengths]).astype(np.int64)
    keys = KEY_SETS[keys_name](rng, batch.shape[0]).astype(np.float64)
    applicant_order = rng.permutation(n_applicants).astype(np.int64)
    applicant_of = owner_of(ptr)
    rank = applicant_order[np.repeat(np.arange(n_applicants), lengths)]

    with layout(chunk, prefix_cap), warnings.catch_warnings():
        warnings.simplefilter("error")
        by_priority = order_proposals(batch, n_batches, Priority(keys, applicant_of, applicant_order))
        by_arrival = order_proposals(batch, n_batches, None)

    for got, expected in (
        (by_priority, plain_order(batch, keys, rank)),
        (by_arrival, plain_order(batch, None, rank)),
    ):
        assert got.sorted_proposal.tolist() == expected.tolist()
        assert (got.sorted_proposal[got.position] == np.arange(batch.shape[0])).all()
        assert got.end.tolist() == np.cumsum(np.bincount(batch, minlength=n_batches)).tolist()


FINITE = st.floats(allow_nan=False, allow_infinity=False)


@settings(max_examples=200, deadline=None)
@given(keys=st.lists(FINITE, min_size=1, max_size=40), bits=st.sampled_from([1, 3, 8, 21, 52]))
@example(keys=[0.0, 5e-324, 1e-323], bits=8)
@example(keys=[-1.7e308, 0.0, 1.7e308], bits=21)
def test_key_prefix_never_orders_keys_wrongly_when_keys_are_any_finite_floats(
    keys: list[float], bits: int
) -> None:
    values = np.array(keys, dtype=np.float64)

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow, no NaN on the way
        prefix = key_prefix(values, bits)

    order = np.argsort(values, kind="stable")
    assert (np.diff(prefix[order].astype(np.float64)) >= 0).all()
    assert int(prefix.max()) < 2**bits
    equal = values[:, None] == values[None, :]
    assert (prefix[:, None] == prefix[None, :])[equal].all()


@LAYOUTS
@settings(max_examples=60, deadline=None)
@given(market=markets())
def test_deferred_acceptance_matches_plain_gale_shapley_when_the_layout_changes(
    chunk: int | None, prefix_cap: int, market
) -> None:
    batches, applicants = market

    with layout(chunk, prefix_cap):
        result = allocate(batches, applicants)
        fcfs = allocate(batches, applicants, "fcfs")

    assert (result.assignment, result.cancelled) == with_minimum(gale_shapley, batches, applicants)
    assert (fcfs.assignment, fcfs.cancelled) == with_minimum(serial_dictatorship, batches, applicants)


@pytest.mark.parametrize(("chunk", "prefix_cap"), [(1, 3), (16, 0)])
def test_large_market_matches_the_reference_when_ranges_and_short_prefixes_are_used(
    chunk: int, prefix_cap: int
) -> None:
    batches, applicants = random_market(np.random.default_rng(11), 2000, 200, 0)

    with layout(chunk, prefix_cap):
        result = allocate(batches, applicants)

    assert result.assignment == gale_shapley(batches, applicants)


@pytest.mark.parametrize(
    ("choices", "twice"),
    [
        ([["B1", "B2", "B3"], ["B3", "B2", "B1"]], False),
        ([["B1", "B2", "B3"], ["B3", "B2", "B3"]], True),
        ([["B1", "B2"], ["B3"], []], False),
        ([["B1", "B2"], ["B3"], ["B2", "B1", "B2"]], True),
        ([[f"B{i}" for i in range(14)], [f"B{13 - i}" for i in range(14)]], False),
    ],
    ids=["same-length", "same-length-twice", "ragged", "ragged-twice", "long-lists"],
)
def test_a_batch_listed_twice_is_refused_when_calling_the_array_api(
    choices: list[list[str]], twice: bool
) -> None:
    batches = [Batch(f"B{i}", 2) for i in range(14)]
    unique = [
        Applicant(f"A{i}", tuple(dict.fromkeys(c)), (0.0,) * len(dict.fromkeys(c)))
        for i, c in enumerate(choices)
    ]
    market, _, _ = market_from_records(batches, unique)
    index = {b.id: i for i, b in enumerate(batches)}
    flat = np.array([index[b] for c in choices for b in c], dtype=np.int64)
    lengths = [len(c) for c in choices]
    ptr = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    arrays = replace(market, choice_ptr=ptr, choice_batch=flat, choice_key=np.zeros(flat.shape[0]))

    if twice:
        with pytest.raises(AllocationInputError, match="an applicant lists the same batch twice"):
            allocate_arrays(arrays)
    else:
        assert allocate_arrays(arrays).batch.shape == (len(choices),)
