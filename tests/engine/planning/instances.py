"""Small planning inputs for the tests: hand-made documents and a hypothesis strategy of random ones."""

from __future__ import annotations

import copy
import math
import random
from typing import Any

from hypothesis import strategies as st

Document = dict[str, Any]

EXAMPLE: Document = {
    "months": ["2020-10", "2020-11", "2020-12"],
    "centers": [{"id": "C1", "kelurahan": "K1", "kecamatan": "D1", "trainings": 5, "rooms": 1}],
    "themes": [{"id": "T1", "opd": "O1", "cost": 15000000, "capacity": 25, "minimum": 20}],
    "demand": [{"theme": "T1", "headcount": 40}],
    "interest": [{"theme": "T1", "kelurahan": "K1", "residents": 30}],
    "opd_capacity": [{"opd": "O1", "month": "2020-10", "batches": 30}],
    "budget": 5000000000,
}


def two_districts() -> Document:
    """Feasible: 3 centres in 2 kecamatan, 3 themes under 2 OPDs, 2 months, every rule able to bind."""
    months = ["2021-01", "2021-02"]
    return {
        "months": months,
        "centers": [
            {"id": "A1", "kelurahan": "KA1", "kecamatan": "DA", "trainings": 2, "rooms": 1},
            {"id": "A2", "kelurahan": "KA2", "kecamatan": "DA", "trainings": 1, "rooms": 1},
            {"id": "B1", "kelurahan": "KB1", "kecamatan": "DB", "trainings": 2, "rooms": 2},
        ],
        "themes": [
            {"id": "las", "opd": "disnaker", "cost": 10, "capacity": 20, "minimum": 10},
            {"id": "barista", "opd": "disperindag", "cost": 6, "capacity": 15, "minimum": 10},
            {"id": "batik", "opd": "disperindag", "cost": 4, "capacity": 10, "minimum": 5},
        ],
        "demand": [{"theme": "las", "headcount": 50}, {"theme": "barista", "headcount": 20}],
        "interest": [
            {"theme": "las", "kelurahan": "KA1", "residents": 25},
            {"theme": "barista", "kelurahan": "KA2", "residents": 12},
            {"theme": "batik", "kelurahan": "KA1", "residents": 30},
            {"theme": "las", "kelurahan": "KB1", "residents": 12},
            {"theme": "barista", "kelurahan": "KB1", "residents": 40},
            {"theme": "batik", "kelurahan": "KB1", "residents": 6},
        ],
        "opd_capacity": [
            {"opd": "disnaker", "month": months[0], "batches": 2},
            {"opd": "disnaker", "month": months[1], "batches": 1},
            {"opd": "disperindag", "month": months[0], "batches": 2},
            {"opd": "disperindag", "month": months[1], "batches": 2},
        ],
        "budget": 36,
    }


def changed(document: Document, **changes: Any) -> Document:
    result = copy.deepcopy(document)
    result.update(changes)
    return result


@st.composite
def small_documents(draw: st.DrawFn, *, max_plans: int = 3000) -> Document:
    """Random inputs small enough for brute force (at most ``max_plans`` candidate plans)."""
    months = ["2021-03", "2021-04"][: draw(st.sampled_from([2, 1, 2]))]
    theme_count = draw(st.sampled_from([2, 1, 3, 2]))
    opds = ["O1", "O2"][: draw(st.integers(1, 2))]
    themes = []
    for position in range(theme_count):
        capacity = draw(st.integers(1, 6))
        themes.append(
            {
                "id": f"T{position}",
                "opd": opds[position % len(opds)],
                "cost": draw(st.integers(0, 5)),
                "capacity": capacity,
                "minimum": draw(st.integers(0, capacity)),
            }
        )
    kecamatans = ["D1", "D2"][: draw(st.integers(1, 2))]
    centers = []
    for position in range(draw(st.sampled_from([2, 1, 3, 3]))):
        centers.append(
            {
                "id": f"C{position}",
                "kelurahan": f"K{position}",
                "kecamatan": draw(st.sampled_from(kecamatans)),
                "trainings": draw(st.sampled_from([1, 0, 2, 2])),
                "rooms": draw(st.sampled_from([1, 2, 2, 1, 0])),
            }
        )
    options = theme_count * len(months)
    plans = math.prod(
        sum(math.comb(options + size - 1, size) for size in range(c["trainings"] + 1)) for c in centers
    )
    if plans > max_plans:
        for center in centers:
            center["trainings"] = min(center["trainings"], 1)
    demand = [
        {"theme": theme["id"], "headcount": draw(st.integers(0, 12))}
        for theme in themes
        if draw(st.booleans())
    ]
    interest = [
        {"theme": theme["id"], "kelurahan": center["kelurahan"], "residents": draw(st.integers(0, 9))}
        for theme in themes
        for center in centers
        if draw(st.integers(0, 3)) > 0
    ]
    opd_capacity = [
        {"opd": opd, "month": month, "batches": draw(st.integers(0, 3))}
        for opd in sorted({theme["opd"] for theme in themes})
        for month in months
        if draw(st.integers(0, 4)) > 0  # sometimes no row: an implicit capacity of 0
    ]
    return {
        "months": months,
        "centers": centers,
        "themes": themes,
        "demand": demand,
        "interest": interest,
        "opd_capacity": opd_capacity,
        "budget": draw(st.integers(0, 12)),
    }


