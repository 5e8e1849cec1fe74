"""Priority order of proposals, computed once with integer sorts so the matching loop only compares ints.

Every proposal (applicant ``i`` naming batch ``b`` with key ``k``) gets a place in its batch's list, sorted
by (key, applicant id as a string). Because one total order over all proposals restricted to any batch is
that batch's priority order, a single global rank is enough.

Speed: numpy sorts plain integers with SIMD (``np.sort``), several times faster than ``argsort`` or
``lexsort``. So the index of each proposal is packed into the low bits of an unsigned 64-bit word whose
high bits are the (order-preserving) key prefix or the batch, sorted by value, and unpacked. Keys that
share a prefix are then re-sorted exactly; that only costs time when many keys are equal.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
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


def rank_by_key(
    keys: NDArray[np.float64], applicant_of: Owner, applicant_order: IntArray, ramp: U64
) -> Index:
    """The permutation sorting proposals by (key, rank of the applicant's id); full ties in any order.

    A full tie is one applicant with the same key at two batches: never compared, so harmless.
    ``ramp`` is ``arange(n)`` as uint64, shared by the callers to save allocations.
    """
    n = int(keys.shape[0])
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    shift = np.uint64(_bits_for(n))
    packed = sortable_keys(keys)
    packed >>= shift
    packed <<= shift
    packed |= ramp
    packed.sort()
    same = (packed[1:] ^ packed[:-1]) < (np.uint64(1) << shift)  # same key prefix
    packed &= (np.uint64(1) << shift) - np.uint64(1)
    order = packed.astype(index_dtype(n))
    del packed
    if same.any():
        # Keys sharing a prefix sit next to each other; sort just those by their full key, in place.
        where = _runs(same)
        members = order[where]
        exact = sortable_keys(keys[members])
        by_key = np.argsort(exact)
        members, exact = members[by_key], exact[by_key]
        equal = exact[1:] == exact[:-1]
        if equal.any():
            # Equal keys: the applicant id (as a string) decides.
            inner = _runs(equal)
            tied = members[inner]
            members[inner] = tied[np.lexsort((applicant_order[applicant_of(tied)], exact[inner]))]
        order[where] = members
    return order


def _runs(same: NDArray[np.bool_]) -> IntArray:
    """Positions belonging to a run of equal neighbours, given ``same[i]`` = item ``i`` equals ``i + 1``."""
    member = np.zeros(same.shape[0] + 1, dtype=np.bool_)
    member[:-1] |= same
    member[1:] |= same
    return np.flatnonzero(member)


def order_proposals(
    choice_batch: IntArray, rank_order: Index | None, n_batches: int, ramp: U64
) -> ProposalOrder:
    """Lay out the proposals batch by batch, each batch best first.

    ``rank_order`` is the permutation from ``rank_by_key``; ``None`` means "proposal index order", which is
    applicant input order (first come, first served). ``ramp`` is ``arange(n)`` as uint64.
    """
    n = int(choice_batch.shape[0])
    counts = np.bincount(choice_batch, minlength=n_batches).astype(np.int64)
    end = np.cumsum(counts)
    start = end - counts
    if n == 0:
        empty = np.zeros(0, dtype=np.int64)
        return ProposalOrder(empty, empty, start, end)
    shift = _bits_for(n)
    if shift + _bits_for(n_batches) <= 64:
        # Sort (batch, rank) packed in one word; the rank of the proposal at rank-order index r is r.
        if rank_order is None:
            packed = choice_batch.astype(np.uint64)
        else:
            packed = np.take(choice_batch, rank_order).view(np.uint64)  # a fresh array: reinterpret it
        packed <<= np.uint64(shift)
        packed |= ramp
        packed.sort()
        packed &= np.uint64((1 << shift) - 1)
        ranks = packed.view(np.int64)
        sorted_proposal: Index = (
            ranks.astype(index_dtype(n)) if rank_order is None else np.take(rank_order, ranks)
        )
        del packed, ranks
    else:  # pragma: no cover - beyond 2**40 proposals
        rank_of = np.arange(n) if rank_order is None else np.argsort(rank_order)
        sorted_proposal = np.lexsort((rank_of, choice_batch)).astype(np.int64)
    position = np.empty(n, dtype=sorted_proposal.dtype)
    position[sorted_proposal] = ramp
    return ProposalOrder(sorted_proposal, position, start, end)
