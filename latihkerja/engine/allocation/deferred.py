"""Resident-proposing deferred acceptance on arrays, with minimum-quota cancellation that resumes.

Algorithm
---------
Gale–Shapley deferred acceptance (DA) with applicants proposing: a free applicant proposes to their best
choice not yet refused; each batch holds the best ``capacity`` applicants that ever proposed to it (by
(key, id)) and refuses the rest; refused applicants continue down their lists. The outcome does not depend
on the order in which proposals are processed (Gale & Shapley 1962; Roth 1982), which allows two things:

1. *Rounds*: all free applicants propose at once (numpy, vectorised); when few are free, a plain scalar
   loop over the same arrays is cheaper, so the engine switches to it.
2. *Resuming*: cancelling a batch is "it refuses everyone from now on": its applicants are freed and
   continue down their lists from where they are. The result is the DA outcome of the market without the
   cancelled batch, with no restart.

Data layout: every proposal has a fixed slot in its batch's priority-ordered list (``ordering``). A batch's
state is one integer ``bound``: the slot just after its worst held applicant (or the list's end while it
has free seats). A proposal whose slot is at or past ``bound`` would be refused at once, so applicants skip
it without proposing; the applicants a batch holds are the proposed slots before ``bound``. When a batch
overflows, ``bound`` moves left past the refused slots. It only ever moves left, so the scanning work over
a whole run is linear in the number of proposals (up to the constant of the doubling windows).

Minimum quotas: after DA has converged, while some open batch with a positive minimum holds fewer than its
minimum, the one holding the fewest (ties: smallest id as a string) is cancelled, its applicants continue,
DA re-converges, and the check repeats. Counts held by open batches never decrease (removing a batch only
adds proposals elsewhere), so a lazy heap keyed by (held, id rank) finds that batch exactly. A batch
holding nobody is cancelled too (it cannot reach its minimum); a batch with minimum 0 never is. Those come
first: their key (0, id) precedes every other, cancelling one frees nobody, and no open batch's count ever
drops to 0, so they are cancelled at the start in id order at no cost. The phase after the first DA is
sequential by the rule and runs as one scalar loop laid out for few cache misses
(``DeferredAcceptance.cancel_below_minimum``).
"""

from __future__ import annotations

import heapq
from typing import Protocol

import numpy as np

from .model import ArrayMarket, IntArray
from .ordering import Owner, Priority, ProposalOrder, order_proposals, owner_of

# Below this many free applicants a Python loop beats a vectorised round (measured on 2 cores, numpy 2.x).
SCALAR_BELOW = 192


class _Cells(Protocol):
    """Integer cells indexed one at a time: a memoryview of an array, or a list."""

    def __getitem__(self, index: int, /) -> int: ...

    def __setitem__(self, index: int, value: int, /) -> None: ...


