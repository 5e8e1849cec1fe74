"""Submitting and withdrawing an application for a programme period.

Arrival order does not matter: seats are allocated after the window closes. Submitting is idempotent: the
unique (resident, period) constraint means a retry or a double click updates the one application instead of
creating a second; the row is locked while its choices are replaced, so two concurrent submits serialise.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import formats, timezone, translation
from django.utils.text import get_text_list

from latihkerja.audit.services import record_event
from latihkerja.batches.enums import BatchStatus
from latihkerja.batches.models import Batch
from latihkerja.programs.models import Period
from latihkerja.residents.models import Resident

from .enums import ApplicationStatus, Source
from .errors import RegistrationError
from .models import Application, ApplicationChoice, InterestNotice
from .queries import holds_seat

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Submission:
    """What a submit left in place: the application and its batches in rank order (theme and centre loaded,
    so an answer can show them without reading back what was just written)."""

    application: Application
    batches: list[Batch]


def _check_window(period: Period) -> None:
    if not period.registration_is_open(timezone.now()):
        raise RegistrationError(
            RegistrationError.WINDOW_CLOSED,
            opens=formats.date_format(timezone.localtime(period.registration_opens_at), "DATETIME_FORMAT"),
            closes=formats.date_format(timezone.localtime(period.registration_closes_at), "DATETIME_FORMAT"),
        )


def _choose(period: Period, batch_codes: Sequence[str]) -> list[Batch]:
    codes = [code for code in batch_codes if code]
    if not codes:
        raise RegistrationError(RegistrationError.NO_CHOICE)
    if len(codes) > period.max_choices:
        raise RegistrationError(RegistrationError.TOO_MANY_CHOICES, max=period.max_choices)
    if len(set(codes)) != len(codes):
        raise RegistrationError(RegistrationError.DUPLICATE_CHOICE)
    chosen = Batch.objects.filter(period=period, status=BatchStatus.OPEN, code__in=codes)
    # Only what a choice row and an answer need (the code, the theme's and centre's names).
    named = chosen.select_related("theme", "center").only("code", "theme__name", "center__name")
    batches = {b.code: b for b in named}
    for code in codes:
        if code not in batches:
            raise RegistrationError(RegistrationError.BATCH_NOT_OPEN, code=code[:40])  # echo, not 100 kB
    return [batches[code] for code in codes]


def _check_no_seat(resident: Resident, period: Period) -> None:
    """Choices feed the allocation; once a seat is offered or taken in the period they are settled."""
    if holds_seat(resident, period):
        raise RegistrationError(RegistrationError.SEAT_HELD)


def submit_application(
    *,
    resident: Resident,
    period: Period,
    batch_codes: Sequence[str],
    actor: Any,
    source: str = Source.ONLINE,
) -> Submission:
    """Create or update `resident`'s application for `period` with these ranked choices (first = rank 1)."""
    _check_window(period)
    batches = _choose(period, batch_codes)
    _check_no_seat(resident, period)
    with transaction.atomic():
        # The resident's row first: an erasure (`residents.services.erase_resident`) holds it while it withdraws
        # the applications, so a submit in flight either lands before it (and is withdrawn) or sees it done.
        if (
            not Resident.objects.select_for_update(of=("self",))
            .filter(pk=resident.pk)
            .exclude(nik_encrypted="")
            .exists()
        ):
            raise RegistrationError(RegistrationError.PROFILE_ERASED)
        application = Application.objects.select_for_update().filter(resident=resident, period=period).first()
        created = application is None
        if application is None:
            try:
                with transaction.atomic():
                    application = Application.objects.create(
                        resident=resident,
                        period=period,
                        source=source,
                        submitted_by=actor if getattr(actor, "pk", None) else None,
                    )
            except IntegrityError:
                # Another request created it a moment ago: continue as an update of that one.
                application = Application.objects.select_for_update().get(resident=resident, period=period)
                created = False
        wanted = [b.code for b in batches]
        if not created:
            current = list(application.choices.order_by("rank").values_list("batch__code", flat=True))
            if current == wanted and application.status == ApplicationStatus.SUBMITTED:
                # The same submit again: nothing changes, nothing is sent twice.
                return Submission(application, batches)
            application.choices.all().delete()
            application.status = ApplicationStatus.SUBMITTED
            application.revision += 1
            application.save(update_fields=["status", "revision", "updated_at"])
        ApplicationChoice.objects.bulk_create(
            ApplicationChoice(application=application, rank=rank, batch=batch)
            for rank, batch in enumerate(batches, 1)
        )
        record_event(
            actor=actor,
            action="application.submitted",
            target=application,
            detail={"choices": wanted, "revision": application.revision, "source": source},
        )
        notify_submitted(application, resident, period, len(wanted))
    return Submission(application, batches)


