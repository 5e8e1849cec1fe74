"""Plain data types of the allocation engine: what goes in, what comes out, and the one error it raises.

Two levels share one meaning:

- the *record* level (``Batch``, ``Applicant``, ``Result``, ``Cutoff``), with string ids, for the Django app
  and the command line;
- the *array* level (``ArrayMarket``, ``ArrayResult``), with integer indices into numpy arrays, for large
  runs. The record level is a thin translation on top of it.

Identifiers are compared as Python strings (Unicode code points, like PostgreSQL's "C" collation), never
as numbers: ``"A10" < "A9"``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from numpy.typing import NDArray

Mechanism = Literal["da", "fcfs", "welfare"]
MECHANISMS: tuple[Mechanism, ...] = ("da", "fcfs", "welfare")

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]


class AllocationInputError(ValueError):
    """The input breaks a rule of the engine's contract; the message names the problem on one line."""


@dataclass(frozen=True, slots=True)
class Batch:
    """One batch (angkatan) with ``capacity`` seats that runs only with at least ``minimum`` participants.

    ``minimum`` 0 means the batch always runs; ``0 <= minimum <= capacity`` is enforced by ``allocate``.
    """

    id: str
    capacity: int
    minimum: int = 0


@dataclass(frozen=True, slots=True)
class Applicant:
    """A resident's ranked ``choices`` (batch ids, best first) and their priority ``keys`` at each choice.

    ``keys[i]`` is the applicant's priority at ``choices[i]``: lower is better; equal keys at one batch are
    broken by the applicant id compared as a string.
    """

    id: str
    choices: tuple[str, ...]
    keys: tuple[float, ...]


@dataclass(frozen=True, slots=True)
class Result:
    """What a mechanism gave: every applicant's batch (``None`` when unassigned) and the cancelled batches.

    ``cancelled`` lists batch ids in the order they were cancelled. ``metrics`` is JSON-ready (see
    ``latihkerja.engine.allocation.api.summarise``).
    """

    assignment: dict[str, str | None]
    cancelled: list[str]
    metrics: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Cutoff:
    """The last applicant a batch admitted, which explains every result at that batch.

    An applicant who ranked the batch above their own result was refused because the batch was full
    (``is_full``) and their (key, id) at the batch is worse than (``key``, ``applicant``).
    """

    batch: str
    key: float
    applicant: str
    admitted: int
    capacity: int
    is_full: bool


@dataclass(frozen=True, slots=True)
class ArrayMarket:
    """A market as arrays; ``nb`` batches, ``na`` applicants, ``nnz`` choices in total.

    - ``capacity``, ``minimum``: int64 (nb,).
    - ``batch_order``: int64 (nb,), a permutation: the rank of each batch id as a string (ties when
      choosing which batch to cancel).
    - ``choice_ptr``: int64 (na + 1,), CSR offsets: applicant ``i`` ranks ``choice_batch[ptr[i]:ptr[i+1]]``,
      best first.
    - ``choice_batch``: int64 (nnz,), batch indices; ``choice_key``: float64 (nnz,), priority keys (lower is
      better).
    - ``applicant_order``: int64 (na,), a permutation: the rank of each applicant id as a string (breaks
      equal keys).
    """

    capacity: IntArray
    minimum: IntArray
    batch_order: IntArray
    choice_ptr: IntArray
    choice_batch: IntArray
    choice_key: FloatArray
    applicant_order: IntArray

    @property
    def n_batches(self) -> int:
        return int(self.capacity.shape[0])

    @property
    def n_applicants(self) -> int:
        return int(self.choice_ptr.shape[0]) - 1


@dataclass(frozen=True, slots=True)
class ArrayResult:
    """An allocation as arrays.

    - ``batch``: int64 (na,), the batch index each applicant got, -1 when unassigned.
    - ``choice``: int64 (na,), the 0-based position of that batch in the applicant's list, -1 when
      unassigned.
    - ``cancelled``: int64, batch indices in the order they were cancelled.
    - ``mechanism``, ``seconds``: which mechanism ran, and its wall-clock time.
    """

    batch: IntArray
    choice: IntArray
    cancelled: IntArray
    mechanism: Mechanism
    seconds: float
