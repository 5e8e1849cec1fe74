"""The public open-data tables: city-wide aggregates of the current period's summary rows, person counts with
small cells suppressed (`suppression.suppress`), no personal data."""

from __future__ import annotations

from typing import Any

from .enums import Dimension, Measure
from .exports import dimension_label, measure_label
from .queries import Dashboard
from .suppression import suppress, total_is_hidden

OPEN_DIMENSIONS = [
    Dimension.KECAMATAN,
    Dimension.KELURAHAN,
    Dimension.THEME,
    Dimension.AGENCY,
    Dimension.MODALITY,
    Dimension.SEX,
    Dimension.AGE_BAND,
    Dimension.EMPLOYMENT,
]
OPEN_MEASURES = [Measure.REGISTERED, Measure.ALLOCATED, Measure.COMPLETED, Measure.DROPPED_OUT]


def kecamatan_of(kelurahan_code: str) -> str:
    """Kemendagri codes nest: kelurahan 36.71.01.1001 lies in kecamatan 36.71.01."""
    return kelurahan_code.rsplit(".", 1)[0]


# Tables whose cells add up to another table's cells: each pair is suppressed together, or a figure hidden in
# one could be recovered from the other (an OPD hidden as a complement while its one theme is published).
PARENTS: dict[str, str] = {Dimension.KELURAHAN: Dimension.KECAMATAN, Dimension.THEME: Dimension.AGENCY}
CHILDREN: dict[str, str] = {parent: child for child, parent in PARENTS.items()}


def _parent_keys(dimension: str, keys: list[str]) -> dict[str, str]:
    """Each key of a child dimension → its parent's key (a kelurahan's kecamatan, a theme's OPD)."""
    if dimension == Dimension.KELURAHAN:
        return {key: kecamatan_of(key) for key in keys}
    from latihkerja.catalog.models import Theme

    agency = dict(Theme.objects.filter(code__in=keys).values_list("code", "agency__code"))
    return {key: agency[key] for key in keys if key in agency}


def hidden_keys(
    dashboard: Dashboard, dimension: str, measure: str, *, memo: dict[Any, Any] | None = None
) -> set[str]:
    """The keys of `dimension` whose figure of `measure` is suppressed, its parent or child table considered.

    A pair of tables is suppressed once per measure: `memo` (one per `open_tables`) keeps the result for the
    other table of the pair, and the themes' OPDs for every measure."""
    child = CHILDREN.get(dimension, dimension)
    memo = {} if memo is None else memo
    if (child, measure) not in memo:
        memo[(child, measure)] = _suppressed_pair(dashboard, child, measure, memo)
    return {key for table, key in memo[(child, measure)] if table == dimension}


def _suppressed_pair(
    dashboard: Dashboard, child: str, measure: str, memo: dict[Any, Any]
) -> set[tuple[str, str]]:
    parent = PARENTS.get(child)
    child_keys = dashboard.keys.get(child, [])
    values = {(child, key): dashboard.value(child, key, measure) for key in child_keys}
    groups: list[list[tuple[str, str]]] = [list(values)]
    linked: list[list[tuple[str, str]]] = []
    if parent is not None:
        parent_keys = dashboard.keys.get(parent, [])
        values |= {(parent, key): dashboard.value(parent, key, measure) for key in parent_keys}
        groups.append([(parent, key) for key in parent_keys])
        members: dict[str, list[tuple[str, str]]] = {key: [(parent, key)] for key in parent_keys}
        if ("parents", child) not in memo:
            memo[("parents", child)] = _parent_keys(child, child_keys)
        for key, parent_key in memo[("parents", child)].items():
            members.setdefault(parent_key, [(parent, parent_key)]).append((child, key))
        linked = [group for group in members.values() if len(group) >= 2]
    return suppress(values, groups, linked=linked)


def open_table(
    dashboard: Dashboard, dimension: str, measure: str, *, memo: dict[Any, Any] | None = None
) -> dict[str, Any]:
    """One table (a dimension × one person measure) with its total; hidden cells carry value None."""
    keys = dashboard.keys.get(dimension, [])
    values = {key: dashboard.value(dimension, key, measure) for key in keys}
    total = dashboard.total(measure)
    hidden = hidden_keys(dashboard, dimension, measure, memo=memo)
    total_hidden = total_is_hidden(total)
    return {
        "dimension": dimension,
        "dimension_label": dimension_label(dimension),
        "measure": measure,
        "measure_label": measure_label(measure),
        "total": None if total_hidden else total,
        "cells": [
            {
                "key": key,
                "label": dashboard.labels.get((dimension, key), key),
                "value": None if (key in hidden or total_hidden) else values[key],
            }
            for key in keys
        ],
    }


def open_tables(dashboard: Dashboard) -> list[dict[str, Any]]:
    memo: dict[Any, Any] = {}
    return [
        open_table(dashboard, dimension, measure, memo=memo)
        for dimension in OPEN_DIMENSIONS
        for measure in OPEN_MEASURES
    ]


def open_batch_counts(dashboard: Dashboard) -> dict[str, Any]:
    """Batches are not persons: published as they are."""
    return {
        "batches": dashboard.total(Measure.BATCHES),
        "batches_at_minimum": dashboard.total(Measure.BATCHES_AT_MINIMUM),
        "demand": dashboard.total(Measure.DEMAND),
    }