def notify_submitted(application: Application, resident: Resident, period: Period, choices: int) -> None:
    """Queue the "your choices are saved" SMS, once per revision of the application."""
    from latihkerja.notifications.services import queue_message

    language = resident.language
    with translation.override(language):
        period_name = period.display_name
    queue_message(
        channel="sms",
        recipient=resident.phone,
        kind="application_submitted",
        context={
            "name": resident.full_name,
            "period": period_name,
            "choices": choices,
        },
        language=language,
        resident=resident,
        dedupe_key=f"application-{application.pk}-r{application.revision}",
    )


def notify_registered(resident: Resident) -> None:
    """Queue the "your registration is received" SMS, once per resident: for one registered with interests
    and no class chosen yet (an import before the period's classes open)."""
    from latihkerja.notifications.services import queue_message

    queue_message(
        channel="sms",
        recipient=resident.phone,
        kind="registration_received",
        context={"name": resident.full_name},
        language=resident.language,
        resident=resident,
        dedupe_key=f"registered-{resident.pk}",
    )


def notify_interested(period_id: int) -> int:
    """Tell the residents who said they want the theme of one of the period's open classes, live in its
    kecamatan and have not applied that registration is open: each theme once per resident and period
    (`InterestNotice`), one notice naming every such theme not told yet, in bulk, once per theme and
    kecamatan. Interest stated before the period's classes existed would otherwise go unanswered, and so
    would a theme whose class opens after the others. Nothing is sent unless the period is announced and
    taking registrations (`notify_interested_now`, run on a schedule, catches up once it is). Residents
    already told of a theme are skipped before any message is built. Returns how many messages were queued."""
    from latihkerja.catalog.models import Theme

    period = Period.objects.filter(pk=period_id).first()
    if period is None or not _taking_registrations(period):
        return 0
    pairs = list(
        Batch.objects.filter(period=period, status=BatchStatus.OPEN)
        .values_list("theme_id", "center__kelurahan__kecamatan_id")
        .distinct()
        .order_by("theme_id", "center__kelurahan__kecamatan_id")
    )
    themes = {theme.pk: theme for theme in Theme.objects.filter(pk__in={theme for theme, _ in pairs})}
    open_here: dict[int, dict[int, Any]] = defaultdict(dict)  # kecamatan -> its open themes
    for theme_id, kecamatan_id in pairs:
        open_here[kecamatan_id][theme_id] = themes[theme_id]
    return sum(
        _notify_interested(period, themes[theme_id], kecamatan_id, open_here[kecamatan_id])
        for theme_id, kecamatan_id in pairs
    )


def notify_interested_now() -> int:
    """`notify_interested` for every period taking registrations. Run on a schedule (`manage.py
    notify_interested`): it reaches residents whose class opened before the registration window did, and
    interest recorded after the class opened (a paper import). Returns how many were queued."""
    return sum(
        notify_interested(pk) for pk in Period.objects.filter(is_published=True).values_list("pk", flat=True)
    )


def _taking_registrations(period: Period) -> bool:
    return period.is_published and period.registration_is_open(timezone.now())


# A notice names at most this many of the resident's themes open nearby, then says how many more.
NOTICE_THEMES = 3


