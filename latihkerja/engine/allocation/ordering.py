"""Priority order of proposals, computed once with one integer sort so the matching loop only compares ints.

Every proposal (applicant ``i`` naming batch ``b`` with key ``k``) gets a place in its batch's list, sorted
by (key, applicant id as a string).

Speed: numpy sorts plain integers several times faster than ``argsort`` or ``lexsort``. So each proposal
becomes one unsigned 64-bit word, ``batch | key prefix | proposal index`` from the high bits to the low
ones, where the key prefix is an order-preserving (non-decreasing) map of the key to the bits left over,
and the words are sorted once. Where numpy's sort is slow even in cache (timed once, ``_sort_is_slow``),
the words are first partitioned by ranges of batches with a radix ``argsort`` of a small integer and each
range is sorted apart, in cache. The index is unpacked from the low bits. Proposals to one batch whose keys
share a prefix are then re-sorted exactly by (key, id rank); that only costs time when many keys are equal
or very close.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .model import IntArray

U64 = NDArray[np.uint64]
# Internal index arrays are int32 when everything fits: half the memory, and random gathers over them
# touch half the pages, which is most of the cost at millions of proposals.
Index = NDArray[np.signedinteger[Any]]


def index_dtype(*sizes: int) -> type[np.signedinteger[Any]]:
    return np.int32 if max(sizes, default=0) < 2**31 - 1 else np.int64


@dataclass(frozen=True, slots=True)
class ProposalOrder:
    """Each batch's proposals in priority order, laid end to end.

    ``sorted_proposal[start[b]:end[b]]`` are the proposals to batch ``b``, best first;
    ``position[p]`` is the place of proposal ``p`` in that layout (the inverse permutation).
    """

    sorted_proposal: Index
    position: Index
    start: IntArray
    end: IntArray


_SIGN = np.uint64(1 << 63)


def sortable_keys(keys: NDArray[np.float64]) -> U64:
    """Map finite float64 keys to uint64 so that unsigned integer order is float order (-0.0 == 0.0)."""
    bits = np.add(keys, 0.0).view(np.uint64)  # a copy; adding 0.0 turns -0.0 into 0.0
    negative = np.signbit(bits.view(np.float64))
    if negative.any():
        np.invert(bits, out=bits, where=negative)
        np.bitwise_or(bits, _SIGN, out=bits, where=~negative)
    else:
        bits |= _SIGN
    return bits


def _bits_for(n: int) -> int:
    return max(1, (max(n, 1) - 1).bit_length())


Owner = Callable[[Index], Index]


def owner_of(choice_ptr: IntArray) -> Owner:
    """A function from proposal indices to their applicants' indices.

    When every applicant lists the same number of choices (the usual form) it is a division, not a look-up
    in a table as long as all proposals: a random gather over millions of entries is costly.
    """
    lengths = np.diff(choice_ptr)
    dtype = index_dtype(int(choice_ptr[-1]), lengths.shape[0])
    if lengths.shape[0] and int(lengths.min()) == int(lengths.max()) > 0:
        width = int(lengths[0])
        return lambda proposals: proposals // width
    table = np.repeat(np.arange(lengths.shape[0], dtype=dtype), lengths)
    return lambda proposals: table[proposals]


# Proposals whose batches fall in one range are sorted apart; ranges hold about this many proposals.
CHUNK = 2048
# Whether to partition by batch ranges before sorting; ``None``: decide once by timing a sort
# (``_sort_is_slow``). Tests set it to take one path or the other.
SORT_BY_RANGES: bool | None = None
# numpy's integer sort at or above this many ns per item on 16,384 items counts as slow: the partition pays.
SLOW_SORT_NS = 12.0
# More ranges than this make the partition itself slow (it writes to as many places at once).
MOST_RANGES = 4096
# Most bits a key prefix may use (tests lower it to force the exact re-sort of close keys).
PREFIX_BITS_CAP = 52


@dataclass(frozen=True, slots=True)
class Priority:
    """What orders the proposals to one batch: ``keys`` (lower first), then the applicant's id rank."""

    keys: NDArray[np.float64]
    applicant_of: Owner
    applicant_order: IntArray


