"""A resident's own data, for download (UU PDP: the right of access), gathered from every app.

Each app that keeps personal data about a resident declares it in its own `privacy.py` with
`@personal_data("section")`: a function from the resident to JSON-ready rows. `personal_data_of` discovers
those modules, so an app added later adds its section without touching this one, and this low-level app never
imports the apps built on top of it.
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
_EXPORTERS: dict[str, Exporter] = {}


def personal_data(section: str) -> Callable[[Exporter], Exporter]:
    """Register `func(resident) -> rows` as the `section` of a resident's data download."""

    def register(func: Exporter) -> Exporter:
        _EXPORTERS[section] = func
        return func

    return register


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
