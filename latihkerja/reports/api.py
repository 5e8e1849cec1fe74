"""Open-data endpoints of the JSON API (aggregates only, small cells suppressed)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from latihkerja.api.schemas import Invalid, Message

from .enums import Scope
from .opendata import open_batch_counts, open_tables
from .queries import load_dashboard, period_from

router = Router(tags=["open data"])


class CellOut(Schema):
    key: str
    label: str
    value: int | None


class TableOut(Schema):
    dimension: str
    measure: str
    total: int | None
    cells: list[CellOut]


class OpenDataOut(Schema):
    period: str
    period_name: str
    refreshed_at: dt.datetime | None
    suppression_threshold: int
    batches: int
    batches_at_minimum: int
    demand: int
    tables: list[TableOut]


@router.get(
    "/open-data/figures",
    response={200: OpenDataOut, 404: Message, 422: Invalid},
    summary="Programme figures by region, theme, OPD and group (small cells suppressed)",
)
def open_data_figures(request: HttpRequest, period: str | None = None) -> dict[str, Any]:
    """City-wide aggregates of a period (default: the current one). Person counts below 5, and the cells that
    would let one recover them by subtraction from a published total, are `null`. Unknown period: 404."""
    from .suppression import THRESHOLD

    data = load_dashboard(period_from(period, public=True), Scope.CITY, 0)
    return {
        "period": data.period.code,
        "period_name": data.period.name,
        "refreshed_at": data.refreshed_at,
        "suppression_threshold": THRESHOLD,
        **open_batch_counts(data),
        "tables": open_tables(data),
    }
