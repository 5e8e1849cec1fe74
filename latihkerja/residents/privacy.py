"""A resident's own data, for download (UU PDP: the right of access) and for erasure, from every app.

Each app that keeps personal data about a resident declares it in its own `privacy.py`:
- `@personal_data("section")`: a function from the resident to JSON-ready rows, for the download;
- `@erasure_blocker`: a function from the resident to a reason their data cannot be erased now (a seat in a
  class still running), or `None`;
- `@on_erasure`: a function that erases or withdraws what the app keeps about the resident, run by
  `services.erase_resident` inside its transaction, before the profile itself is blanked.

`personal_data_of` and the erasure discover those modules, so an app added later adds its part without
touching this one, and this low-level app never imports the apps built on top of it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from .models import Resident

Exporter = Callable[[Resident], list[dict[str, Any]]]
Blocker = Callable[[Resident], str | None]
Eraser = Callable[[Resident, Any], None]
_EXPORTERS: dict[str, Exporter] = {}
_BLOCKERS: list[Blocker] = []
_ERASERS: list[Eraser] = []


def personal_data(section: str) -> Callable[[Exporter], Exporter]:
    """Register `func(resident) -> rows` as the `section` of a resident's data download."""

    def register(func: Exporter) -> Exporter:
        _EXPORTERS[section] = func
        return func

    return register


def erasure_blocker(func: Blocker) -> Blocker:
    """Register `func(resident) -> reason | None`: why the resident's data cannot be erased now."""
    if func not in _BLOCKERS:
        _BLOCKERS.append(func)
    return func


def on_erasure(func: Eraser) -> Eraser:
    """Register `func(resident, actor)`: erase what this app keeps about the resident (in the caller's
    transaction, before the profile is blanked, so it still reads the phone and the account)."""
    if func not in _ERASERS:
        _ERASERS.append(func)
    return func


def erasure_blocked_by(resident: Resident) -> list[str]:
    """Every reason the resident's data cannot be erased now (empty: it can)."""
    autodiscover_modules("privacy")
    return [reason for blocker in _BLOCKERS if (reason := blocker(resident))]


def run_erasers(resident: Resident, actor: Any) -> None:
    autodiscover_modules("privacy")
    for eraser in _ERASERS:
        eraser(resident, actor)


def jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def personal_data_of(resident: Resident) -> dict[str, Any]:
    """Everything LatihKerja keeps about `resident`, section by section (profile first)."""
    autodiscover_modules("privacy")
    data: dict[str, Any] = {
        "generated_at": jsonable(timezone.now()),
        "profile": {
            "nik": resident.nik,
            "full_name": resident.full_name,
            "sex": resident.sex,
            "birth_date": jsonable(resident.birth_date),
            "kelurahan": resident.kelurahan.name,
            "kecamatan": resident.kelurahan.kecamatan.name,
            "address": resident.address,
            "phone": resident.phone,
            "email": resident.email,
            "education": resident.education,
            "employment_status": resident.employment_status,
            "has_disability": resident.has_disability,
            "interests": sorted(resident.interests.values_list("name", flat=True)),
            "created_at": jsonable(resident.created_at),
        },
    }
    for section in sorted(_EXPORTERS):
        rows = _EXPORTERS[section](resident)
        data[section] = [{key: jsonable(value) for key, value in row.items()} for row in rows]
    return data
