"""Welfare-optimal assignment, for comparison only: the most applicants placed, then the best ranks.

Objective (lexicographic): maximise the number of applicants assigned; among those assignments, minimise
the sum of the ranks (1 = first choice) of the choices given; capacities respected. Priorities (keys) are
ignored, so the result is in general *not* stable and *not* strategy-proof: it is shown in reports only to
measure what stability costs.

Method: a min-cost flow source -> applicant (1) -> batch (1 per choice, cost = rank) -> sink (capacity).
Backends: OR-Tools' ``SimpleMinCostFlow.solve_max_flow_with_min_cost`` when ``ortools`` is installed
(fast: ~0.1 s for 12,000 applicants), otherwise SciPy's HiGHS on the same problem as a linear programme
(its constraint matrix is totally unimodular, so the vertex that interior point + crossover returns is
integral; ~10x slower). For the LP one cost per arc, ``rank - M`` with ``M = n * k + 1`` (``n`` applicants,
``k`` the longest list), makes one more assigned applicant worth more than any change in ranks. Both give
the same optimal value; when several assignments are optimal, which one is returned depends on the
backend (deterministic for a given backend and input).

Minimum quotas: the same rule as the other mechanisms, so reports compare like with like: while an open
batch with a positive minimum holds fewer than its minimum, cancel the one holding the fewest (ties:
smallest id as a string) and solve again without it. All batches holding nobody are cancelled at once
(they would come first anyway). With lower quotas the welfare problem itself is NP-hard (Biró, Fleiner,
Irving & Manlove 2010), so this greedy loop is a heuristic, not an optimum.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from .model import ArrayMarket, IntArray

Backend = Literal["auto", "ortools", "scipy"]
Solver = Callable[[NDArray[np.bool_]], IntArray]


def _arcs(market: ArrayMarket) -> tuple[IntArray, IntArray]:
    """Applicant of every proposal, and its rank (1 = first choice)."""
    lengths = np.diff(market.choice_ptr)
    applicant_of = np.repeat(np.arange(market.n_applicants, dtype=np.int64), lengths)
    rank = np.arange(market.choice_batch.shape[0], dtype=np.int64) - market.choice_ptr[:-1][applicant_of] + 1
    return applicant_of, rank


def _ortools_solver(market: ArrayMarket) -> Solver:
    from ortools.graph.python import min_cost_flow  # optional: see the module docstring

    n, nb = market.n_applicants, market.n_batches
    applicant_of, rank = _arcs(market)
    source, sink = n + nb, n + nb + 1
    flow = min_cost_flow.SimpleMinCostFlow()
    nnz = applicant_of.shape[0]
    tails = np.concatenate([np.full(n, source), applicant_of, n + np.arange(nb)]).astype(np.int32)
    heads = np.concatenate([np.arange(n), n + market.choice_batch, np.full(nb, sink)]).astype(np.int32)
    capacity = np.concatenate([np.ones(n + nnz, dtype=np.int64), market.capacity]).astype(np.int64)
    cost = np.concatenate([np.zeros(n, dtype=np.int64), rank, np.zeros(nb, dtype=np.int64)])
    flow.add_arcs_with_capacity_and_unit_cost(tails, heads, capacity, cost)
    flow.set_node_supply(source, n)
    flow.set_node_supply(sink, -n)
    choice_arcs = np.arange(n, n + nnz, dtype=np.int32)
    seat_arcs = np.arange(n + nnz, n + nnz + nb, dtype=np.int32)

    def solve(is_open: NDArray[np.bool_]) -> IntArray:
        flow.set_arc_capacities(seat_arcs, np.where(is_open, market.capacity, 0).astype(np.int64))
        status = flow.solve_max_flow_with_min_cost()
        if status != flow.OPTIMAL:  # pragma: no cover - always feasible (flow 0 is)
            raise RuntimeError(f"welfare solver failed with status {status}")
        taken = np.flatnonzero(np.asarray(flow.flows(choice_arcs)) > 0)
        chosen = np.full(n, -1, dtype=np.int64)
        chosen[applicant_of[taken]] = taken
        return chosen

    return solve


def _scipy_solver(market: ArrayMarket) -> Solver:
    from scipy.optimize import linprog  # imported here: SciPy is slow to import
    from scipy.sparse import csr_array

    n, nb = market.n_applicants, market.n_batches
    applicant_of, rank = _arcs(market)
    lengths = np.diff(market.choice_ptr)
    weight = float(n * int(lengths.max(initial=0)) + 1)

    def solve(is_open: NDArray[np.bool_]) -> IntArray:
        chosen = np.full(n, -1, dtype=np.int64)
        usable = np.flatnonzero(is_open[market.choice_batch] & (market.capacity[market.choice_batch] > 0))
        if usable.size == 0:
            return chosen
        columns = np.arange(usable.size)
        rows = np.concatenate([applicant_of[usable], n + market.choice_batch[usable]])
        matrix = csr_array(
            (np.ones(2 * usable.size), (rows, np.concatenate([columns, columns]))),
            shape=(n + nb, usable.size),
        )
        limits = np.concatenate([np.ones(n), market.capacity.astype(np.float64)])
        cost = rank[usable].astype(np.float64) - weight
        # Interior point with crossover ends on a vertex, integral here; dual simplex is the slow fallback.
        for method in ("highs-ipm", "highs-ds"):
            solution = linprog(cost, A_ub=matrix, b_ub=limits, bounds=(0, 1), method=method)
            if solution.status != 0 or solution.x is None:  # pragma: no cover - a feasible bounded LP
                raise RuntimeError(f"welfare solver failed: {solution.message}")
            x = np.asarray(solution.x)
            taken = x > 0.5
            if np.allclose(x, taken, atol=1e-6):
                break
        else:  # pragma: no cover - total unimodularity makes a vertex integral
            raise RuntimeError("welfare solver returned a fractional assignment")
        chosen[applicant_of[usable[taken]]] = usable[taken]
        return chosen

    return solve


def welfare_assignment(
    market: ArrayMarket, backend: Backend = "auto"
) -> tuple[IntArray, IntArray, list[int]]:
    """Welfare-optimal assignment with greedy minimum-quota cancellation.

    Returns (batch per applicant, choice position per applicant, cancelled batches in order).
    """
    solve: Solver
    if backend == "scipy":
        solve = _scipy_solver(market)
    else:
        try:
            solve = _ortools_solver(market)
        except ImportError:
            if backend == "ortools":
                raise
            solve = _scipy_solver(market)
    is_open = np.ones(market.n_batches, dtype=np.bool_)
    cancelled: list[int] = []
    while True:
        chosen = solve(is_open)
        assigned = chosen >= 0
        batch = np.full(market.n_applicants, -1, dtype=np.int64)
        batch[assigned] = market.choice_batch[chosen[assigned]]
        held = np.bincount(batch[assigned], minlength=market.n_batches)
        short = np.flatnonzero(is_open & (market.minimum > 0) & (held < market.minimum))
        if short.size == 0:
            break
        empty = short[held[short] == 0]
        if empty.size:
            doomed = empty[np.argsort(market.batch_order[empty])]
        else:
            doomed = short[np.lexsort((market.batch_order[short], held[short]))[:1]]
        is_open[doomed] = False
        cancelled.extend(doomed.tolist())
    choice = np.where(assigned, chosen - market.choice_ptr[:-1], -1).astype(np.int64)
    return batch, choice, cancelled
