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


def open_table(dashboard: Dashboard, dimension: str, measure: str) -> dict[str, Any]:
    """One table (a dimension × one person measure) with its total; hidden cells carry value None."""
    keys = dashboard.keys.get(dimension, [])
    values = {key: dashboard.value(dimension, key, measure) for key in keys}
    total = dashboard.total(measure)
    groups: list[list[str]] = [keys]
    if dimension == Dimension.KELURAHAN:
        by_kecamatan: dict[str, list[str]] = {}
        for key in keys:
            by_kecamatan.setdefault(kecamatan_of(key), []).append(key)
        groups.extend(group for group in by_kecamatan.values() if len(group) >= 2)
    hidden = suppress(values, groups)
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
    return [
        open_table(dashboard, dimension, measure)
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
