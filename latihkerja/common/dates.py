"""Dates as the reader's language writes them."""

from __future__ import annotations

import datetime as dt

from django.utils.formats import date_format


def month_label(code: str, format: str = "M Y") -> str:
    """A month key (`YYYY-MM`, the unit of plans and of the dashboard's trend) in the active language:
    "Nov 2026" by default, "November 2026" with `format="F Y"`. A key that is not a month is returned as is."""
    try:
        year, month = (int(part) for part in code.split("-"))
        return date_format(dt.date(year, month, 1), format)
    except ValueError:
        return code
