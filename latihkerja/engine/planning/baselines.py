"""Two baseline planners for comparison in the app and the benchmark; both respect every rule.

* Even spread: centres in input order, each slot takes the next theme round-robin (regardless of demand
  or interest) that the rules allow there; the month is the centre's least-used month with an OPD place.
* Greedy: repeatedly place the batch with the largest marginal (covered demand, then enrolment, then
  lowest cost) over (theme, kecamatan) pairs, at the kecamatan's centre with the most open slots and the
  month where that OPD has the most capacity left. Marginal gains only fall as batches are added and a
  pair that cannot take a batch never can again (every resource only gets used up), so a lazy max-heap
  gives exactly the greedy choice.

Budget: in a first pass a batch is placed only if what is left still pays for the remaining slots at the
cheapest theme's cost (when the budget can pay for that at all), so neither baseline spends everything on
the first slots; a second pass fills what is still empty with whatever the budget allows. Slots no theme
fits stay empty: the plan then reports a shortfall.
"""

from __future__ import annotations

import heapq

from .index import Index
from .types import Batch


class _Board:
    """The partial plan both baselines build, with the rules' remaining room."""

    def __init__(self, index: Index) -> None:
        data = index.data
        self.index = index
        self.center_month = [[0] * index.month_count for _ in data.centers]
        self.planned = [0] * len(data.centers)
        self.opd_month = [[0] * index.month_count for _ in index.opds]
        self.theme_kecamatan: dict[tuple[int, int], int] = {}
        self.theme = [0] * len(data.themes)
        self.spent = 0
        self.slots_left = index.slots
        cheapest = min((theme.cost for theme in data.themes), default=0)
        self.reserve = cheapest if data.budget >= cheapest * index.slots else 0
        self.batches: list[Batch] = []

    def interest_allows(self, theme: int, kecamatan: int) -> bool:
        limit = self.index.interest_limit(theme, kecamatan)
        return limit is None or self.theme_kecamatan.get((theme, kecamatan), 0) < limit

    def budget_allows(self, theme: int) -> bool:
        left = self.index.data.budget - self.spent - self.index.data.themes[theme].cost
        return left >= 0 and left >= (self.slots_left - 1) * self.reserve

    def month_for(self, center: int, theme: int) -> int | None:
        """The centre's least-used month with a free room and room at the theme's OPD, if any."""
        index = self.index
        opd = index.theme_opd[theme]
        rooms = index.data.centers[center].rooms
        open_months = [
            month
            for month in range(index.month_count)
            if self.center_month[center][month] < rooms
            and self.opd_month[opd][month] < index.opd_limit[opd][month]
        ]
        if not open_months:
            return None
        return min(
            open_months,
            key=lambda m: (self.center_month[center][m], self.opd_month[opd][m] - index.opd_limit[opd][m], m),
        )

    def place(self, center: int, theme: int, month: int) -> None:
        index = self.index
        kecamatan = index.center_kecamatan[center]
        self.center_month[center][month] += 1
        self.planned[center] += 1
        self.opd_month[index.theme_opd[theme]][month] += 1
        self.theme_kecamatan[(theme, kecamatan)] = self.theme_kecamatan.get((theme, kecamatan), 0) + 1
        self.theme[theme] += 1
        self.spent += index.data.themes[theme].cost
        self.slots_left -= 1
        data = index.data
        self.batches.append(Batch(data.centers[center].id, data.themes[theme].id, data.months[month]))


def even_spread_batches(index: Index) -> list[Batch]:
    board = _Board(index)
    cursor = _even_spread_pass(board, 0)
    # Second pass without the budget reserve: a slot the reserve kept empty releases its share anyway.
    board.reserve = 0
    _even_spread_pass(board, cursor)
    return board.batches


def _even_spread_pass(board: _Board, cursor: int) -> int:
    index = board.index
    data = index.data
    themes = len(data.themes)
    for center, spec in enumerate(data.centers):
        kecamatan = index.center_kecamatan[center]
        for _ in range(spec.trainings - board.planned[center]):
            placed = False
            for offset in range(themes):
                theme = (cursor + offset) % themes
                if not (board.interest_allows(theme, kecamatan) and board.budget_allows(theme)):
                    continue
                month = board.month_for(center, theme)
                if month is not None:
                    board.place(center, theme, month)
                    cursor = theme + 1
                    placed = True
                    break
            if not placed:
                break
    return cursor


def greedy_batches(index: Index) -> list[Batch]:
    board = _Board(index)
    _greedy_pass(board)
    # Second pass without the budget reserve: a slot the reserve kept empty releases its share anyway.
    board.reserve = 0
    _greedy_pass(board)
    return board.batches


def _greedy_pass(board: _Board) -> None:
    index = board.index
    data = index.data

    def key(theme: int, kecamatan: int) -> tuple[int, int, int, int, int]:
        spec = data.themes[theme]
        count = board.theme[theme]
        headcount = index.headcount[theme]
        demand_gain = min(headcount, spec.capacity * (count + 1)) - min(headcount, spec.capacity * count)
        residents = index.interest.get((theme, kecamatan), 0)
        local = board.theme_kecamatan.get((theme, kecamatan), 0)
        enrolment_gain = min(residents, spec.capacity * (local + 1)) - min(residents, spec.capacity * local)
        return (-demand_gain, -enrolment_gain, spec.cost, theme, kecamatan)

    with_slots = sorted(
        {index.center_kecamatan[c] for c, center in enumerate(data.centers) if center.trainings > 0}
    )
    heap = [key(theme, kecamatan) for theme in range(len(data.themes)) for kecamatan in with_slots]
    heapq.heapify(heap)
    while heap and board.slots_left > 0:
        top = heapq.heappop(heap)
        theme, kecamatan = top[3], top[4]
        current = key(theme, kecamatan)
        if current != top:
            heapq.heappush(heap, current)
            continue
        # Any failure below is permanent (resources only get used up), so the pair is dropped for good.
        if not (board.interest_allows(theme, kecamatan) and board.budget_allows(theme)):
            continue
        choice = _center_and_month(board, theme, kecamatan)
        if choice is None:
            continue
        board.place(choice[0], theme, choice[1])
        heapq.heappush(heap, key(theme, kecamatan))


def _center_and_month(board: _Board, theme: int, kecamatan: int) -> tuple[int, int] | None:
    index = board.index
    candidates = [
        center
        for center in index.centers_of_kecamatan[kecamatan]
        if board.planned[center] < index.data.centers[center].trainings
    ]
    candidates.sort(key=lambda c: (board.planned[c] - index.data.centers[c].trainings, c))
    for center in candidates:
        month = board.month_for(center, theme)
        if month is not None:
            return center, month
    return None
