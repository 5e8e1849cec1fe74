"""Turning raw input (records or parsed JSON) into an ``ArrayMarket``, refusing bad input with one clear line.

Validation has two speeds. A fast pass over whole lists decides that the input is certainly fine, which is
the usual case: types by ``set(map(type, ...))``; choices matched to batches as UTF-8 bytes in numpy (one
``str.join``, then a hash table confirmed byte for byte), else by one dict lookup per choice; keys checked
and converted by one ``marshal.dumps`` whose layout proves every key is a plain float, else by type sets;
ids ranked by sorting their bytes as 8-byte words; repeated choices by comparing columns. When it cannot
decide, a plain loop walks the input in order and raises ``AllocationInputError`` for the first problem,
so every message comes from one place and names the batch or applicant concerned. (One difference from a
dict lookup: a ``str`` subclass that redefines equality is matched by its characters.)

Rules: ids are strings, unique among batches and among applicants; capacity and minimum are integers with
``0 <= minimum <= capacity``; each applicant's choices are known batch ids without repeats, with exactly one
finite number as key per choice. An applicant may have no choices (they stay unassigned). Unknown fields are
ignored. Keys are compared as float64.
"""

from __future__ import annotations

import json
import marshal
import math
import operator
from collections.abc import Iterable, Sequence
from itertools import chain
from numbers import Integral, Real
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .model import AllocationInputError, Applicant, ArrayMarket, Batch, FloatArray, IntArray


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
    """The rank of each id in string order (a permutation of ``0..len(ids)-1``; equal ids by position)."""
    found = _bytes_ranks(ids)
    return _sorted_ranks(ids) if found is None or found[1] else found[0]


def _sorted_ranks(ids: Sequence[str]) -> IntArray:
    ranks = np.empty(len(ids), dtype=np.int64)
    ranks[sorted(range(len(ids)), key=ids.__getitem__)] = np.arange(len(ids), dtype=np.int64)
    return ranks


def _bytes_ranks(ids: Sequence[str]) -> tuple[IntArray, bool] | None:
    """``(ranks, whether some id repeats)`` by sorting bytes in numpy; ``None`` when an id holds NUL.

    UTF-8 bytes compare like the code points they encode, and with no NUL inside an id, padding with NUL
    bytes to one width keeps the order (a prefix sorts first), so the ids as rows of big-endian 8-byte
    words sort like the strings. The ranks of repeated ids are not in position order (the caller decides).
    """
    n = len(ids)
    if n == 0:
        return np.zeros(0, dtype=np.int64), False
    raw = _nul_terminated(ids, n)
    padded = None if raw is None else _padded(raw, n)
    if padded is None:
        return None
    columns = padded.view(">u8")
    order: IntArray = np.argsort(columns[:, 0]) if columns.shape[1] == 1 else np.lexsort(columns.T[::-1])
    ranks = np.empty(n, dtype=np.int64)
    ranks[order] = np.arange(n, dtype=np.int64)
    ordered = columns[order]
    repeats = bool((ordered[1:] == ordered[:-1]).all(axis=1).any())
    return ranks, repeats


def _batches_are_fine(batch_ids: Sequence[Any], capacities: Sequence[Any], minimums: Sequence[Any]) -> bool:
    """Whether the batch lists are certainly valid (plain ``str`` ids, plain ``int`` counts), in bulk."""
    count = len(batch_ids)
    return (
        len(capacities) == count == len(minimums)
        and set(map(type, batch_ids)) <= {str}
        and set(map(type, capacities)) <= {int}
        and set(map(type, minimums)) <= {int}
        and len(set(batch_ids)) == count
        and min(minimums, default=0) >= 0
        and all(map(operator.le, minimums, capacities))
    )


# Multiplier of the hash that folds an id's 8-byte words into one (odd, so the last word is kept whole).
_FOLD = np.uint64(0x9E3779B97F4A7C15)
# Multiplier that spreads a folded hash before its top bits pick a table slot (odd, from the golden ratio).
_SPREAD = np.uint64(0xBF58476D1CE4E5B9)


