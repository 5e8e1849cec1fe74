"""Reading and checking the planner's input.

:func:`parse_input` turns the JSON document of the contract into a :class:`PlanningInput`;
:func:`validate_input` checks a :class:`PlanningInput` however it was built (the app builds them directly),
so every entry point of the package refuses the same bad input with the same one-line message.

Refused (``PlanningInputError``): a missing or unknown key, a wrong type, a negative number, a
non-integral amount, ``capacity`` < 1, ``minimum`` > ``capacity``, duplicate centre or theme ids,
malformed (not ``YYYY-MM``) or duplicated months, a kelurahan placed in two kecamatan, a demand or
interest row naming an unknown theme, an interest row for a kelurahan that no centre names and that does
not say its kecamatan, an OPD capacity row naming an OPD that supervises no theme or a month outside
``months``, and two capacity rows for the same (opd, month).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from .types import Center, Demand, Interest, OpdCapacity, PlanningInput, PlanningInputError, Theme

_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_T = TypeVar("_T")

_TOP_KEYS = ("months", "centers", "themes", "demand", "interest", "opd_capacity", "budget")
_ROW_KEYS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # section: (required keys, optional keys)
    "centers": (("id", "kelurahan", "kecamatan", "trainings", "rooms"), ()),
    "themes": (("id", "opd", "cost", "capacity", "minimum"), ()),
    "demand": (("theme", "headcount"), ()),
    "interest": (("theme", "kelurahan", "residents"), ("kecamatan",)),
    "opd_capacity": (("opd", "month", "batches"), ()),
}


def parse_input(document: Any) -> PlanningInput:
    """Build a checked :class:`PlanningInput` from the decoded JSON document of the contract."""
    if not isinstance(document, Mapping):
        raise PlanningInputError("input must be a JSON object")
    _check_keys("input", document, _TOP_KEYS, ())
    months = document["months"]
    if not isinstance(months, list):
        raise PlanningInputError("months must be a list of YYYY-MM strings")
    for position, month in enumerate(months):
        if not isinstance(month, str):
            raise PlanningInputError(f"months[{position}] must be a YYYY-MM string, got {month!r}")
    parsed = PlanningInput(
        months=tuple(months),
        centers=_rows(document, "centers", _center),
        themes=_rows(document, "themes", _theme),
        demand=_rows(document, "demand", _demand),
        interest=_rows(document, "interest", _interest),
        opd_capacity=_rows(document, "opd_capacity", _opd_capacity),
        budget=_integer("budget", document["budget"]),
    )
    validate_input(parsed)
    return parsed


def validate_input(data: PlanningInput) -> None:
    """Raise :class:`PlanningInputError` (one line) unless ``data`` satisfies the contract."""
    _check_months(data.months)
    _non_negative("budget", data.budget)
    kecamatan_of: dict[str, str] = {}
    seen_centers: set[str] = set()
    for position, center in enumerate(data.centers):
        where = f"centers[{position}]"
        _identifier(f"{where}.id", center.id)
        _identifier(f"{where}.kelurahan", center.kelurahan)
        _identifier(f"{where}.kecamatan", center.kecamatan)
        _non_negative(f"{where}.trainings", center.trainings)
        _non_negative(f"{where}.rooms", center.rooms)
        if center.id in seen_centers:
            raise PlanningInputError(f"{where}.id: duplicate centre id {center.id!r}")
        seen_centers.add(center.id)
        known = kecamatan_of.setdefault(center.kelurahan, center.kecamatan)
        if known != center.kecamatan:
            raise PlanningInputError(
                f"{where}: kelurahan {center.kelurahan!r} is placed in kecamatan {center.kecamatan!r} "
                f"and {known!r}"
            )
    opds: set[str] = set()
    seen_themes: set[str] = set()
    for position, theme in enumerate(data.themes):
        where = f"themes[{position}]"
        _identifier(f"{where}.id", theme.id)
        _identifier(f"{where}.opd", theme.opd)
        _non_negative(f"{where}.cost", theme.cost)
        _non_negative(f"{where}.capacity", theme.capacity)
        _non_negative(f"{where}.minimum", theme.minimum)
        if theme.capacity < 1:
            raise PlanningInputError(f"{where}.capacity must be at least 1, got {theme.capacity}")
        if theme.minimum > theme.capacity:
            raise PlanningInputError(
                f"{where}: minimum {theme.minimum} is greater than capacity {theme.capacity}"
            )
        if theme.id in seen_themes:
            raise PlanningInputError(f"{where}.id: duplicate theme id {theme.id!r}")
        seen_themes.add(theme.id)
        opds.add(theme.opd)
    for position, demand in enumerate(data.demand):
        where = f"demand[{position}]"
        _known_theme(f"{where}.theme", demand.theme, seen_themes)
        _non_negative(f"{where}.headcount", demand.headcount)
    for position, interest in enumerate(data.interest):
        where = f"interest[{position}]"
        _known_theme(f"{where}.theme", interest.theme, seen_themes)
        _identifier(f"{where}.kelurahan", interest.kelurahan)
        _non_negative(f"{where}.residents", interest.residents)
        named = kecamatan_of.get(interest.kelurahan)
        if interest.kecamatan is None:
            if named is None:
                raise PlanningInputError(
                    f"{where}.kelurahan: no centre names kelurahan {interest.kelurahan!r}; "
                    "give the row a kecamatan"
                )
        else:
            _identifier(f"{where}.kecamatan", interest.kecamatan)
            if named is not None and named != interest.kecamatan:
                raise PlanningInputError(
                    f"{where}.kecamatan: kelurahan {interest.kelurahan!r} is in kecamatan {named!r}, "
                    f"not {interest.kecamatan!r}"
                )
    months = set(data.months)
    seen_rows: set[tuple[str, str]] = set()
    for position, row in enumerate(data.opd_capacity):
        where = f"opd_capacity[{position}]"
        _identifier(f"{where}.opd", row.opd)
        if row.opd not in opds:
            raise PlanningInputError(f"{where}.opd: unknown opd {row.opd!r} (no theme names it)")
        if row.month not in months:
            raise PlanningInputError(f"{where}.month: {row.month!r} is not one of the months")
        _non_negative(f"{where}.batches", row.batches)
        if (row.opd, row.month) in seen_rows:
            raise PlanningInputError(f"{where}: duplicate row for opd {row.opd!r} in {row.month}")
        seen_rows.add((row.opd, row.month))


def _check_months(months: tuple[str, ...]) -> None:
    if not months:
        raise PlanningInputError("months must list at least one month")
    seen: set[str] = set()
    for position, month in enumerate(months):
        if not isinstance(month, str) or not _MONTH.match(month):
            raise PlanningInputError(f"months[{position}] must be YYYY-MM, got {month!r}")
        if month in seen:
            raise PlanningInputError(f"months[{position}]: duplicate month {month!r}")
        seen.add(month)


def _check_keys(
    where: str, row: Mapping[Any, Any], required: tuple[str, ...], optional: tuple[str, ...]
) -> None:
    for key in required:
        if key not in row:
            raise PlanningInputError(f"{where}: missing key {key!r}")
    for key in row:
        if key not in required and key not in optional:
            raise PlanningInputError(f"{where}: unknown key {key!r}")


def _rows(
    document: Mapping[str, Any], section: str, build: Callable[[str, Mapping[str, Any]], _T]
) -> tuple[_T, ...]:
    rows = document[section]
    if not isinstance(rows, list):
        raise PlanningInputError(f"{section} must be a list of objects")
    required, optional = _ROW_KEYS[section]
    built: list[_T] = []
    for position, row in enumerate(rows):
        where = f"{section}[{position}]"
        if not isinstance(row, Mapping):
            raise PlanningInputError(f"{where} must be an object")
        _check_keys(where, row, required, optional)
        built.append(build(where, row))
    return tuple(built)


def _center(where: str, row: Mapping[str, Any]) -> Center:
    return Center(
        id=_string(f"{where}.id", row["id"]),
        kelurahan=_string(f"{where}.kelurahan", row["kelurahan"]),
        kecamatan=_string(f"{where}.kecamatan", row["kecamatan"]),
        trainings=_integer(f"{where}.trainings", row["trainings"]),
        rooms=_integer(f"{where}.rooms", row["rooms"]),
    )


def _theme(where: str, row: Mapping[str, Any]) -> Theme:
    return Theme(
        id=_string(f"{where}.id", row["id"]),
        opd=_string(f"{where}.opd", row["opd"]),
        cost=_integer(f"{where}.cost", row["cost"]),
        capacity=_integer(f"{where}.capacity", row["capacity"]),
        minimum=_integer(f"{where}.minimum", row["minimum"]),
    )


def _demand(where: str, row: Mapping[str, Any]) -> Demand:
    return Demand(
        theme=_string(f"{where}.theme", row["theme"]),
        headcount=_integer(f"{where}.headcount", row["headcount"]),
    )


def _interest(where: str, row: Mapping[str, Any]) -> Interest:
    kecamatan = row.get("kecamatan")
    return Interest(
        theme=_string(f"{where}.theme", row["theme"]),
        kelurahan=_string(f"{where}.kelurahan", row["kelurahan"]),
        residents=_integer(f"{where}.residents", row["residents"]),
        kecamatan=None if kecamatan is None else _string(f"{where}.kecamatan", kecamatan),
    )


def _opd_capacity(where: str, row: Mapping[str, Any]) -> OpdCapacity:
    return OpdCapacity(
        opd=_string(f"{where}.opd", row["opd"]),
        month=_string(f"{where}.month", row["month"]),
        batches=_integer(f"{where}.batches", row["batches"]),
    )


def _string(where: str, value: Any) -> str:
    if not isinstance(value, str):
        raise PlanningInputError(f"{where} must be a string, got {value!r}")
    return value


def _integer(where: str, value: Any) -> int:
    # JSON writers may emit 5.0 for 5; a fractional batch, seat or Rupiah is refused, and so is a boolean.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PlanningInputError(f"{where} must be a whole number, got {value!r}")
    if isinstance(value, float):
        if not value.is_integer():
            raise PlanningInputError(f"{where} must be a whole number, got {value!r}")
        return int(value)
    return value


def _non_negative(where: str, value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise PlanningInputError(f"{where} must be a whole number, got {value!r}")
    if value < 0:
        raise PlanningInputError(f"{where} must not be negative, got {value}")


def _identifier(where: str, value: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise PlanningInputError(f"{where} must be a non-empty string, got {value!r}")


def _known_theme(where: str, theme: str, themes: set[str]) -> None:
    if theme not in themes:
        raise PlanningInputError(f"{where}: unknown theme {theme!r}")