def _theme_list(names: list[str]) -> str:
    """ "Barista, Las dan Sablon" in the active language; beyond `NOTICE_THEMES`, "… dan 2 lainnya"."""
    shown = names[:NOTICE_THEMES]
    if len(names) > NOTICE_THEMES:
        shown.append(translation.gettext("%(n)s lainnya") % {"n": len(names) - NOTICE_THEMES})
    return str(get_text_list(shown, translation.gettext("dan")))


def _notify_interested(period: Period, theme: Any, kecamatan_id: int, open_here: dict[int, Any]) -> int:
    from django.conf import settings
    from django.urls import reverse

    from latihkerja.notifications.services import Outgoing, queue_many

    url = settings.SITE_URL.rstrip("/") + reverse("registration:start")
    closes = timezone.localtime(period.registration_closes_at)
    told = InterestNotice.objects.filter(period=period)
    interested = (
        Resident.objects.filter(interests=theme, kelurahan__kecamatan_id=kecamatan_id)
        .exclude(phone="")
        .exclude(applications__period=period)
        .exclude(pk__in=told.filter(theme=theme).values("resident_id"))
        .select_related("user")
        .order_by("pk")
    )

    residents = list(interested.iterator(chunk_size=1000))
    # Each resident hears of every theme they want that is open in their kecamatan and that they have not been
    # told of, in the one notice: a plan approved opens all its classes at once, and naming only the first left
    # the others unsaid.
    already = set(
        told.filter(resident_id__in=interested.values("pk"), theme_id__in=list(open_here)).values_list(
            "resident_id", "theme_id"
        )
    )
    wanted: dict[int, list[int]] = defaultdict(list)
    for resident_id, theme_id in Resident.interests.through.objects.filter(
        resident_id__in=interested.values("pk"), theme_id__in=list(open_here)
    ).values_list("resident_id", "theme_id"):
        if theme_id != theme.pk and (resident_id, theme_id) not in already:
            wanted[resident_id].append(theme_id)

    def message(resident: Resident) -> Outgoing:
        language = resident.language
        with translation.override(language):
            names = sorted(
                {theme.display_name, *(open_here[t].display_name for t in wanted[resident.pk])},
                key=str.casefold,
            )
            context = {
                "name": resident.full_name,
                "period": period.display_name,
                "theme": _theme_list(names),
                "themes": len(names),
                "closes": closes,
                "url": url,
            }
        return Outgoing(
            channel="sms",
            recipient=resident.phone,
            kind="classes_open",
            context=context,
            language=language,
            resident=resident,
            dedupe_key=f"classes-open-{period.pk}-{resident.pk}-t{theme.pk}",
        )

    with transaction.atomic():
        refused = queue_many(message(resident) for resident in residents)
        unsent = {item.resident.pk for item, _error in refused if item.resident is not None}
        InterestNotice.objects.bulk_create(
            (
                InterestNotice(period=period, resident_id=resident.pk, theme_id=theme_id)
                for resident in residents
                if resident.pk not in unsent
                for theme_id in (theme.pk, *wanted[resident.pk])
            ),
            batch_size=2000,
            ignore_conflicts=True,
        )
    for item, error in refused:
        logger.warning("period %s: no message sent (%s): %s", period.code, item.dedupe_key, error.message)
    return len(residents) - len(refused)


def withdraw_application(*, resident: Resident, period: Period, actor: Any) -> Application:
    _check_window(period)
    _check_no_seat(resident, period)
    with transaction.atomic():
        application = (
            Application.objects.select_for_update()
            .filter(resident=resident, period=period, status=ApplicationStatus.SUBMITTED)
            .first()
        )
        if application is None:
            raise RegistrationError(RegistrationError.NOTHING_TO_WITHDRAW)
        application.status = ApplicationStatus.WITHDRAWN
        application.revision += 1
        application.save(update_fields=["status", "revision", "updated_at"])
        record_event(actor=actor, action="application.withdrawn", target=application, detail={})
    return application
