"""A resident's own data, for download (UU PDP: the right of access) and for erasure, from every app.

Each app that keeps personal data about a resident declares it in its own `privacy.py`:
- `@personal_data("section")`: a function from the resident to JSON-ready rows, for the download;
- `@erasure_blocker`: a function from the resident to a reason their data cannot be erased now (a seat in a
  class still running), or `None`;
- `@on_erasure`: a function that erases or withdraws what the app keeps about the resident, run by
  `services.erase_resident` inside its transaction, before the profile itself is blanked;
- `@retention("kind")`: a function from the current time to how many records past their retention period
  (`settings.RETENTION_DAYS`) it deleted or blanked, run daily by `manage.py purge_personal_data`.

`personal_data_of` and the erasure discover those modules, so an app added later adds its part without
touching this one, and this low-level app never imports the apps built on top of it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from .crypto import decrypt_identity
from .models import ERASED_NAME, DeletionRequest, Resident

Exporter = Callable[[Resident], list[dict[str, Any]]]
Blocker = Callable[[Resident], str | None]
Eraser = Callable[[Resident, Any], None]
Purger = Callable[[dt.datetime], int]
_EXPORTERS: dict[str, Exporter] = {}
_BLOCKERS: list[Blocker] = []
_ERASERS: list[Eraser] = []
_PURGERS: dict[str, Purger] = {}


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


def blank_admin_history(model: type[Any], pks: Iterable[Any]) -> None:
    """The admin's history names each object it logged by its `str`, a resident's name for a profile, an
    application or a consent: an erasure rewrites those entries to the erased profile's name."""
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id__in=[str(pk) for pk in pks]
    ).update(object_repr=ERASED_NAME)


def erasure_blocked_by(resident: Resident) -> list[str]:
    """Every reason the resident's data cannot be erased now (empty: it can)."""
    autodiscover_modules("privacy")
    return [reason for blocker in _BLOCKERS if (reason := blocker(resident))]


def run_erasers(resident: Resident, actor: Any) -> None:
    autodiscover_modules("privacy")
    for eraser in _ERASERS:
        eraser(resident, actor)


def retention(kind: str) -> Callable[[Purger], Purger]:
    """Register `func(now) -> count` as the purge of `kind`: what is kept past its retention period goes."""

    def register(func: Purger) -> Purger:
        _PURGERS[kind] = func
        return func

    return register


def purge_expired(now: dt.datetime) -> dict[str, int]:
    """Run every app's purge; how many records of each kind went."""
    autodiscover_modules("privacy")
    return {kind: _PURGERS[kind](now) for kind in sorted(_PURGERS)}


def kept_since(kind: str, now: dt.datetime) -> dt.datetime:
    """The oldest moment whose `kind` records are still within their retention period."""
    return now - dt.timedelta(days=settings.RETENTION_DAYS[kind])


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
            "kk": decrypt_identity(resident.kk_encrypted) if resident.kk_encrypted else "",
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
        "account": _account(resident),
    }
    for section in sorted(_EXPORTERS):
        rows = _EXPORTERS[section](resident)
        data[section] = [{key: jsonable(value) for key, value in row.items()} for row in rows]
    return data


@retention("residents")
def inactive_residents(now: dt.datetime) -> int:
    from .services import purge_inactive_residents  # services builds on this module

    return purge_inactive_residents(now)


@retention("sign_in_codes")
def sign_in_codes(now: dt.datetime) -> int:
    from latihkerja.accounts.models import OneTimeCode

    deleted, _ = OneTimeCode.objects.filter(created_at__lt=kept_since("sign_in_codes", now)).delete()
    return deleted


def _account(resident: Resident) -> dict[str, Any]:
    user = resident.user
    if user is None:
        return {}
    return {
        "username": user.username,
        "language": user.language,
        "date_joined": jsonable(user.date_joined),
        "last_login": jsonable(user.last_login),
    }


@personal_data("deletion_requests")
def deletion_requests(resident: Resident) -> list[dict[str, Any]]:
    return list(
        DeletionRequest.objects.filter(resident=resident)
        .order_by("requested_at")
        .values("requested_at", "reason", "status", "note", "handled_at")
    )


@personal_data("access_log")
def access_log(resident: Resident) -> list[dict[str, Any]]:
    """What was done with the person's record, by whom in which role (staff names are the staff's own data)."""
    from latihkerja.audit.models import AuditEvent

    return [
        {
            "at": event.at,
            "action": event.action,
            "by_role": event.actor.role if event.actor else "",
            "detail": event.detail,
        }
        for event in AuditEvent.objects.about(resident).select_related("actor").order_by("at", "pk")
    ]