def months_bind(*, with_spare_opd: bool) -> Document:
    """Month-free counts that no month schedule can hold.

    Each centre runs one batch in each of the two months. Kecamatan DA can take themes A (O1) and B
    (O2), DB themes A and C (O3); O2 and O3 only work in the first month and O1 once a month, so DA and
    DB would both need O1 in the second month. Totals per OPD fit, so only a model with months sees it.
    ``with_spare_opd`` adds theme D (O4, any month, no demand), which makes a plan possible again.
    """
    months = ["2021-05", "2021-06"]
    themes = [
        {"id": "A", "opd": "O1", "cost": 1, "capacity": 10, "minimum": 1},
        {"id": "B", "opd": "O2", "cost": 1, "capacity": 10, "minimum": 1},
        {"id": "C", "opd": "O3", "cost": 1, "capacity": 10, "minimum": 1},
    ]
    interest = [
        {"theme": "A", "kelurahan": "KA", "residents": 20},
        {"theme": "B", "kelurahan": "KA", "residents": 10},
        {"theme": "A", "kelurahan": "KB", "residents": 20},
        {"theme": "C", "kelurahan": "KB", "residents": 10},
    ]
    capacity = [
        {"opd": "O1", "month": months[0], "batches": 1},
        {"opd": "O1", "month": months[1], "batches": 1},
        {"opd": "O2", "month": months[0], "batches": 1},
        {"opd": "O3", "month": months[0], "batches": 1},
    ]
    if with_spare_opd:
        themes.append({"id": "D", "opd": "O4", "cost": 1, "capacity": 10, "minimum": 1})
        interest += [
            {"theme": "D", "kelurahan": "KA", "residents": 5},
            {"theme": "D", "kelurahan": "KB", "residents": 5},
        ]
        capacity += [{"opd": "O4", "month": month, "batches": 2} for month in months]
    return {
        "months": months,
        "centers": [
            {"id": "CA", "kelurahan": "KA", "kecamatan": "DA", "trainings": 2, "rooms": 1},
            {"id": "CB", "kelurahan": "KB", "kecamatan": "DB", "trainings": 2, "rooms": 1},
        ],
        "themes": themes,
        "demand": [
            {"theme": "A", "headcount": 20},
            {"theme": "B", "headcount": 10},
            {"theme": "C", "headcount": 10},
        ],
        "interest": interest,
        "opd_capacity": capacity,
        "budget": 100,
    }


def medium_document(seed: int) -> Document:
    """A seeded random input of 5–40 centres, too big for brute force, with every rule able to bind."""
    rng = random.Random(seed)
    months = [f"2024-{m:02d}" for m in range(1, rng.randint(2, 5) + 1)]
    opds = [f"O{o}" for o in range(rng.randint(1, 4))]
    themes = []
    for position in range(rng.randint(2, 8)):
        capacity = rng.randint(10, 30)
        themes.append(
            {
                "id": f"T{position}",
                "opd": rng.choice(opds),
                "cost": rng.randint(1, 9) * 1000,
                "capacity": capacity,
                "minimum": rng.randint(0, capacity // 2),
            }
        )
    kecamatans = [f"D{k}" for k in range(rng.randint(1, 5))]
    centers = []
    for c in range(rng.randint(5, 40)):
        rooms = rng.randint(1, 3)
        centers.append(
            {
                "id": f"C{c}",
                "kelurahan": f"K{c}",
                "kecamatan": rng.choice(kecamatans),
                "trainings": rng.randint(0, min(5, rooms * len(months))),
                "rooms": rooms,
            }
        )
    if rng.random() < 0.2:
        centers[0]["rooms"] = 0
    slots = sum(center["trainings"] for center in centers)
    share = slots / len(months) / len({t["opd"] for t in themes})
    return {
        "months": months,
        "centers": centers,
        "themes": themes,
        "demand": [
            {"theme": t["id"], "headcount": rng.randint(0, 400)} for t in themes if rng.random() < 0.7
        ],
        "interest": [
            {"theme": t["id"], "kelurahan": c["kelurahan"], "residents": rng.randint(0, 80)}
            for t in themes
            for c in centers
            if rng.random() < 0.5
        ],
        "opd_capacity": [
            {"opd": opd, "month": month, "batches": round(share * rng.uniform(0.5, 2.5))}
            for opd in sorted({t["opd"] for t in themes})
            for month in months
            if rng.random() < 0.9
        ],
        "budget": rng.randint(3 * slots, 8 * slots) * 1000,
    }