def _padded(raw: NDArray[np.uint8], count: int) -> NDArray[np.uint8] | None:
    """The ``count`` NUL-terminated byte strings that fill ``raw`` as rows padded with zeros to a multiple
    of 8 bytes; ``None`` unless there are exactly ``count`` NUL bytes."""
    size = raw.shape[0]
    if count == 0:
        return np.zeros((0, 8), dtype=np.uint8) if size == 0 else None
    if size % count == 0:  # all of one width, the usual case: no search for the NULs
        step = size // count
        rows = raw.reshape(count, step)
        if int(np.count_nonzero(raw)) == size - count and bool((rows[:, -1] == 0).all()):
            same = np.zeros((count, max(-(-(step - 1) // 8), 1) * 8), dtype=np.uint8)
            same[:, : step - 1] = rows[:, : step - 1]
            return same
    ends = np.flatnonzero(raw == 0)
    if ends.shape[0] != count:
        return None
    starts = np.zeros(count, dtype=np.int64)
    starts[1:] = ends[:-1] + 1
    widths = ends - starts
    columns = max(-(-int(widths.max()) // 8), 1) * 8
    column = np.arange(columns, dtype=np.int64)
    where = np.minimum(starts[:, None] + column, size - 1)
    padded: NDArray[np.uint8] = np.where(column < widths[:, None], raw[where], np.uint8(0)).astype(np.uint8)
    return padded


def _fold(words: NDArray[np.uint64]) -> NDArray[np.uint64]:
    """One 64-bit hash per row of words (the word itself for one-word rows, without a copy)."""
    if words.shape[1] == 1:
        return words[:, 0]
    folded = words[:, 0].copy()
    for j in range(1, words.shape[1]):
        folded *= _FOLD
        folded += words[:, j]
    return folded


def _nul_terminated(strings: Iterable[Any], count: int) -> NDArray[np.uint8] | None:
    """UTF-8 bytes of the ``count`` ``strings`` (lone surrogates kept), each followed by NUL; ``None`` if
    one is not a string or holds NUL."""
    try:
        items = [*strings, ""]
        joined = "\x00".join(items)
    except TypeError:
        return None
    if len(items) != count + 1 or joined.count("\x00") != count:
        return None
    return np.frombuffer(joined.encode("utf-8", "surrogatepass"), dtype=np.uint8)


def _choice_batches(bids: list[str], choices: Sequence[Any], nnz: int) -> IntArray | None:
    """The batch index of every choice, matching UTF-8 bytes in numpy; ``None`` when this cannot decide.

    ``None`` (the caller then looks every choice up in a dict) when a choice is not a string, an id holds
    NUL, a choice names no batch, or two batch ids fold to the same hash. Every match is confirmed byte for
    byte, so a hash collision can only send the input to the slower path, never to a wrong batch.
    """
    if nnz == 0:
        return np.zeros(0, dtype=np.int64)
    table_raw = _nul_terminated(bids, len(bids)) if bids else None
    if table_raw is None:
        return None
    choice_raw = _nul_terminated(chain.from_iterable(choices), nnz)
    if choice_raw is None:
        return None
    choice_bytes = _padded(choice_raw, nnz)
    table_bytes = _padded(table_raw, len(bids))
    if choice_bytes is None or table_bytes is None:
        return None
    words, table_words = choice_bytes.view(np.uint64), table_bytes.view(np.uint64)
    if table_words.shape[1] != words.shape[1]:  # pad both to one width (longer ids match no choice)
        width = max(table_words.shape[1], words.shape[1])
        table_words = np.pad(table_words, ((0, 0), (0, width - table_words.shape[1])))
        words = np.pad(words, ((0, 0), (0, width - words.shape[1])))
    table_hash = _fold(table_words)
    choice_hash = _fold(words)
    # A direct-mapped table on the top bits of the hash (about 16 slots per batch) finds most choices in
    # one gather; choices whose slot holds another batch (slots shared by two batches) use a binary search.
    bits = max(len(bids).bit_length() + 4, 4)
    shift = np.uint64(64 - bits)
    slots = np.full(1 << bits, -1, dtype=np.int64)
    slots[((table_hash * _SPREAD) >> shift).view(np.int64)] = np.arange(len(bids), dtype=np.int64)
    spot = choice_hash * _SPREAD
    spot >>= shift
    found = spot.view(np.int64)
    np.take(slots, found, out=found)
    unknown = found < 0
    found[unknown] = 0
    wrong = unknown | (table_words[found] != words).any(axis=1)
    missed = np.flatnonzero(wrong)
    if missed.size:
        order = np.argsort(table_hash)
        sorted_hash = table_hash[order]
        if bool((sorted_hash[1:] == sorted_hash[:-1]).any()):
            return None
        at = np.minimum(np.searchsorted(sorted_hash, choice_hash[missed]), sorted_hash.shape[0] - 1)
        found[missed] = order[at]
        if not bool((table_words[found[missed]] == words[missed]).all()):
            return None
    return found


def _keys_from_marshal(keys: Sequence[Any], counts: IntArray, ptr: IntArray) -> FloatArray | None:
    """The keys as float64 if every ``keys[i]`` is a list or tuple of ``counts[i]`` plain floats, else ``None``.

    ``marshal`` (format 2: no back-references) writes, in one C pass, a list or tuple as a type byte and a
    4-byte length, and a plain ``float`` as ``g`` and its 8 little-endian bytes. If every container header
    and every ``g`` sits where that layout puts it, and the total length is exact, every item is what it
    should be: the first item that is not would sit at its expected place and show another type byte.
    """
    n, nnz = counts.shape[0], int(ptr[-1])
    try:
        data = marshal.dumps(keys, 2)  # type: ignore[arg-type]
    except (ValueError, TypeError):
        return None
    if (
        len(data) != 5 + 5 * n + 9 * nnz
        or data[:1] not in (b"[", b"(")
        or int.from_bytes(data[1:5], "little") != n
    ):
        return None
    if n == 0:
        return np.zeros(0, dtype=np.float64)
    raw = np.frombuffer(data, dtype=np.uint8)
    k = int(counts[0])
    if bool((counts == k).all()):
        rows = raw[5:].reshape(n, 5 + 9 * k)
        kinds = rows[:, 0]
        sizes_ok = bool((rows[:, 1:5] == np.frombuffer(k.to_bytes(4, "little"), dtype=np.uint8)).all())
        items = rows[:, 5:].reshape(n, k, 9)
        tags = items[:, :, 0]
        values = items[:, :, 1:]
    else:
        at = 5 + 5 * np.arange(n, dtype=np.int64) + 9 * ptr[:-1]
        kinds = raw[at]
        sizes = raw[at[:, None] + np.arange(1, 5, dtype=np.int64)].view("<i4").reshape(-1)
        sizes_ok = bool((sizes == counts).all())
        start = 10 + 5 * np.repeat(np.arange(n, dtype=np.int64), counts) + 9 * np.arange(nnz, dtype=np.int64)
        tags = raw[start]
        values = raw[start[:, None] + np.arange(1, 9, dtype=np.int64)]
    if not (sizes_ok and bool(((kinds == ord("[")) | (kinds == ord("("))).all())):
        return None
    if not bool((tags == ord("g")).all()):
        return None
    key: FloatArray = np.ascontiguousarray(values).view("<f8").reshape(-1).astype(np.float64, copy=False)
    return key


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

    if not _batches_are_fine(batch_ids, capacities, minimums):
        # Batches are few (tens of thousands at most): the precise loop is cheap enough.
        _explain(batch_ids, capacities, minimums, [], [], [])
    bids: list[str] = list(batch_ids)
    n = len(applicant_ids)
    if not set(map(type, applicant_ids)) <= {str}:
        raise explain()
    aids: list[str] = list(applicant_ids)
    ranked = _bytes_ranks(aids)
    if ranked is None:
        if len(set(aids)) != n:
            raise explain()
        applicant_order = _sorted_ranks(aids)
    elif ranked[1]:
        raise explain()
    else:
        applicant_order = ranked[0]
    if not set(map(type, choices)) <= {list, tuple}:
        raise explain()
    counts = np.fromiter(map(len, choices), dtype=np.int64, count=n)
    ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(counts, out=ptr[1:])
    nnz = int(ptr[-1])
    key = _keys_from_marshal(keys, counts, ptr)
    if key is None and (
        not set(map(type, keys)) <= {list, tuple} or not np.array_equal(counts, list(map(len, keys)))
    ):
        raise explain()
    batch_of = _choice_batches(bids, choices, nnz)
    if batch_of is None:
        index = {bid: i for i, bid in enumerate(bids)}
        try:
            batch_of = np.fromiter(
                map(index.__getitem__, chain.from_iterable(choices)), dtype=np.int64, count=nnz
            )
        except (KeyError, TypeError):
            raise explain() from None
    if _lists_a_batch_twice(batch_of, ptr, len(bids)):
        raise explain()
    if key is None:
        flat_keys = list(chain.from_iterable(keys))
        if not set(map(type, flat_keys)) <= {float, int}:
            _explain(
                batch_ids, capacities, minimums, applicant_ids, choices, keys
            )  # e.g. numpy floats are fine
        try:
            key = np.array(flat_keys, dtype=np.float64).reshape(-1)
        except (TypeError, ValueError, OverflowError):
            raise explain() from None
    if key.size and not bool(np.isfinite(key).all()):
        raise explain()
    # Seats beyond the number of applicants change nothing; clamping keeps huge integers inside int64.
    ceiling = n + 1
    market = ArrayMarket(
        capacity=_clamped(capacities, ceiling),
        minimum=_clamped(minimums, ceiling),
        batch_order=string_ranks(bids),
        choice_ptr=ptr,
        choice_batch=batch_of,
        choice_key=key,
        applicant_order=applicant_order,
    )
    return market, bids, aids


def _clamped(counts: Sequence[Any], ceiling: int) -> IntArray:
    """``min(count, ceiling)`` for each of the (validated, non-negative integer) ``counts``, as int64."""
    if set(map(type, counts)) <= {int} and max(counts, default=0) < 2**62:
        return np.minimum(np.array(counts, dtype=np.int64), ceiling)
    return np.array([min(int(c), ceiling) for c in counts], dtype=np.int64)


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