def key_prefix(keys: NDArray[np.float64], bits: int) -> U64:
    """A non-decreasing map of finite ``keys`` to integers in ``0 .. 2**bits - 1`` (``bits <= 52``).

    Two maps are tried on a sample, and the one that tells more sampled keys apart is used: linear in the
    key (best for keys spread evenly over a range), or linear in the key's float bits, i.e. roughly
    logarithmic (best for keys spread over magnitudes). Either only decides how often keys share a prefix
    (and need the exact re-sort), never the order.
    """
    n = int(keys.shape[0])
    lo, hi = float(keys.min()), float(keys.max())
    if bits <= 0 or not hi > lo:
        return np.zeros(n, dtype=np.uint64)
    top = float((1 << bits) - 1)
    half = 1.0 if np.isfinite(hi - lo) else 0.5  # halve both ends so the span does not overflow
    scale = top / (hi * half - lo * half)

    def linear(x: NDArray[np.float64]) -> U64:
        scaled = np.multiply(x, half)
        scaled -= lo * half  # rounding is monotone: never negative, never out of order
        scaled *= scale
        np.minimum(scaled, top, out=scaled)
        return scaled.astype(np.uint64)

    low_bits = int(sortable_keys(np.array([lo]))[0])
    spread = int(sortable_keys(np.array([hi]))[0]) - low_bits
    shift = np.uint64(max(0, spread.bit_length() - bits))

    def by_bits(x: NDArray[np.float64]) -> U64:
        packed = sortable_keys(x)
        packed -= np.uint64(low_bits)
        packed >>= shift
        return packed

    if not np.isfinite(scale):  # a span below ``top`` times the smallest float: only the bits tell keys apart
        return by_bits(keys)
    sample = keys[:: max(1, n // 1024)]
    if _distinct(linear(sample)) >= _distinct(by_bits(sample)):
        return linear(keys)
    return by_bits(keys)


def _distinct(values: U64) -> int:
    values.sort()
    return 1 + int(np.count_nonzero(values[1:] != values[:-1]))


@cache
def _sort_is_slow() -> bool:
    """Whether numpy's sort of 64-bit integers is slow on this machine, even for an array that fits in cache.

    On some CPUs numpy's vectorised sort is several times slower than on others (e.g. about 25-35 ns per
    item on an AMD EPYC VM, against a few ns on an Intel Xeon one). There, sorting cache-sized ranges apart
    after a radix partition beats one sort of everything; where the sort is fast, the partition costs more
    than it saves. Timed once per process, on 16,384 items (about 1 ms here); either way the result is the
    same, only the time differs.
    """
    sample = np.arange(1 << 14, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)  # scrambled, wraps around
    best = float("inf")
    for _ in range(3):
        trial = sample.copy()
        started = time.perf_counter()
        trial.sort()
        best = min(best, time.perf_counter() - started)
    return bool(best * 1e9 / sample.shape[0] >= SLOW_SORT_NS)


def _sort_by_batch_range(packed: U64, choice_batch: IntArray, batch_bits: int, end: IntArray) -> U64:
    """``packed`` (batch in the high bits, in proposal order) sorted: by ranges of batches, then each range
    (when numpy's sort is slow on this machine), or all at once."""
    n = int(packed.shape[0])
    ranges = min(n // CHUNK, MOST_RANGES, 1 << batch_bits)
    by_ranges = _sort_is_slow() if SORT_BY_RANGES is None else SORT_BY_RANGES
    if ranges < 4 or not by_ranges:
        packed.sort()
        return packed
    range_bits = (ranges - 1).bit_length()
    drop = max(0, batch_bits - range_bits)
    dtype = np.uint8 if range_bits <= 8 else np.uint16
    group = np.right_shift(choice_batch, drop).astype(dtype)
    packed = packed[np.argsort(group, kind="stable")]  # radix sort of a small integer: one or two passes
    del group
    n_batches = int(end.shape[0])
    firsts = np.arange(0, n_batches, 1 << drop)
    bounds = [0, *end[np.minimum(firsts + (1 << drop), n_batches) - 1].tolist()]
    for low, high in pairwise(bounds):
        if high - low > 1:
            packed[low:high].sort()
    return packed


def order_proposals(choice_batch: IntArray, n_batches: int, priority: Priority | None) -> ProposalOrder:
    """Lay out the proposals batch by batch, each batch best first.

    ``priority`` ``None`` means "proposal index order", which is applicant input order (first come, first
    served).
    """
    n = int(choice_batch.shape[0])
    counts = np.bincount(choice_batch, minlength=n_batches).astype(np.int64)
    end = np.cumsum(counts)
    start = end - counts
    if n == 0:
        empty = np.zeros(0, dtype=np.int64)
        return ProposalOrder(empty, empty, start, end)
    index_bits, batch_bits = _bits_for(n), _bits_for(n_batches)
    if index_bits + batch_bits > 64:  # pragma: no cover - beyond 2**40 proposals
        raise ValueError("too many proposals to order")
    ramp = np.arange(n, dtype=np.uint64)
    packed = choice_batch.astype(np.uint64)
    if priority is not None:
        prefix_bits = min(64 - index_bits - batch_bits, PREFIX_BITS_CAP)
        if prefix_bits > 0:
            packed <<= np.uint64(prefix_bits)
            packed |= key_prefix(priority.keys, prefix_bits)
    packed <<= np.uint64(index_bits)
    packed |= ramp
    packed = _sort_by_batch_range(packed, choice_batch, batch_bits, end)
    mask = np.uint64((1 << index_bits) - 1)
    same = (packed[1:] ^ packed[:-1]) <= mask if priority is not None else None  # same batch and prefix
    packed &= mask
    sorted_proposal: Index = packed.astype(index_dtype(n))
    del packed
    if priority is not None and same is not None and same.any():
        # Sort the proposals that share their batch and prefix with a neighbour by (batch, key, id rank):
        # a prefix never orders keys wrongly, so this keeps those groups where they were.
        where = _runs(same)
        members = sorted_proposal[where]
        exact = sortable_keys(priority.keys[members])
        rank = priority.applicant_order[priority.applicant_of(members)]
        sorted_proposal[where] = members[np.lexsort((rank, exact, choice_batch[members]))]
    del same
    position = np.empty(n, dtype=sorted_proposal.dtype)
    position[sorted_proposal] = ramp
    return ProposalOrder(sorted_proposal, position, start, end)


def _runs(same: NDArray[np.bool_]) -> IntArray:
    """Positions belonging to a run of equal neighbours, given ``same[i]`` = item ``i`` equals ``i + 1``."""
    member = np.zeros(same.shape[0] + 1, dtype=np.bool_)
    member[:-1] |= same
    member[1:] |= same
    return np.flatnonzero(member)
