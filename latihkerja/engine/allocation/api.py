"""The engine's entry points: ``allocate`` (records), ``allocate_arrays`` (arrays), ``cutoffs``, ``summarise``."""

from __future__ import annotations

import time
from collections.abc import Sequence

import numpy as np

from .deferred import deferred_acceptance
from .market import check_market, market_from_records
from .model import (
    MECHANISMS,
    AllocationInputError,
    Applicant,
    ArrayMarket,
    ArrayResult,
    Batch,
    Cutoff,
    FloatArray,
    IntArray,
    Mechanism,
    Result,
)
from .welfare import welfare_assignment


def allocate_arrays(
    market: ArrayMarket, mechanism: Mechanism = "da", *, validate: bool = True
) -> ArrayResult:
    """Run ``mechanism`` on an array market; minimum quotas are applied the same way for all three.

    - ``"da"``: resident-optimal stable matching by deferred acceptance (the product's mechanism).
    - ``"fcfs"``: first come, first served: applicants in input order each take their best choice with a
      seat left (computed as DA where every batch ranks applicants by input order).
    - ``"welfare"``: most applicants assigned, then lowest sum of choice ranks (comparison only).

    ``validate=False`` skips ``check_market`` for arrays the engine built itself.
    """
    if mechanism not in MECHANISMS:
        raise AllocationInputError(
            f"unknown mechanism {mechanism!r}; expected one of {', '.join(MECHANISMS)}"
        )
    started = time.perf_counter()
    if validate:
        check_market(market)
    if mechanism == "welfare":
        batch, choice, cancelled = welfare_assignment(market)
    else:
        batch, choice, cancelled = deferred_acceptance(market, arrival_order=mechanism == "fcfs")
    return ArrayResult(
        batch=batch,
        choice=choice,
        cancelled=np.asarray(cancelled, dtype=np.int64),
        mechanism=mechanism,
        seconds=time.perf_counter() - started,
    )


def summarise(market: ArrayMarket, result: ArrayResult, seconds: float | None = None) -> dict[str, object]:
    """Report figures, JSON-ready.

    ``choice_counts[i]`` / ``choice_shares[i]``: how many / what share of *all* applicants got their
    ``(i+1)``-th choice. ``seconds``: engine time, from parsed input to assignment.
    """
    n = market.n_applicants
    longest = int(np.diff(market.choice_ptr).max()) if n else 0
    assigned = result.choice >= 0
    counts = np.bincount(result.choice[assigned], minlength=longest)
    return {
        "mechanism": result.mechanism,
        "applicants": n,
        "batches": market.n_batches,
        "assigned": int(assigned.sum()),
        "unassigned": int(n - assigned.sum()),
        "choice_counts": [int(c) for c in counts],
        "choice_shares": [round(int(c) / n, 6) for c in counts] if n else [],
        "batches_cancelled": int(result.cancelled.shape[0]),
        "seconds": round(result.seconds if seconds is None else seconds, 6),
    }


def allocate(
    batches: Sequence[Batch], applicants: Sequence[Applicant], mechanism: Mechanism = "da"
) -> Result:
    """Allocate seats; the result names every applicant (``None``: unassigned) and the cancelled batches.

    Raises ``AllocationInputError`` (one line naming the batch or applicant) on bad input.
    """
    started = time.perf_counter()
    market, batch_ids, applicant_ids = market_from_records(batches, applicants)
    arrays = allocate_arrays(market, mechanism, validate=False)
    names = np.array([*batch_ids, None], dtype=object)  # index -1 is "unassigned"
    assignment: dict[str, str | None] = dict(zip(applicant_ids, names[arrays.batch].tolist(), strict=True))
    cancelled = [batch_ids[b] for b in arrays.cancelled.tolist()]
    metrics = summarise(market, arrays, time.perf_counter() - started)
    return Result(assignment=assignment, cancelled=cancelled, metrics=metrics)


def cutoff_arrays(market: ArrayMarket, result: ArrayResult) -> tuple[IntArray, FloatArray, IntArray]:
    """Per batch: the last admitted applicant (-1: none), their key there (NaN: none), and how many it holds."""
    applicants = np.flatnonzero(result.batch >= 0)
    batch = result.batch[applicants]
    key = market.choice_key[market.choice_ptr[applicants] + result.choice[applicants]]
    order = np.lexsort((market.applicant_order[applicants], key, batch))
    batch, key, applicants = batch[order], key[order], applicants[order]
    last = np.ones(batch.shape[0], dtype=np.bool_)
    last[:-1] = batch[1:] != batch[:-1]
    who = np.full(market.n_batches, -1, dtype=np.int64)
    where = np.full(market.n_batches, np.nan, dtype=np.float64)
    who[batch[last]] = applicants[last]
    where[batch[last]] = key[last]
    held = np.bincount(batch, minlength=market.n_batches).astype(np.int64)
    return who, where, held


def cutoffs(
    batches: Sequence[Batch], applicants: Sequence[Applicant], result: Result
) -> dict[str, Cutoff | None]:
    """For each batch id, the cut-off of a deferred-acceptance ``result`` (``None``: cancelled or empty).

    Why a resident got their result: they hold a seat at their best choice whose cut-off they beat;
    every batch they ranked higher is cancelled, or full with a cut-off (key, id) better than theirs at
    that batch. Only meaningful for ``mechanism="da"``; other results raise ``ValueError``.
    """
    if result.metrics.get("mechanism") != "da":
        raise ValueError("cut-offs explain deferred-acceptance results only")
    market, batch_ids, applicant_ids = market_from_records(batches, applicants)
    index = {bid: i for i, bid in enumerate(batch_ids)}
    missing = set(applicant_ids) - result.assignment.keys()
    if missing:
        raise AllocationInputError(f"the result does not name applicant {sorted(missing)[0]!r}")
    batch = np.array(
        [-1 if (got := result.assignment[a]) is None else index[got] for a in applicant_ids], dtype=np.int64
    )
    choice = np.full(batch.shape[0], -1, dtype=np.int64)
    for i, applicant in enumerate(applicants):
        if batch[i] >= 0:
            choice[i] = list(applicant.choices).index(batch_ids[batch[i]])
    arrays = ArrayResult(batch, choice, np.zeros(0, dtype=np.int64), "da", 0.0)
    who, key, held = cutoff_arrays(market, arrays)
    report: dict[str, Cutoff | None] = {}
    for b, bid in enumerate(batch_ids):
        if who[b] < 0:
            report[bid] = None
            continue
        seats = int(batches[b].capacity)
        report[bid] = Cutoff(
            batch=bid,
            key=float(key[b]),
            applicant=applicant_ids[who[b]],
            admitted=int(held[b]),
            capacity=seats,
            is_full=int(held[b]) >= seats,
        )
    return report
