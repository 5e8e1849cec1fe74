"""Independent reference for the planner's tests: a rule checker and a brute-force optimum.

Written from the contract's text only (it imports nothing from the planner), on the raw JSON-shaped
input, so a bug shared by the planner and its own checker cannot hide here.
"""

from __future__ import annotations

import itertools
from collections import Counter
from typing import Any

Document = dict[str, Any]
Row = dict[str, str]


def kecamatan_of(document: Document) -> dict[str, str]:
    return {center["kelurahan"]: center["kecamatan"] for center in document["centers"]}


def interest_by_kecamatan(document: Document) -> Counter[tuple[str, str]]:
    where = kecamatan_of(document)
    totals: Counter[tuple[str, str]] = Counter()
    for row in document["interest"]:
        totals[(row["theme"], row.get("kecamatan") or where[row["kelurahan"]])] += row["residents"]
    return totals


def broken_rules(document: Document, batches: list[Row], *, targets_exact: bool = True) -> list[str]:
    """Every rule the batches break, as readable strings (empty: all rules hold)."""
    centers = {center["id"]: center for center in document["centers"]}
    themes = {theme["id"]: theme for theme in document["themes"]}
    broken: list[str] = []
    per_center = Counter(batch["center"] for batch in batches)
    for center in document["centers"]:
        planned = per_center[center["id"]]
        if planned > center["trainings"] or (targets_exact and planned != center["trainings"]):
            broken.append(f"trainings {center['id']}: {planned} of {center['trainings']}")
    for (center, month), count in Counter((b["center"], b["month"]) for b in batches).items():
        if count > centers[center]["rooms"]:
            broken.append(f"rooms {center} {month}: {count}")
    limits = {(row["opd"], row["month"]): row["batches"] for row in document["opd_capacity"]}
    for (opd, month), count in Counter((themes[b["theme"]]["opd"], b["month"]) for b in batches).items():
        if count > limits.get((opd, month), 0):
            broken.append(f"opd {opd} {month}: {count}")
    cost = sum(themes[b["theme"]]["cost"] for b in batches)
    if cost > document["budget"]:
        broken.append(f"budget: {cost}")
    interest = interest_by_kecamatan(document)
    local = Counter((b["theme"], centers[b["center"]]["kecamatan"]) for b in batches)
    for (theme, kecamatan), count in local.items():
        if themes[theme]["minimum"] * count > interest[(theme, kecamatan)]:
            broken.append(f"interest {theme} {kecamatan}: {count}")
    if any(b["month"] not in document["months"] for b in batches):
        broken.append("unknown month")
    return broken


def score(document: Document, batches: list[Row]) -> tuple[int, int]:
    """(covered demand, expected enrolment) straight from the contract's formulas."""
    themes = {theme["id"]: theme for theme in document["themes"]}
    headcount: Counter[str] = Counter()
    for row in document["demand"]:
        headcount[row["theme"]] += row["headcount"]
    per_theme = Counter(b["theme"] for b in batches)
    covered = sum(min(headcount[t], themes[t]["capacity"] * per_theme[t]) for t in themes)
    centers = {center["id"]: center for center in document["centers"]}
    local = Counter((b["theme"], centers[b["center"]]["kecamatan"]) for b in batches)
    interest = interest_by_kecamatan(document)
    enrolled = sum(min(interest[key], themes[key[0]]["capacity"] * count) for key, count in local.items())
    return covered, enrolled


def brute_force(document: Document) -> tuple[bool, tuple[int, int, int, int]]:
    """Whether every target can be met, and the best (centres on target, batches, demand, enrolment).

    When the targets can all be met the first two are fixed, so the tuple ranks plans by the objective.
    """
    options = [(theme["id"], month) for theme in document["themes"] for month in document["months"]]
    per_center = []
    for center in document["centers"]:
        choices = []
        for size in range(center["trainings"] + 1):
            for combo in itertools.combinations_with_replacement(options, size):
                if max(Counter(month for _, month in combo).values(), default=0) <= center["rooms"]:
                    choices.append(combo)
        per_center.append(choices)
    best: tuple[int, int, int, int] | None = None
    feasible = False
    for selection in itertools.product(*per_center):
        batches = [
            {"center": center["id"], "theme": theme, "month": month}
            for center, combo in zip(document["centers"], selection, strict=True)
            for theme, month in combo
        ]
        if broken_rules(document, batches, targets_exact=False):
            continue
        on_target = sum(
            1
            for center, combo in zip(document["centers"], selection, strict=True)
            if len(combo) == center["trainings"]
        )
        key = (on_target, len(batches), *score(document, batches))
        feasible = feasible or on_target == len(document["centers"])
        if best is None or key > best:
            best = key
    assert best is not None  # planning nothing always obeys the rules
    return feasible, best
