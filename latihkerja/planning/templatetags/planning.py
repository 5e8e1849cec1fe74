"""Template filters of the planning pages."""

from __future__ import annotations

from django import template

from latihkerja.common.dates import month_label

register = template.Library()


@register.filter(name="month_label")
def month_label_filter(code: str) -> str:
    """`2026-11` as the reader's language writes the month: "Nov 2026"."""
    return month_label(code)