class DeferredAcceptance:
    """The mutable state of one deferred-acceptance run over one market (see the module docstring)."""

    def __init__(self, market: ArrayMarket, order: ProposalOrder, applicant_of: Owner) -> None:
        self.capacity = np.ascontiguousarray(market.capacity, dtype=np.int64)
        self.batch_of = np.ascontiguousarray(market.choice_batch, dtype=np.int64)
        self.first = np.ascontiguousarray(market.choice_ptr[:-1], dtype=np.int64)
        self.last = np.ascontiguousarray(market.choice_ptr[1:], dtype=np.int64)
        self.position = order.position
        self.start = order.start
        self.cursor = self.first.copy()
        self.bound = np.where(self.capacity > 0, order.end, order.start).astype(np.int64)
        self.held = np.zeros(market.n_batches, dtype=np.int64)
        self.proposed = np.zeros(self.batch_of.shape[0], dtype=np.bool_)
        self.holder = applicant_of(order.sorted_proposal)
        self.proposal_at = order.sorted_proposal
        self.applicant_of = applicant_of
        self.n_batches = market.n_batches
        # Plain-int views of the same buffers for the scalar loop (no numpy scalar per element).
        self.views: tuple[_Cells, ...] = tuple(
            array.data
            for array in (
                self.cursor,
                self.last,
                self.batch_of,
                self.position,
                self.bound,
                self.held,
                self.capacity,
                self.proposed,
                self.holder,
                self.start,
            )
        )

    # -- the vectorised step ------------------------------------------------------------------------------
    def _round(self, free: IntArray) -> IntArray:
        """Every free applicant proposes to their next choice that would not refuse them at once.

        ``cursor[free]`` points at the first choice to try. Returns the applicants refused in this round,
        their cursors already moved past the refusing batch.
        """
        cursor, last, position, bound, batch_of = (
            self.cursor,
            self.last,
            self.position,
            self.bound,
            self.batch_of,
        )
        nothing = np.zeros(0, dtype=np.int64)
        apps = free
        at = cursor[apps]
        made: list[IntArray] = []
        while apps.size:
            live = at < last[apps]
            if not live.all():
                gone = apps[~live]
                cursor[gone] = last[gone]
                apps, at = apps[live], at[live]
                if not apps.size:
                    break
            viable = position[at] < bound[batch_of[at]]
            took = at[viable]
            cursor[apps[viable]] = took
            made.append(took)
            passed = ~viable
            apps, at = apps[passed], at[passed] + 1
        if not made:
            return nothing
        proposals = np.concatenate(made) if len(made) > 1 else made[0]
        if not proposals.size:
            return nothing
        self.proposed[position[proposals]] = True
        batches = batch_of[proposals]
        if batches.size * 4 >= self.n_batches:
            counts = np.bincount(batches, minlength=self.n_batches)
            touched = np.flatnonzero(counts)
            arrived = counts[touched]
        else:
            touched, arrived = np.unique(batches, return_counts=True)
        total = self.held[touched] + arrived
        seats = self.capacity[touched]
        self.held[touched] = np.minimum(total, seats)
        full = total >= seats
        if not full.any():
            return nothing
        filled = touched[full]
        worst, refused = self._scan(filled, total[full] - seats[full] + 1)
        bound[filled] = worst + 1
        losers = self.holder[refused]
        cursor[losers] += 1
        return losers

    def _scan(self, batches: IntArray, need: IntArray) -> tuple[IntArray, IntArray]:
        """For each batch, walk its list left from ``bound`` to the ``need``-th proposed slot.

        Returns that slot (the worst applicant kept) and the ``need - 1`` proposed slots passed on the way
        (the refused). Windows double in width until found, so each scan reads O(distance walked) slots.
        """
        proposed = self.proposed
        high = self.bound[batches]
        floor = self.start[batches]
        width = need * 2 + 16
        which = np.arange(batches.size)
        worst = np.empty(batches.size, dtype=np.int64)
        refused: list[IntArray] = []
        while True:
            low = np.maximum(high - width, floor)
            lengths = high - low
            seg_end = np.cumsum(lengths)
            seg_start = seg_end - lengths
            seg = np.repeat(np.arange(which.size), lengths)
            slots = np.repeat(high - 1 + seg_start, lengths) - np.arange(int(seg_end[-1]))
            flag = proposed[slots]
            run = np.cumsum(flag, dtype=np.int64)
            base = run[seg_start] - flag[seg_start]
            local = run - base[seg]
            wanted = need[seg]
            hit = np.flatnonzero(flag & (local == wanted))
            hit_seg = seg[hit]
            worst[which[hit_seg]] = slots[hit]
            refused.append(slots[flag & (local < wanted)])
            if hit.size == which.size:
                break
            rest = np.ones(which.size, dtype=np.bool_)
            rest[hit_seg] = False
            got = run[seg_end - 1] - base
            need = (need - got)[rest]
            high, floor, width, which = low[rest], floor[rest], width[rest] * 2, which[rest]
        return worst, np.concatenate(refused) if len(refused) > 1 else refused[0]

    # -- the scalar step ----------------------------------------------------------------------------------
    def _run_scalar(self, free: list[int]) -> None:
        """The same proposals one at a time, through memoryviews (plain ints, no numpy per element)."""
        cursor, last, batch_of, position, bound, held, capacity, proposed, holder, _ = self.views
        while free:
            applicant = free.pop()
            at = cursor[applicant]
            stop = last[applicant]
            batch = slot = -1
            while at < stop:
                batch = batch_of[at]
                slot = position[at]
                if slot < bound[batch]:
                    break
                at += 1
            cursor[applicant] = at
            if at >= stop:
                continue
            proposed[slot] = True
            count = held[batch] + 1
            seats = capacity[batch]
            if count < seats:
                held[batch] = count
                continue
            held[batch] = seats
            j = bound[batch] - 1
            if count > seats:  # one too many: refuse the worst, who may be the newcomer
                while not proposed[j]:
                    j -= 1
                loser = holder[j]
                cursor[loser] += 1
                free.append(loser)
                j -= 1
            while not proposed[j]:
                j -= 1
            bound[batch] = j + 1

    def run(self, free: IntArray) -> None:
        """Let ``free`` applicants (cursors at their next choice to try) propose until nobody is free."""
        while free.size >= SCALAR_BELOW:
            free = self._round(free)
        if free.size:
            self._run_scalar(free.tolist())

    # -- minimum quotas -----------------------------------------------------------------------------------
    def cancel_below_minimum(self, minimum: IntArray, batch_order: IntArray) -> list[int]:
        """Cancel, one at a time, the open batch holding the fewest below its minimum; return them in order.

        A lazy heap keyed by (held, id rank) is exact because held counts of open batches only grow: an
        entry whose count is out of date is re-queued with the current count when it reaches the top.
        The key is one int, ``held << shift | rank``, which compares several times faster than a tuple.

        Each cancellation frees fewer applicants than the batch's minimum, so DA resumes in a scalar loop
        (``_run_scalar``'s step, inlined) that is bound by memory latency, not arithmetic, so it is laid out
        to touch few cache lines: the free list holds the *proposals* that were refused or released (not
        applicants), each proposal's slot, batch and "last choice" flag sit side by side (``_choice_code``),
        held counts are kept as seats left, and cursors are not touched until the end (``_move_cursors``).
        """
        candidates = np.flatnonzero((minimum > 0) & (self.held < minimum))
        if not candidates.size:
            return []
        shift = max(self.n_batches - 1, 1).bit_length()
        mask = (1 << shift) - 1
        heap: list[int] = ((self.held[candidates] << shift) | batch_order[candidates]).tolist()
        heapq.heapify(heap)
        by_rank = np.empty(self.n_batches, dtype=np.int64)
        by_rank[batch_order] = np.arange(self.n_batches, dtype=np.int64)
        batch_at: list[int] = by_rank.tolist()
        bound: list[int] = self.bound.tolist()
        room: list[int] = (self.capacity - self.held).tolist()  # seats left
        capacity: list[int] = self.capacity.tolist()
        start: list[int] = self.start.tolist()
        floor: list[int] = minimum.tolist()
        code = self._choice_code()
        proposal_at: _Cells = self.proposal_at.data
        proposed: _Cells = self.proposed.data
        heappop, heappush = heapq.heappop, heapq.heappush
        cancelled: list[int] = []
        # 2 * each proposal accepted in this phase, and 2 * the last proposal + 1 of each applicant left
        # with nothing: the cursors are set from it at the end (``_move_cursors``).
        moved: list[int] = []
        move = moved.append
        try:
            while heap:
                entry = heappop(heap)
                shut = batch_at[entry & mask]
                count = capacity[shut] - room[shut]
                if count >= floor[shut]:
                    continue
                if count != entry >> shift:  # it gained applicants since it was queued
                    heappush(heap, (count << shift) | (entry & mask))
                    continue
                cancelled.append(shut)
                low = start[shut]
                high = bound[shut]
                bound[shut] = low  # it refuses everyone from now on
                if not count:
                    continue
                room[shut] = capacity[shut]
                # Its applicants continue down their lists: DA resumes. ``free`` holds the proposals that
                # were refused (or released); each applicant goes on from the one after.
                free = [proposal_at[s] for s in range(low, high) if proposed[s]]
                while free:
                    two = free.pop() * 2
                    flag = code[two]
                    while not flag & 1:  # not the applicant's last choice
                        two += 2
                        flag = code[two]
                        batch = code[two + 1]
                        slot = flag >> 1
                        if slot < bound[batch]:
                            break
                    else:
                        move(two + 1)
                        continue
                    move(two)
                    proposed[slot] = True
                    left = room[batch]
                    if left > 1:
                        room[batch] = left - 1
                        continue
                    j = bound[batch] - 1
                    if left:  # now full
                        room[batch] = 0
                    else:  # one too many: refuse the worst, who may be the newcomer
                        while not proposed[j]:
                            j -= 1
                        free.append(proposal_at[j])
                        j -= 1
                    while not proposed[j]:
                        j -= 1
                    bound[batch] = j + 1
        finally:
            self.bound[:] = bound
            self.held[:] = self.capacity - np.array(room, dtype=np.int64)
            self._move_cursors(moved)
        return cancelled

    def _choice_code(self) -> _Cells:
        """Per proposal ``p``, cells ``2p`` and ``2p + 1``: ``2 * slot + (p is its applicant's last)``, its batch.

        One cache line gives the scalar loop all it reads about a proposal and the next ones of the same
        applicant; the flag replaces looking up the applicant's list end.
        """
        n = self.batch_of.shape[0]
        dtype = np.int32 if 2 * n + 1 < 2**31 and self.n_batches < 2**31 else np.int64
        code = np.empty(2 * n, dtype=dtype)
        flags = code[0::2]
        np.multiply(self.position, 2, out=flags, casting="unsafe")
        ends = self.last[self.last > self.first] - 1
        flags[ends] += 1
        code[1::2] = self.batch_of
        return code.data

    def _move_cursors(self, moved: list[int]) -> None:
        """Move the cursors of the applicants the cancellations moved: ``2 * p`` means "now holds proposal
        ``p``", ``2 * p + 1`` "past its last proposal ``p``". Cursors only move forward: the largest wins.
        """
        if not moved:
            return
        code = np.array(moved, dtype=np.int64)
        where = code >> 1
        np.maximum.at(self.cursor, self.applicant_of(where), where + (code & 1))

    def outcome(self) -> tuple[IntArray, IntArray]:
        """Each applicant's batch index and 0-based choice position (-1 and -1 when unassigned)."""
        assigned = self.cursor < self.last
        batch = np.full(self.cursor.shape[0], -1, dtype=np.int64)
        batch[assigned] = self.batch_of[self.cursor[assigned]]
        choice = np.where(assigned, self.cursor - self.first, -1).astype(np.int64)
        return batch, choice


def deferred_acceptance(
    market: ArrayMarket, *, arrival_order: bool = False, apply_minimum: bool = True
) -> tuple[IntArray, IntArray, list[int]]:
    """Run DA on ``market``; return (batch per applicant, choice position per applicant, cancelled batches).

    ``arrival_order`` replaces every batch's priority by the applicants' input order, which turns DA into
    first come, first served (serial dictatorship in input order).
    """
    applicant_of = owner_of(market.choice_ptr)
    priority = None if arrival_order else Priority(market.choice_key, applicant_of, market.applicant_order)
    order = order_proposals(market.choice_batch, market.n_batches, priority)
    del priority
    state = DeferredAcceptance(market, order, applicant_of)
    del order, applicant_of
    state.run(np.arange(market.n_applicants, dtype=np.int64))
    cancelled: list[int] = []
    if apply_minimum:
        cancelled = state.cancel_below_minimum(market.minimum, market.batch_order)
    batch, choice = state.outcome()
    return batch, choice, cancelled
