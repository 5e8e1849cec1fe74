"""Cells written to CSV or Excel files that people open in a spreadsheet program."""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise

# A cell starting with one of these is read as a formula by Excel, LibreOffice and Google Sheets.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """Text a spreadsheet would run as a formula gets a leading apostrophe (CSV/formula injection, OWASP);
    numbers, dates and other values pass unchanged; a lazily translated label becomes its text."""
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value
