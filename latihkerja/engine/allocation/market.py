"""Turning raw input (records or parsed JSON) into an ``ArrayMarket``, refusing bad input with one clear line.

Validation has two speeds. A fast pass over whole lists (types by ``set(map(type, ...))``, one dict lookup
per choice, one integer sort for repeated choices) decides that the input is certainly fine, which is the
usual case and keeps a million applicants to about a second. When it cannot, a plain loop walks the input
in order and raises ``AllocationInputError`` for the first problem, so every message comes from one place
and names the batch or applicant concerned.

Rules: ids are strings, unique among batches and among applicants; capacity and minimum are integers with
``0 <= minimum <= capacity``; each applicant's choices are known batch ids without repeats, with exactly one
finite number as key per choice. An applicant may have no choices (they stay unassigned). Unknown fields are
ignored. Keys are compared as float64.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from itertools import chain
from numbers import Integral, Real
from typing import Any

import numpy as np

from .model import AllocationInputError, Applicant, ArrayMarket, Batch, IntArray


def show(value: object) -> str:
    """A short one-line rendering of ``value`` for messages (JSON where possible)."""
    try:
        text = json.dumps(value, ensure_ascii=True)
    except (TypeError, ValueError):
        text = repr(value).encode("ascii", "backslashreplace").decode("ascii").replace("\n", "\\n")
    return text if len(text) <= 60 else text[:57] + "..."


def _is_integer(value: object) -> bool:
    return isinstance(value, Integral) and not isinstance(value, bool)


def _is_number(value: object) -> bool:
    return isinstance(value, Real) and not isinstance(value, bool)


def _explain(
    batch_ids: Sequence[Any],
    capacities: Sequence[Any],
    minimums: Sequence[Any],
    applicant_ids: Sequence[Any],
    choices: Sequence[Any],
    keys: Sequence[Any],
) -> None:
    """Raise ``AllocationInputError`` for the first problem in input order; return if there is none."""
    known: set[str] = set()
    for i, (bid, capacity, minimum) in enumerate(zip(batch_ids, capacities, minimums, strict=True)):
        if not isinstance(bid, str):
            raise AllocationInputError(f'batches[{i}]: "id" must be a string, got {show(bid)}')
        if bid in known:
            raise AllocationInputError(f"duplicate batch id {show(bid)}")
        known.add(bid)
        if not _is_integer(capacity) or int(capacity) < 0:
            raise AllocationInputError(
                f"batch {show(bid)}: capacity must be a non-negative integer, got {show(capacity)}"
            )
        if not _is_integer(minimum) or int(minimum) < 0:
            raise AllocationInputError(
                f"batch {show(bid)}: minimum must be a non-negative integer, got {show(minimum)}"
            )
        if int(minimum) > int(capacity):
            raise AllocationInputError(f"batch {show(bid)}: minimum {minimum} exceeds capacity {capacity}")
    seen: set[str] = set()
    for i, (aid, listed, numbers) in enumerate(zip(applicant_ids, choices, keys, strict=True)):
        if not isinstance(aid, str):
            raise AllocationInputError(f'applicants[{i}]: "id" must be a string, got {show(aid)}')
        if aid in seen:
            raise AllocationInputError(f"duplicate applicant id {show(aid)}")
        seen.add(aid)
        who = f"applicant {show(aid)}"
        if not isinstance(listed, list | tuple):
            raise AllocationInputError(f'{who}: "choices" must be a list of batch ids, got {show(listed)}')
        if not isinstance(numbers, list | tuple):
            raise AllocationInputError(f'{who}: "keys" must be a list of numbers, got {show(numbers)}')
        if len(listed) != len(numbers):
            raise AllocationInputError(f"{who}: {len(listed)} choices but {len(numbers)} keys")
        named: set[str] = set()
        for choice, key in zip(listed, numbers, strict=True):
            if not isinstance(choice, str) or choice not in known:
                raise AllocationInputError(f"{who}: choice {show(choice)} is not a batch")
            if choice in named:
                raise AllocationInputError(f"{who}: choice {show(choice)} is listed twice")
            named.add(choice)
            if not _is_number(key):
                raise AllocationInputError(
                    f"{who}: key at choice {show(choice)} must be a number, got {show(key)}"
                )
            try:
                finite = math.isfinite(float(key))
            except OverflowError:
                finite = False
            if not finite:
                raise AllocationInputError(
                    f"{who}: key at choice {show(choice)} must be a finite number, got {show(key)}"
                )


def string_ranks(ids: Sequence[str]) -> IntArray:
    """The rank of each id in string order (a permutation of ``0..len(ids)-1``)."""
    ranks = np.empty(len(ids), dtype=np.int64)
    ranks[sorted(range(len(ids)), key=ids.__getitem__)] = np.arange(len(ids), dtype=np.int64)
    return ranks


def market_from_lists(
    batch_ids: Sequence[Any],
    capacities: Sequence[Any],
    minimums: Sequence[Any],
    applicant_ids: Sequence[Any],
    choices: Sequence[Any],
    keys: Sequence[Any],
) -> tuple[ArrayMarket, list[str], list[str]]:
    """Validate raw parallel lists and build the market; also return the batch and applicant ids as str.

    Raises ``AllocationInputError`` naming the first problem.
    """

    def explain() -> AllocationInputError:
        _explain(batch_ids, capacities, minimums, applicant_ids, choices, keys)
        return AllocationInputError("input is not valid")  # pragma: no cover - _explain always finds it

    # Batches are few (tens of thousands at most): the precise loop is cheap enough to always run.
    _explain(batch_ids, capacities, minimums, [], [], [])
    bids: list[str] = list(batch_ids)
    n = len(applicant_ids)
    if not set(map(type, applicant_ids)) <= {str} or len(set(applicant_ids)) != n:
        raise explain()
    aids: list[str] = list(applicant_ids)
    if not set(map(type, choices)) <= {list, tuple} or not set(map(type, keys)) <= {list, tuple}:
        raise explain()
    lengths = list(map(len, choices))
    if lengths != list(map(len, keys)):
        raise explain()
    index = {bid: i for i, bid in enumerate(bids)}
    flat_choices = list(chain.from_iterable(choices))
    try:
        batch_of = np.fromiter(map(index.__getitem__, flat_choices), dtype=np.int64, count=len(flat_choices))
    except (KeyError, TypeError):
        raise explain() from None
    ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(lengths, out=ptr[1:])
    applicant_of = np.repeat(np.arange(n, dtype=np.int64), lengths)
    pairs = applicant_of * max(len(bids), 1) + batch_of
    pairs.sort()
    if pairs.size > 1 and bool((pairs[1:] == pairs[:-1]).any()):
        raise explain()
    flat_keys = list(chain.from_iterable(keys))
    if not set(map(type, flat_keys)) <= {float, int}:
        _explain(batch_ids, capacities, minimums, applicant_ids, choices, keys)  # e.g. numpy floats are fine
    try:
        key = np.array(flat_keys, dtype=np.float64)
    except (TypeError, ValueError, OverflowError):
        raise explain() from None
    if key.size and not bool(np.isfinite(key).all()):
        raise explain()
    # Seats beyond the number of applicants change nothing; clamping keeps huge integers inside int64.
    ceiling = n + 1
    market = ArrayMarket(
        capacity=np.array([min(int(c), ceiling) for c in capacities], dtype=np.int64),
        minimum=np.array([min(int(m), ceiling) for m in minimums], dtype=np.int64),
        batch_order=string_ranks(bids),
        choice_ptr=ptr,
        choice_batch=batch_of,
        choice_key=key.reshape(-1),
        applicant_order=string_ranks(aids),
    )
    return market, bids, aids


def market_from_records(
    batches: Sequence[Batch], applicants: Sequence[Applicant]
) -> tuple[ArrayMarket, list[str], list[str]]:
    """``market_from_lists`` for the dataclass API."""
    return market_from_lists(
        [b.id for b in batches],
        [b.capacity for b in batches],
        [b.minimum for b in batches],
        [a.id for a in applicants],
        [a.choices for a in applicants],
        [a.keys for a in applicants],
    )


def check_market(market: ArrayMarket) -> None:
    """Check an ``ArrayMarket`` built by a caller; raise ``AllocationInputError`` on the first problem."""
    nb, na = market.n_batches, market.n_applicants
    expected = {
        "capacity": (market.capacity, nb),
        "minimum": (market.minimum, nb),
        "batch_order": (market.batch_order, nb),
        "applicant_order": (market.applicant_order, na),
    }
    for name, (array, size) in expected.items():
        if array.ndim != 1 or array.shape[0] != size or array.dtype.kind not in "iu":
            raise AllocationInputError(f"{name} must be a 1-d integer array of length {size}")
    ptr = market.choice_ptr
    if (
        ptr.ndim != 1
        or na < 0
        or ptr.dtype.kind not in "iu"
        or int(ptr[0]) != 0
        or bool((np.diff(ptr) < 0).any())
    ):
        raise AllocationInputError("choice_ptr must be non-decreasing integer offsets starting at 0")
    nnz = int(ptr[-1])
    if market.choice_batch.shape != (nnz,) or market.choice_batch.dtype.kind not in "iu":
        raise AllocationInputError(f"choice_batch must be a 1-d integer array of length {nnz}")
    if market.choice_key.shape != (nnz,) or market.choice_key.dtype != np.float64:
        raise AllocationInputError(f"choice_key must be a 1-d float64 array of length {nnz}")
    if nnz and (int(market.choice_batch.min()) < 0 or int(market.choice_batch.max()) >= nb):
        raise AllocationInputError("choice_batch holds an index that is not a batch")
    if not bool(np.isfinite(market.choice_key).all()):
        raise AllocationInputError("choice_key must hold finite numbers only")
    if bool((market.capacity < 0).any()) or bool((market.minimum < 0).any()):
        raise AllocationInputError("capacity and minimum must be non-negative")
    if bool((market.minimum > market.capacity).any()):
        raise AllocationInputError("minimum must not exceed capacity")
    for name, (array, size) in (
        ("batch_order", (market.batch_order, nb)),
        ("applicant_order", (market.applicant_order, na)),
    ):
        if size and (int(array.min()) < 0 or int(array.max()) >= size or int(np.bincount(array).max()) > 1):
            raise AllocationInputError(f"{name} must be a permutation of 0..{size - 1}")
    if _lists_a_batch_twice(market.choice_batch, ptr, nb):
        raise AllocationInputError("an applicant lists the same batch twice")


# Lists of at most this many choices, all the same length, are checked for repeats column by column.
_COLUMNS_UP_TO = 12


def _lists_a_batch_twice(choice_batch: IntArray, ptr: IntArray, nb: int) -> bool:
    """Whether some applicant's list names a batch twice.

    When every list has the same short length ``k`` (the usual form), the ``k * (k - 1) / 2`` pairs of
    columns are compared: a few passes over the data instead of a sort of all choices.
    """
    na, nnz = int(ptr.shape[0]) - 1, int(choice_batch.shape[0])
    if nnz < 2:
        return False
    if (
        na
        and nnz % na == 0
        and nnz // na <= _COLUMNS_UP_TO
        and bool((ptr == np.arange(na + 1) * (nnz // na)).all())
    ):
        rows = choice_batch.reshape(na, nnz // na)
        width = rows.shape[1]
        return any(bool((rows[:, i] == rows[:, j]).any()) for i in range(width) for j in range(i + 1, width))
    pairs = np.repeat(np.arange(na, dtype=np.int64), np.diff(ptr)) * max(nb, 1) + choice_batch
    pairs.sort()
    return bool((pairs[1:] == pairs[:-1]).any())
