"""Building small allocation markets: a closed period, batches, applicants with ranked choices, a run."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from latihkerja.accounts.enums import Role
from latihkerja.allocation.models import AllocationRun
from latihkerja.allocation.services import execute_run, publish_run, start_run
from latihkerja.batches.models import Batch
from latihkerja.programs.models import Period
from latihkerja.regions.models import Kelurahan
from latihkerja.registration.models import Application, ApplicationChoice
from latihkerja.residents.models import Resident
from tests.factories import PeriodFactory, ResidentFactory, UserFactory


def closed_period() -> Period:
    """The test period with its registration window already closed (allocation happens after it)."""
    now = timezone.now()
    return PeriodFactory(
        registration_opens_at=now - dt.timedelta(days=10), registration_closes_at=now - dt.timedelta(hours=1)
    )


def applicant(
    period: Period,
    batches: list[Batch],
    *,
    employment: str = "phk",
    kelurahan: str = "Sukarasa",
    name: str | None = None,
    phone: str = "081200000000",
    with_user: bool = False,
) -> Application:
    """A resident with a submitted application ranking `batches` (best first)."""
    extra: dict[str, Any] = {"full_name": name} if name else {}
    if with_user:
        extra["user"] = UserFactory(role=Role.RESIDENT)
    resident: Resident = ResidentFactory(
        employment_status=employment, kelurahan=Kelurahan.objects.get(name=kelurahan), phone=phone, **extra
    )
    application = Application.objects.create(resident=resident, period=period)
    ApplicationChoice.objects.bulk_create(
        ApplicationChoice(application=application, rank=rank, batch=batch)
        for rank, batch in enumerate(batches, 1)
    )
    return application


def computed_run(
    period: Period, actor: Any, *, seed: str = "benih-uji", mechanism: str = "da"
) -> AllocationRun:
    """Start a run and compute it now (the task would run on commit; tests inside a transaction never commit)."""
    with transaction.atomic():
        run = start_run(period=period, mechanism=mechanism, seed=seed, actor=actor)
    return execute_run(run.pk)


def published_run(period: Period, actor: Any, *, seed: str = "benih-uji") -> AllocationRun:
    run = computed_run(period, actor, seed=seed)
    return publish_run(run=run, actor=actor, site_url="https://latihkerja.example")
