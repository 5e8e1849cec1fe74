"""Plain reference implementations (slow, obvious) and hypothesis strategies for the allocation tests."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager

import numpy as np
from hypothesis import strategies as st

from latihkerja.engine.allocation import Applicant, Batch, deferred

Assignment = dict[str, str | None]


def priority(applicant: Applicant, batch: str) -> tuple[float, str]:
    return (applicant.keys[applicant.choices.index(batch)], applicant.id)


def gale_shapley(
    batches: Sequence[Batch], applicants: Sequence[Applicant], closed: Iterable[str] = ()
) -> Assignment:
    """Applicant-proposing deferred acceptance, one proposal at a time, closed batches refusing all."""
    shut = set(closed)
    capacity = {b.id: (0 if b.id in shut else b.capacity) for b in batches}
    held: dict[str, list[Applicant]] = {b.id: [] for b in batches}
    following = {a.id: 0 for a in applicants}
    free = list(applicants)
    while free:
        applicant = free.pop()
        if following[applicant.id] >= len(applicant.choices):
            continue
        batch = applicant.choices[following[applicant.id]]
        held[batch].append(applicant)
        held[batch].sort(key=lambda a: priority(a, batch))
        if len(held[batch]) > capacity[batch]:
            refused = held[batch].pop()
            following[refused.id] += 1
            free.append(refused)
    assignment: Assignment = {a.id: None for a in applicants}
    for batch, holders in held.items():
        for applicant in holders:
            assignment[applicant.id] = batch
    return assignment


def serial_dictatorship(
    batches: Sequence[Batch], applicants: Sequence[Applicant], closed: Iterable[str] = ()
) -> Assignment:
    """First come, first served: in input order, each takes their best choice with a seat left."""
    shut = set(closed)
    seats = {b.id: (0 if b.id in shut else b.capacity) for b in batches}
    assignment: Assignment = {}
    for applicant in applicants:
        got = next((b for b in applicant.choices if seats[b] > 0), None)
        assignment[applicant.id] = got
        if got is not None:
            seats[got] -= 1
    return assignment


Mechanism = Callable[[Sequence[Batch], Sequence[Applicant], Iterable[str]], Assignment]


def with_minimum(
    mechanism: Mechanism, batches: Sequence[Batch], applicants: Sequence[Applicant]
) -> tuple[Assignment, list[str]]:
    """The cancellation rule by brute force: re-run from scratch after each cancellation."""
    cancelled: list[str] = []
    while True:
        assignment = mechanism(batches, applicants, cancelled)
        held = {b.id: 0 for b in batches}
        for batch in assignment.values():
            if batch is not None:
                held[batch] += 1
        short = [(held[b.id], b.id) for b in batches if b.id not in cancelled and held[b.id] < b.minimum]
        if not short:
            return assignment, cancelled
        cancelled.append(min(short)[1])


def blocking_pairs(
    batches: Sequence[Batch],
    applicants: Sequence[Applicant],
    assignment: Assignment,
    cancelled: Iterable[str],
) -> list[tuple[str, str]]:
    """(applicant, batch) pairs that would both rather be together, among open batches."""
    shut = set(cancelled)
    capacity = {b.id: b.capacity for b in batches}
    holders: dict[str, list[Applicant]] = {b.id: [] for b in batches}
    for applicant in applicants:
        got = assignment[applicant.id]
        if got is not None:
            holders[got].append(applicant)
    pairs = []
    for applicant in applicants:
        got = assignment[applicant.id]
        better = applicant.choices if got is None else applicant.choices[: applicant.choices.index(got)]
        for batch in better:
            if batch in shut or capacity[batch] == 0:
                continue
            full = len(holders[batch]) >= capacity[batch]
            if not full or any(priority(applicant, batch) < priority(h, batch) for h in holders[batch]):
                pairs.append((applicant.id, batch))
    return pairs


def best_welfare(batches: Sequence[Batch], applicants: Sequence[Applicant]) -> tuple[int, int]:
    """(most assigned, then least rank sum) by enumerating every assignment."""
    capacity = {b.id: b.capacity for b in batches}
    best = (0, 0)
    options = [[None, *range(len(a.choices))] for a in applicants]
    for pick in itertools.product(*options):
        used: dict[str, int] = {}
        for applicant, position in zip(applicants, pick, strict=True):
            if position is not None:
                batch = applicant.choices[position]
                used[batch] = used.get(batch, 0) + 1
        if any(count > capacity[b] for b, count in used.items()):
            continue
        placed = [p for p in pick if p is not None]
        value = (len(placed), -sum(p + 1 for p in placed))
        best = max(best, value)
    return best[0], -best[1]


# -- strategies -------------------------------------------------------------------------------------------
IDS = st.text(alphabet="AB019", min_size=1, max_size=3)
# Few distinct values, so ties are common; -0.0 equals 0.0; 1.0 and the next float differ in the last bit.
KEYS = st.sampled_from([-2.5, -1.0, -0.0, 0.0, 0.5, 1.0, 1.0000000000000002, 2.5, 1e300])


@st.composite
def markets(
    draw: st.DrawFn,
    max_batches: int = 5,
    max_applicants: int = 10,
    minimum: bool = True,
    min_capacity: int = 0,
    min_choices: int = 0,
) -> tuple[list[Batch], list[Applicant]]:
    batch_ids = draw(st.lists(IDS, min_size=1, max_size=max_batches, unique=True))
    batches = []
    for bid in batch_ids:
        capacity = draw(st.integers(min_capacity, 3))
        floor = draw(st.integers(0, capacity)) if minimum else 0
        batches.append(Batch(bid, capacity, floor))
    applicant_ids = draw(st.lists(IDS, max_size=max_applicants, unique=True))
    applicants = []
    for aid in applicant_ids:
        choices = draw(
            st.lists(
                st.sampled_from(batch_ids), min_size=min(min_choices, len(batch_ids)), max_size=4, unique=True
            )
        )
        keys = draw(st.lists(KEYS, min_size=len(choices), max_size=len(choices)))
        applicants.append(Applicant(aid, tuple(choices), tuple(keys)))
    return batches, applicants


@contextmanager
def scalar_path(threshold: int) -> Iterator[None]:
    """Force every free set through the vectorised rounds (1) or through the scalar loop (huge)."""
    saved = deferred.SCALAR_BELOW
    deferred.SCALAR_BELOW = threshold
    try:
        yield
    finally:
        deferred.SCALAR_BELOW = saved


def random_market(
    rng: np.random.Generator, n_applicants: int, n_batches: int, floor: int
) -> tuple[list[Batch], list[Applicant]]:
    """A market big enough for vectorised rounds, with popular batches (long chains) and many ties."""
    capacity = rng.integers(1, 12, n_batches)
    batches = [Batch(f"B{i}", int(c), int(min(c, floor))) for i, c in enumerate(capacity)]
    weights = 1.0 / np.arange(1, n_batches + 1)
    weights /= weights.sum()
    applicants = []
    for i in range(n_applicants):
        picks = rng.choice(n_batches, size=4, replace=False, p=weights)
        keys = rng.integers(0, 3, 4) + rng.integers(0, 4, 4) / 4
        applicants.append(Applicant(f"A{i}", tuple(f"B{b}" for b in picks), tuple(float(k) for k in keys)))
    return batches, applicants
