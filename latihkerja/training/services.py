"""State changes of a running batch: scheduling, the health-protocol sign-off, starting and ending sessions,
check-in, attendance marking and corrections, paper sheets, supervision, assessment and closing the batch.

Each function is keyword-only, runs in one transaction, checks the actor with `rules.py`, and writes the audit
trail. The room's health-protocol cap is kept by the database: a check-in raises `admitted` with one
conditional `UPDATE … SET admitted = admitted + 1 WHERE admitted < admitted_cap` in the same transaction as
the attendance row, backed by the `session_never_over_occupancy` constraint (see docs/training.md).

Hours credited (documented choice): present = the session's hours; late = the session's hours × the share of
the session still ahead at check-in (rounded down to 0.1 JP), or the full hours when the operator marks a
participant late after the session (no arrival time is known); excused and absent = 0.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import logging
import secrets
from collections.abc import Container, Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_DOWN, Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Max, Sum
from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.formats import date_format, time_format

from latihkerja.audit.services import record_event
from latihkerja.batches.enums import BatchStatus
from latihkerja.batches.models import Batch, Enrollment, EnrollmentStatus
from latihkerja.batches.services import mark_completed, mark_running, tell_seat_holders
from latihkerja.catalog.enums import Modality
from latihkerja.centers.models import Room

from .enums import (
    ATTENDING_STATUSES,
    AttendanceMethod,
    AttendanceStatus,
    OutcomeStatus,
    SessionModality,
    SessionStatus,
)
from .errors import TrainingError
from .models import (
    Assessment,
    Attendance,
    AttendanceCorrection,
    AttendanceSheet,
    ChecklistItem,
    ChecklistSignOff,
    Outcome,
    SupervisionVisit,
    TrainingSession,
)
from .rules import (
    can_assess,
    can_close_batch,
    can_manage_sessions,
    can_mark_attendance,
    can_record_visit,
    can_sign_checklist,
)

logger = logging.getLogger(__name__)

# Batches whose sessions may be scheduled, run and attended.
DELIVERY_STATUSES = (BatchStatus.ALLOCATED, BatchStatus.RUNNING)
MAX_SESSIONS_AT_ONCE = 60
MAX_SESSION_HOURS = Decimal("12")
# The rotating QR code: a new one every window; the current and the previous window are accepted, so a code
# scanned just before it changed still works (valid for 60–120 s).
CODE_WINDOW_SECONDS = 60
CODE_LENGTH = 8
# Check-in opens this long before the start (people arrive early) and closes exactly at the end.
CHECK_IN_GRACE = dt.timedelta(minutes=15)
# A session ends (and its JP count for those present) from this long before its scheduled end: a lesson
# hour is 45 minutes, and the JP a session is credited with must have taken place.
END_GRACE = dt.timedelta(minutes=15)
MINUTES_PER_JP = 45
# Arriving later than this after the start counts as late.
LATE_AFTER = dt.timedelta(minutes=15)
JOIN_CODE_LENGTH = 6
JOIN_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud in a video call


# ---------------------------------------------------------------------------------------------- helpers


def occupancy_cap(room: Room, occupancy_percent: int) -> int:
    """How many people the health protocol lets into `room`: floor(capacity × percent / 100)."""
    return room.capacity * occupancy_percent // 100


def session_window(session: TrainingSession) -> tuple[dt.datetime, dt.datetime]:
    """The session's start and end as aware datetimes in the site's time zone."""
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(session.date, session.starts_at, tzinfo=tz)
    end = dt.datetime.combine(session.date, session.ends_at, tzinfo=tz)
    return start, end


def weekly_dates(
    *, first_date: dt.date, weekdays: Iterable[int], count: int, skip: Container[dt.date] = ()
) -> list[dt.date]:
    """The first `count` dates from `first_date` (inclusive) falling on `weekdays` (0 = Monday) and not in
    `skip` (days off: the series goes on after them)."""
    days = set(weekdays)
    if not days or count < 1:
        return []
    dates: list[dt.date] = []
    day = first_date
    while len(dates) < count:
        if day.weekday() in days and day not in skip:
            dates.append(day)
        day += dt.timedelta(days=1)
    return dates


def rotating_code(session: TrainingSession, at: dt.datetime | None = None, *, windows_back: int = 0) -> str:
    """HMAC(session.qr_secret, time window) as 8 base32 characters; changes every `CODE_WINDOW_SECONDS`."""
    moment = at or timezone.now()
    window = int(moment.timestamp()) // CODE_WINDOW_SECONDS - windows_back
    digest = hmac.new(session.qr_secret.encode(), str(window).encode(), hashlib.sha256).digest()
    return base64.b32encode(digest).decode()[:CODE_LENGTH]


def seconds_to_next_code(at: dt.datetime | None = None) -> int:
    moment = at or timezone.now()
    return CODE_WINDOW_SECONDS - int(moment.timestamp()) % CODE_WINDOW_SECONDS


def normalize_code(code: str) -> str:
    return "".join(code.split()).upper()


def _matches_rotating(session: TrainingSession, code: str, at: dt.datetime) -> bool:
    # Bytes, not str: compare_digest refuses a str with non-ASCII characters (a typed emoji).
    typed = code.encode()
    return any(
        hmac.compare_digest(typed, rotating_code(session, at, windows_back=back).encode()) for back in (0, 1)
    )


def _new_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def seat_holders(batch: Batch) -> int:
    """Who may come: participants and residents offered a seat who have not answered yet. A room is booked for
    all of them: an offer accepted after the booking must not find the room full on the day."""
    return Enrollment.objects.filter(
        batch=batch, status__in=(EnrollmentStatus.ACTIVE, EnrollmentStatus.OFFERED)
    ).count()


def _require(predicate: Any, actor: Any, batch: Batch) -> None:
    if not predicate.test(actor, batch):
        raise TrainingError(TrainingError.NOT_ALLOWED)


def _require_delivery(batch: Batch) -> None:
    if batch.status not in DELIVERY_STATUSES:
        raise TrainingError(TrainingError.BATCH_NOT_RUNNABLE, status=BatchStatus(batch.status).label)


@dataclass(frozen=True)
class Placement:
    """Where a session takes place, validated: modality, room and its cap, meeting link."""

    modality: str
    room: Room | None
    admitted_cap: int | None
    meeting_url: str


def _placement(
    *, batch: Batch, modality: str, room: Room | None, meeting_url: str, participants: int
) -> Placement:
    label = SessionModality(modality).label if modality in SessionModality.values else modality
    if modality not in SessionModality.values or not batch.theme.allows(modality):
        raise TrainingError(TrainingError.MODALITY_NOT_ALLOWED, modality=label)
    if batch.modality != Modality.CAMPURAN and batch.modality != modality:
        raise TrainingError(TrainingError.MODALITY_NOT_ALLOWED, modality=label)
    if modality == SessionModality.DARING:
        if not meeting_url.strip():
            raise TrainingError(TrainingError.MEETING_URL_REQUIRED)
        return Placement(modality=modality, room=None, admitted_cap=None, meeting_url=meeting_url.strip())
    if room is None:
        raise TrainingError(TrainingError.ROOM_REQUIRED)
    if room.center_id != batch.center_id:
        raise TrainingError(TrainingError.ROOM_OF_OTHER_CENTER)
    percent = batch.period.occupancy_percent
    cap = occupancy_cap(room, percent)
    if cap < participants:
        raise TrainingError(
            TrainingError.ROOM_TOO_SMALL,
            room=room.name,
            cap=cap,
            capacity=room.capacity,
            percent=percent,
            participants=participants,
        )
    # On site: no meeting link (a session moved from online keeps none from before).
    return Placement(modality=modality, room=room, admitted_cap=cap, meeting_url="")


# How far ahead a session may be scheduled: a programme period is a few months; years ahead is a typo.
MAX_DAYS_AHEAD = 366


def _check_when(dates: Sequence[dt.date], starts_at: dt.time, now: dt.datetime | None = None) -> None:
    """Sessions are scheduled (or moved) to come: not to a start already past, not years ahead. Participants
    are told by SMS at once, so a session in the past would announce a meeting nobody can attend."""
    now = timezone.localtime(now or timezone.now())
    for date in sorted(dates):
        if dt.datetime.combine(date, starts_at) < now.replace(tzinfo=None, second=0, microsecond=0):
            raise TrainingError(
                TrainingError.START_PASSED, date=date_format(date, "j F Y"), start=starts_at.strftime("%H.%M")
            )
    last = max(dates)
    limit = now.date() + dt.timedelta(days=MAX_DAYS_AHEAD)
    if last > limit:
        raise TrainingError(TrainingError.TOO_FAR_AHEAD, date=date_format(last, "j F Y"))


def _check_class_dates(batch: Batch, dates: Sequence[dt.date]) -> None:
    """Sessions fall from the class's start to the end of its period. A class runs past its planned end when
    sessions slip (a holiday, a replacement session); `_extend_class` then moves its end date."""
    first, last = min(dates), max(dates)
    if first < batch.starts_on:
        raise TrainingError(
            TrainingError.BEFORE_CLASS_START,
            starts=date_format(batch.starts_on, "j F Y"),
            date=date_format(first, "j F Y"),
        )
    period_ends = batch.period.ends_on
    if last > period_ends:
        raise TrainingError(
            TrainingError.AFTER_PERIOD_END,
            ends=date_format(period_ends, "j F Y"),
            date=date_format(last, "j F Y"),
        )


def _extend_class(batch: Batch, dates: Sequence[dt.date], actor: Any) -> None:
    """A session after the class's end date moves that date (audited), so that the catalogue and the class's
    pages show when it really ends; participants hear of the session itself by SMS. Inside the transaction."""
    last = max(dates)
    if Batch.objects.filter(pk=batch.pk, ends_on__lt=last).update(ends_on=last):
        record_event(
            actor=actor,
            action="batch.end_moved",
            target=batch,
            detail={"from": batch.ends_on.isoformat(), "to": last.isoformat()},
        )
        batch.ends_on = last


def _minutes(starts_at: dt.time, ends_at: dt.time) -> int:
    return (ends_at.hour * 60 + ends_at.minute) - (starts_at.hour * 60 + starts_at.minute)


def _check_times(starts_at: dt.time, ends_at: dt.time, hours: Decimal | None) -> None:
    """Times in order, and long enough for the session's JP (45 minutes each): certificates count JP held, so
    8 JP in a 2-minute slot would be 6 hours credited that nobody taught."""
    if ends_at <= starts_at:
        raise TrainingError(TrainingError.BAD_TIMES)
    if hours is None:
        return
    if hours <= 0 or hours > MAX_SESSION_HOURS:
        raise TrainingError(TrainingError.BAD_HOURS, limit=MAX_SESSION_HOURS)
    minutes = _minutes(starts_at, ends_at)
    needed = hours * MINUTES_PER_JP
    if minutes < needed:
        raise TrainingError(
            TrainingError.HOURS_LONGER_THAN_SESSION,
            hours=floatformat(hours, "-1"),
            needed=floatformat(needed.to_integral_value(rounding=ROUND_CEILING), "0"),
            start=time_format(starts_at, "TIME_FORMAT"),
            end=time_format(ends_at, "TIME_FORMAT"),
            minutes=minutes,
        )


def _require_room_free(
    room: Room | None,
    dates: Sequence[dt.date],
    starts_at: dt.time,
    ends_at: dt.time,
    *,
    moving: TrainingSession | None = None,
) -> None:
    """Refuse a luring session in a room another session (of any class) holds at an overlapping time that day.

    Call inside the transaction that writes the session: the room's row is locked first, so two operators
    booking the same room at once are served one after the other and the second sees the first's session."""
    if room is None:
        return
    Room.objects.select_for_update().filter(pk=room.pk).first()
    clash = _first_clash(TrainingSession.objects.filter(room=room), dates, starts_at, ends_at, moving)
    if clash is not None:
        raise TrainingError(
            TrainingError.ROOM_TAKEN,
            room=room.name,
            theme=clash.batch.theme.display_name,
            date=date_format(clash.date, "j F Y"),
            start=time_format(clash.starts_at, "TIME_FORMAT"),
            end=time_format(clash.ends_at, "TIME_FORMAT"),
        )


def _first_clash(
    sessions: Any,
    dates: Sequence[dt.date],
    starts_at: dt.time,
    ends_at: dt.time,
    moving: TrainingSession | None,
) -> TrainingSession | None:
    """The earliest of `sessions` (not cancelled, other than `moving`) overlapping [starts_at, ends_at) on `dates`."""
    clashes = (
        sessions.filter(date__in=list(dates), starts_at__lt=ends_at, ends_at__gt=starts_at)
        .exclude(status=SessionStatus.CANCELLED)
        .select_related("batch__theme")
        .order_by("date", "starts_at")
    )
    if moving is not None:
        clashes = clashes.exclude(pk=moving.pk)
    return clashes.first()


def _require_class_free(
    batch: Batch,
    dates: Sequence[dt.date],
    starts_at: dt.time,
    ends_at: dt.time,
    *,
    moving: TrainingSession | None = None,
) -> None:
    """Refuse a session overlapping another session of the same class (online ones included: participants
    cannot attend two meetings at once). Call inside the transaction that holds the batch's row lock."""
    clash = _first_clash(TrainingSession.objects.filter(batch=batch), dates, starts_at, ends_at, moving)
    if clash is not None:
        raise TrainingError(
            TrainingError.CLASS_SESSION_CLASH,
            number=clash.number,
            date=date_format(clash.date, "j F Y"),
            start=time_format(clash.starts_at, "TIME_FORMAT"),
            end=time_format(clash.ends_at, "TIME_FORMAT"),
        )


# --------------------------------------------------------------------------------------------- scheduling


def schedule_sessions(
    *,
    batch: Batch,
    dates: Sequence[dt.date],
    starts_at: dt.time,
    ends_at: dt.time,
    hours: Decimal,
    modality: str,
    actor: Any,
    room: Room | None = None,
    meeting_url: str = "",
    topic: str = "",
    site_url: str = "",
    now: dt.datetime | None = None,
) -> list[TrainingSession]:
    """Add one session per date (numbered after the batch's last one), all alike; `weekly_dates` makes the
    dates from a weekly pattern. A luring session's cap is the room's capacity × the period's occupancy
    factor, and must hold every active participant. Nothing is created if any rule fails. The class's
    participants are told by SMS (one message per scheduling, naming the first new meeting)."""
    _require(can_manage_sessions, actor, batch)
    _require_delivery(batch)
    if not dates:
        raise TrainingError(TrainingError.NO_DATES)
    if len(dates) > MAX_SESSIONS_AT_ONCE:
        raise TrainingError(TrainingError.TOO_MANY_SESSIONS, limit=MAX_SESSIONS_AT_ONCE)
    _check_times(starts_at, ends_at, hours)
    _check_when(dates, starts_at, now)
    _check_class_dates(batch, dates)
    place = _placement(
        batch=batch,
        modality=modality,
        room=room,
        meeting_url=meeting_url,
        participants=seat_holders(batch),
    )
    with transaction.atomic():
        # Lock the batch row: two operators scheduling at once must not take the same session numbers.
        Batch.objects.select_for_update().filter(pk=batch.pk).first()
        _require_class_free(batch, dates, starts_at, ends_at)
        _require_room_free(place.room, dates, starts_at, ends_at)
        _extend_class(batch, dates, actor)
        last = TrainingSession.objects.filter(batch=batch).aggregate(n=Max("number"))["n"] or 0
        sessions = [
            TrainingSession.objects.create(
                batch=batch,
                number=last + index,
                date=day,
                starts_at=starts_at,
                ends_at=ends_at,
                hours=hours,
                topic=topic.strip(),
                modality=place.modality,
                room=place.room,
                admitted_cap=place.admitted_cap,
                meeting_url=place.meeting_url,
                join_code=_new_join_code() if place.modality == SessionModality.DARING else "",
            )
            for index, day in enumerate(sorted(dates), start=1)
        ]
        record_event(
            actor=actor,
            action="training.sessions_scheduled",
            target=batch,
            detail={"numbers": [s.number for s in sessions], "modality": place.modality},
        )
        _notify_sessions_added(batch, sessions, site_url, first=last == 0)
    return sessions


def move_session(
    *,
    session: TrainingSession,
    date: dt.date,
    starts_at: dt.time,
    ends_at: dt.time,
    modality: str,
    actor: Any,
    room: Room | None = None,
    meeting_url: str = "",
    reason: str = "",
    site_url: str = "",
    now: dt.datetime | None = None,
) -> TrainingSession:
    """Change a scheduled session's date, time or place (its cap is recomputed) and tell every active
    participant by SMS, after the commit. A session already started, held or cancelled cannot move."""
    batch = session.batch
    _require(can_manage_sessions, actor, batch)
    _require_delivery(batch)
    # A move keeps the JP: checked against them only when the new slot is shorter than the old one, so that a
    # session scheduled before JP had to fit their time can still move to a slot of the same length.
    shorter = _minutes(starts_at, ends_at) < _minutes(session.starts_at, session.ends_at)
    _check_times(starts_at, ends_at, session.hours if shorter else None)
    _check_when([date], starts_at, now)
    _check_class_dates(batch, [date])
    place = _placement(
        batch=batch,
        modality=modality,
        room=room,
        meeting_url=meeting_url,
        participants=seat_holders(batch),
    )
    before = {
        "date": session.date.isoformat(),
        "starts_at": session.starts_at.isoformat(),
        "modality": session.modality,
        "room": session.room_id,
    }
    with transaction.atomic():
        Batch.objects.select_for_update().filter(pk=batch.pk).first()
        _require_class_free(batch, [date], starts_at, ends_at, moving=session)
        _require_room_free(place.room, [date], starts_at, ends_at, moving=session)
        _extend_class(batch, [date], actor)
        updated = TrainingSession.objects.filter(pk=session.pk, status=SessionStatus.SCHEDULED).update(
            date=date,
            starts_at=starts_at,
            ends_at=ends_at,
            modality=place.modality,
            room=place.room,
            admitted_cap=place.admitted_cap,
            meeting_url=place.meeting_url,
            join_code=(session.join_code or _new_join_code())
            if place.modality == SessionModality.DARING
            else "",
            updated_at=timezone.now(),
        )
        if updated != 1:
            raise TrainingError(TrainingError.NOT_SCHEDULED)
        session.refresh_from_db()
        record_event(
            actor=actor,
            action="training.session_moved",
            target=session,
            detail={"before": before, "reason": reason.strip()},
        )
        _notify_schedule_changed(session, site_url)
    return session


def cancel_session(
    *, session: TrainingSession, reason: str, actor: Any, site_url: str = ""
) -> TrainingSession:
    """Cancel a scheduled session that will not take place (a holiday, an instructor taken ill, a session that
    did not happen). Its hours no longer count as scheduled and it no longer keeps the class from closing.
    The reason is required and audited; participants are told by SMS when the session is still to come. A
    session with attendance or a paper sheet took place: it is ended, not cancelled."""
    batch = session.batch
    _require(can_manage_sessions, actor, batch)
    _require_delivery(batch)
    reason = reason.strip()
    if not reason:
        raise TrainingError(TrainingError.CANCEL_REASON_REQUIRED)
    with transaction.atomic():
        if (
            Attendance.objects.filter(session=session).exists()
            or AttendanceSheet.objects.filter(session=session).exists()
        ):
            raise TrainingError(TrainingError.HAS_ATTENDANCE)
        updated = TrainingSession.objects.filter(pk=session.pk, status=SessionStatus.SCHEDULED).update(
            status=SessionStatus.CANCELLED, updated_at=timezone.now()
        )
        if updated != 1:
            raise TrainingError(TrainingError.NOT_SCHEDULED)
        session.refresh_from_db()
        record_event(
            actor=actor,
            action="training.session_cancelled",
            target=session,
            detail={
                "date": session.date.isoformat(),
                "starts_at": session.starts_at.isoformat(),
                "reason": reason,
            },
        )
        if session_window(session)[1] > timezone.now():
            _notify_schedule_changed(session, site_url, cancelled=True)
    return session


def _notify_schedule_changed(session: TrainingSession, site_url: str, *, cancelled: bool = False) -> int:
    """Tell each active participant that a session moved (or was cancelled)."""
    from django.utils.translation import gettext

    def change() -> str:
        when = {
            "number": session.number,
            "date": date_format(session.date, "l, j F Y"),
            "start": time_format(session.starts_at, "TIME_FORMAT"),
            "end": time_format(session.ends_at, "TIME_FORMAT"),
        }
        if cancelled:
            return gettext("pertemuan %(number)s pada %(date)s pukul %(start)s–%(end)s dibatalkan") % when
        place = session.room.name if session.room else gettext("daring")
        return gettext("pertemuan %(number)s menjadi %(date)s pukul %(start)s–%(end)s, %(place)s") % {
            **when,
            "place": place,
        }

    key = (
        f"session-cancelled-{session.pk}"
        if cancelled
        else f"session-moved-{session.pk}-{session.date:%Y%m%d}-{session.starts_at:%H%M}-{session.modality}-"
        f"{session.room_id}"
    )
    return _notify_participants(session.batch, change, key, site_url)


def _notify_sessions_added(
    batch: Batch, sessions: Sequence[TrainingSession], site_url: str, *, first: bool = False
) -> int:
    """Tell each active participant that sessions were added to their class: its first schedule (`first`: the
    class had no session yet, so nothing "changed"), or sessions added to it later (a replacement)."""
    from django.utils.translation import ngettext

    earliest = min(sessions, key=lambda s: (s.date, s.starts_at))

    def change() -> str:
        when = {
            "count": len(sessions),
            "date": date_format(earliest.date, "l, j F Y"),
            "start": time_format(earliest.starts_at, "TIME_FORMAT"),
        }
        if first:
            return (
                ngettext(
                    "%(count)s pertemuan, mulai %(date)s pukul %(start)s",
                    "%(count)s pertemuan, mulai %(date)s pukul %(start)s",
                    len(sessions),
                )
                % when
            )
        return (
            ngettext(
                "%(count)s pertemuan baru, mulai %(date)s pukul %(start)s",
                "%(count)s pertemuan baru, mulai %(date)s pukul %(start)s",
                len(sessions),
            )
            % when
        )

    key = f"sessions-added-{earliest.pk}-{len(sessions)}"
    return _notify_participants(batch, change, key, site_url, first=first)


def _notify_participants(batch: Batch, change: Any, key: str, site_url: str, *, first: bool = False) -> int:
    """Queue an SMS about a schedule change to each active participant of `batch`, written in their language
    (`change()` is called with it active); an unusable phone number must not undo the change (logged)."""
    from django.urls import reverse

    return tell_seat_holders(
        batch=batch,
        statuses=(EnrollmentStatus.ACTIVE,),
        change=change,
        key=key,
        url=site_url.rstrip("/") + reverse("training:my-schedule"),
        first=first,
    )


# ------------------------------------------------------------------------------ health protocol, start/end


def sign_checklist(
    *,
    session: TrainingSession,
    confirmed: Iterable[str],
    actor: Any,
    notes: str = "",
    today: dt.date | None = None,
) -> ChecklistSignOff:
    """The operator confirms every active health-protocol item for a luring session before it starts, on the
    session's day (the checklist attests the room as it is then). The sign-off keeps a snapshot of the items as
    they read today."""
    _require(can_sign_checklist, actor, session.batch)
    if session.modality != SessionModality.LURING:
        raise TrainingError(TrainingError.NOT_LURING)
    if session.status != SessionStatus.SCHEDULED:
        raise TrainingError(TrainingError.NOT_SCHEDULED)
    today = today or timezone.localdate()
    if today > session.date:
        raise TrainingError(TrainingError.CHECKLIST_TOO_LATE, date=date_format(session.date, "j F Y"))
    if not checklist_open(session, today):
        raise TrainingError(TrainingError.CHECKLIST_TOO_EARLY, date=date_format(session.date, "j F Y"))
    items = list(ChecklistItem.objects.filter(is_active=True))
    confirmed_codes = set(confirmed)
    missing = [item.display_label for item in items if item.code not in confirmed_codes]
    if missing:
        raise TrainingError(TrainingError.CHECKLIST_INCOMPLETE, missing=", ".join(missing))
    try:
        with transaction.atomic():
            sign_off = ChecklistSignOff.objects.create(
                session=session,
                signed_by=actor,
                items=[{"code": i.code, "label": i.label, "label_en": i.label_en, "ok": True} for i in items],
                notes=notes.strip(),
            )
            record_event(actor=actor, action="training.checklist_signed", target=session, detail={})
    except IntegrityError as error:
        raise TrainingError(TrainingError.CHECKLIST_ALREADY_SIGNED) from error
    return sign_off


def has_complete_checklist(session: TrainingSession) -> bool:
    sign_off = ChecklistSignOff.objects.filter(session=session).first()
    if sign_off is None:
        return False
    confirmed = {item["code"] for item in sign_off.items if item.get("ok")}
    required = set(ChecklistItem.objects.filter(is_active=True).values_list("code", flat=True))
    return required <= confirmed


def start_state(session: TrainingSession, now: dt.datetime) -> str:
    """Whether `start_session` accepts `now`: "early" (before its window opens, `CHECK_IN_GRACE` before the
    start), "open", or "past" (after its end)."""
    start, end = session_window(session)
    if now < start - CHECK_IN_GRACE:
        return "early"
    return "past" if now >= end else "open"


def check_in_open(session: TrainingSession, now: dt.datetime) -> bool:
    """Whether `check_in` takes a code now: the session is started and within its window (from
    `CHECK_IN_GRACE` before the start until the end)."""
    start, end = session_window(session)
    return session.status == SessionStatus.STARTED and start - CHECK_IN_GRACE <= now < end


def recording_open(session: TrainingSession, now: dt.datetime) -> bool:
    """Whether `mark_attendance` records now: a started or held session, or a scheduled one whose start time
    has come (recorded afterwards from a paper sheet)."""
    if session.status in (SessionStatus.STARTED, SessionStatus.HELD):
        return True
    return session.status == SessionStatus.SCHEDULED and now >= session_window(session)[0]


def checklist_open(session: TrainingSession, today: dt.date) -> bool:
    """Whether `sign_checklist` takes the sign-off today: on the session's day only. It attests the room as it
    is then, so it is neither signed days ahead nor afterwards (which would also hide, on the OPD's list of
    sessions without a checklist, that nobody checked)."""
    return today == session.date


def start_session(*, session: TrainingSession, actor: Any, now: dt.datetime | None = None) -> TrainingSession:
    """Open a session for check-in: only on its date, from `CHECK_IN_GRACE` before its start until its end,
    and for a luring session only with a complete signed checklist. The first session started moves the batch
    from allocated to running."""
    batch = session.batch
    _require(can_manage_sessions, actor, batch)
    _require_delivery(batch)
    now = now or timezone.now()
    if start_state(session, now) != "open":
        raise TrainingError(TrainingError.NOT_TODAY, **_window_labels(session))
    if session.modality == SessionModality.LURING and not has_complete_checklist(session):
        raise TrainingError(TrainingError.CHECKLIST_MISSING)
    with transaction.atomic():
        updated = TrainingSession.objects.filter(pk=session.pk, status=SessionStatus.SCHEDULED).update(
            status=SessionStatus.STARTED, started_at=now, started_by=actor, updated_at=now
        )
        if updated != 1:
            raise TrainingError(TrainingError.CHANGED_MEANWHILE)
        record_event(actor=actor, action="training.session_started", target=session, detail={})
        batch.refresh_from_db(fields=["status"])
        if batch.status == BatchStatus.ALLOCATED:
            mark_running(batch=batch, actor=actor)
    session.refresh_from_db()
    return session


def end_session(
    *, session: TrainingSession, actor: Any, reason: str = "", now: dt.datetime | None = None
) -> TrainingSession:
    """A started session becomes held. The paper fallback: a scheduled session whose start has passed may be
    recorded as held when its signed paper sheet is uploaded (and, luring, its checklist was signed).

    From `END_GRACE` before its scheduled end a session ends as scheduled. Earlier (an evacuation, a power cut)
    it needs a reason, and its JP become what took place since the scheduled start, in half-JP steps (45
    minutes a JP), no attendance keeping more: certificates count JP held, and a session ended after two
    minutes is not the 8 JP it was scheduled for (set-up review)."""
    batch = session.batch
    _require(can_manage_sessions, actor, batch)
    now = now or timezone.now()
    start, end = session_window(session)
    allowed_from = [SessionStatus.STARTED]
    if (
        session.status == SessionStatus.SCHEDULED
        and now >= start
        and session.sheets.exists()
        and (session.modality != SessionModality.LURING or has_complete_checklist(session))
    ):
        allowed_from.append(SessionStatus.SCHEDULED)
    if session.status not in allowed_from:
        raise TrainingError(TrainingError.CANNOT_END)
    hours = session.hours
    early = now < end - END_GRACE
    if early:
        if not reason.strip():
            raise TrainingError(TrainingError.EARLY_END_REASON, end=time_format(end, "TIME_FORMAT"))
        minutes = max(0, int((now - start).total_seconds() // 60))
        held = (Decimal(minutes * 2) / MINUTES_PER_JP).to_integral_value(rounding=ROUND_DOWN) / 2
        if held < Decimal("0.5"):
            raise TrainingError(TrainingError.EARLY_END_NOTHING_HELD, start=time_format(start, "TIME_FORMAT"))
        hours = min(held, session.hours)
    with transaction.atomic():
        updated = TrainingSession.objects.filter(pk=session.pk, status__in=allowed_from).update(
            status=SessionStatus.HELD, ended_at=now, updated_at=now, hours=hours
        )
        if updated != 1:
            raise TrainingError(TrainingError.CHANGED_MEANWHILE)
        if early:
            Attendance.objects.filter(session=session, hours_credited__gt=hours).update(hours_credited=hours)
            record_event(
                actor=actor,
                action="training.session_ended_early",
                target=session,
                detail={
                    "reason": reason.strip()[:300],
                    "hours_from": str(session.hours),
                    "hours_to": str(hours),
                },
            )
        record_event(actor=actor, action="training.session_held", target=session, detail={})
        batch.refresh_from_db(fields=["status"])
        if batch.status == BatchStatus.ALLOCATED:
            mark_running(batch=batch, actor=actor)
    session.refresh_from_db()
    return session


def _window_labels(session: TrainingSession) -> dict[str, str]:
    start, end = session_window(session)
    opens = start - CHECK_IN_GRACE
    return {"opens": date_format(opens, "SHORT_DATETIME_FORMAT"), "ends": time_format(end, "TIME_FORMAT")}


# ------------------------------------------------------------------------------------------------ attendance


def credited_hours(session: TrainingSession, status: str, checked_in_at: dt.datetime | None) -> Decimal:
    """Hours a status earns (see the module docstring)."""
    if status == AttendanceStatus.PRESENT:
        return session.hours
    if status != AttendanceStatus.LATE:
        return Decimal("0")
    if checked_in_at is None:
        return session.hours
    start, end = session_window(session)
    moment = min(max(checked_in_at, start), end)
    share = Decimal((end - moment).total_seconds()) / Decimal((end - start).total_seconds())
    return (session.hours * share).quantize(Decimal("0.1"), rounding=ROUND_DOWN)


def check_in(
    *, session: TrainingSession, resident: Any, code: str, now: dt.datetime | None = None
) -> Attendance:
    """A participant records their own attendance with the code of the session: the rotating QR code (current
    or previous window), or for a daring session its join code. Valid only while the session is started and
    within its time (from `CHECK_IN_GRACE` before the start to the end). On luring, the room's seat is taken
    by one conditional UPDATE in the same transaction, so the health-protocol cap holds under any
    concurrency."""
    now = now or timezone.now()
    start = session_window(session)[0]
    if session.status != SessionStatus.STARTED:
        raise TrainingError(TrainingError.NOT_STARTED)
    if not check_in_open(session, now):
        raise TrainingError(TrainingError.OUTSIDE_SESSION_TIME, **_window_labels(session))
    code = normalize_code(code)
    if code and _matches_rotating(session, code, now):
        method = AttendanceMethod.QR
    elif (
        code
        and session.modality == SessionModality.DARING
        and session.join_code
        and hmac.compare_digest(code.encode(), session.join_code.encode())
    ):
        method = AttendanceMethod.JOIN_CODE
    else:
        raise TrainingError(TrainingError.WRONG_CODE)
    enrollment = Enrollment.objects.filter(
        batch_id=session.batch_id, resident=resident, status=EnrollmentStatus.ACTIVE
    ).first()
    if enrollment is None:
        raise TrainingError(TrainingError.NOT_PARTICIPANT)
    status = AttendanceStatus.LATE if now > start + LATE_AFTER else AttendanceStatus.PRESENT
    try:
        with transaction.atomic():
            attendance = Attendance.objects.create(
                session=session,
                enrollment=enrollment,
                status=status,
                method=method,
                checked_in_at=now,
                hours_credited=credited_hours(session, status, now),
            )
            if session.modality == SessionModality.LURING:
                # Last, so the hot session row is held only from here to the commit.
                _take_room_place(session)
    except IntegrityError as error:
        raise TrainingError(TrainingError.ALREADY_RECORDED) from error
    return attendance


def _take_room_place(session: TrainingSession) -> None:
    # A scheduled session counts too: one recorded afterwards from its paper sheet, never started in the app.
    taken = TrainingSession.objects.filter(
        pk=session.pk,
        status__in=(SessionStatus.SCHEDULED, SessionStatus.STARTED, SessionStatus.HELD),
        admitted__lt=F("admitted_cap"),
    ).update(admitted=F("admitted") + 1)
    if taken != 1:
        raise TrainingError(TrainingError.ROOM_FULL, cap=session.admitted_cap)


def _free_room_place(session: TrainingSession) -> None:
    TrainingSession.objects.filter(pk=session.pk, admitted__gt=0).update(admitted=F("admitted") - 1)


def mark_attendance(
    *,
    session: TrainingSession,
    enrollment: Enrollment,
    status: str,
    actor: Any,
    reason: str = "",
    method: str = AttendanceMethod.MARKED,
    now: dt.datetime | None = None,
) -> Attendance:
    """The operator or an instructor records a participant's attendance, or corrects it. A session that has
    not started yet cannot be marked (no attendance for the future). Changing an existing record needs a
    reason and is logged in `AttendanceCorrection` with who and why. Becoming present or late takes a place
    in the room (same cap as a check-in); leaving those states frees it."""
    _require(can_mark_attendance, actor, session.batch)
    if session.batch.status == BatchStatus.COMPLETED:
        # Results and certificates were computed from these records when the class closed.
        raise TrainingError(TrainingError.BATCH_CLOSED)
    if status not in AttendanceStatus.values:
        raise TrainingError(TrainingError.UNKNOWN_STATUS, status=status)
    if enrollment.batch_id != session.batch_id:
        raise TrainingError(TrainingError.NOT_SAME_BATCH)
    now = now or timezone.now()
    end = session_window(session)[1]
    if not recording_open(session, now):
        raise TrainingError(TrainingError.FUTURE_SESSION)
    # During the session the arrival time is now; afterwards it is unknown (a late mark earns full hours).
    arrival = now if session.status == SessionStatus.STARTED and now < end else None
    is_luring = session.modality == SessionModality.LURING
    try:
        with transaction.atomic():
            existing = (
                Attendance.objects.select_for_update().filter(session=session, enrollment=enrollment).first()
            )
            if existing is None:
                if enrollment.status != EnrollmentStatus.ACTIVE:
                    raise TrainingError(TrainingError.NOT_SAME_BATCH)
                attendance = Attendance.objects.create(
                    session=session,
                    enrollment=enrollment,
                    status=status,
                    method=method,
                    checked_in_at=arrival if status in ATTENDING_STATUSES else None,
                    hours_credited=credited_hours(session, status, arrival),
                    recorded_by=actor,
                )
                if is_luring and status in ATTENDING_STATUSES:
                    _take_room_place(session)
                record_event(
                    actor=actor,
                    action="training.attendance_marked",
                    target=attendance,
                    detail={"status": status, "method": method},
                )
                return attendance
            if existing.status == status:
                raise TrainingError(TrainingError.UNCHANGED)
            if not reason.strip():
                raise TrainingError(TrainingError.REASON_REQUIRED)
            was_in_room = existing.status in ATTENDING_STATUSES
            is_in_room = status in ATTENDING_STATUSES
            new_hours = credited_hours(
                session, status, existing.checked_in_at if existing.checked_in_at else arrival
            )
            AttendanceCorrection.objects.create(
                attendance=existing,
                changed_by=actor,
                from_status=existing.status,
                to_status=status,
                from_hours=existing.hours_credited,
                to_hours=new_hours,
                reason=reason.strip()[:300],
            )
            existing.status = status
            existing.hours_credited = new_hours
            existing.recorded_by = actor
            if is_in_room and existing.checked_in_at is None:
                existing.checked_in_at = arrival
            existing.save(update_fields=["status", "hours_credited", "recorded_by", "checked_in_at"])
            if is_luring and is_in_room and not was_in_room:
                _take_room_place(session)
            elif is_luring and was_in_room and not is_in_room:
                _free_room_place(session)
            record_event(
                actor=actor,
                action="training.attendance_corrected",
                target=existing,
                detail={"to": status, "reason": reason.strip()[:300]},
            )
            return existing
    except IntegrityError as error:
        # Two markers at once on a new record: the other one won; correcting it needs a reason.
        raise TrainingError(TrainingError.ALREADY_RECORDED) from error


def mark_unrecorded(
    *, session: TrainingSession, status: str, actor: Any, now: dt.datetime | None = None
) -> int:
    """Record `status` for every active participant of the class without a record for `session` — the rest of
    the roll at once: everyone present from the paper list, or those who never came as absent. Each record is
    `mark_attendance`'s (room places, audit); all or nothing when one is refused (a full room). A participant
    who checks in meanwhile keeps their check-in. Returns how many were recorded."""
    _require(can_mark_attendance, actor, session.batch)
    if session.batch.status == BatchStatus.COMPLETED:
        raise TrainingError(TrainingError.BATCH_CLOSED)
    if status not in AttendanceStatus.values:
        raise TrainingError(TrainingError.UNKNOWN_STATUS, status=status)
    now = now or timezone.now()
    if not recording_open(session, now):
        raise TrainingError(TrainingError.FUTURE_SESSION)
    recorded = 0
    with transaction.atomic():
        pending = (
            Enrollment.objects.filter(batch=session.batch, status=EnrollmentStatus.ACTIVE)
            .exclude(attendances__session=session)
            .order_by("pk")
        )
        for enrollment in pending:
            try:
                mark_attendance(session=session, enrollment=enrollment, status=status, actor=actor, now=now)
            except TrainingError as error:
                if error.template is not TrainingError.ALREADY_RECORDED:
                    raise
            else:
                recorded += 1
    return recorded


def upload_sheet(
    *, session: TrainingSession, file: Any, actor: Any, note: str = "", now: dt.datetime | None = None
) -> AttendanceSheet:
    """Keep the scan/photo of the signed paper attendance list (validated by the form: type and size)."""
    _require(can_mark_attendance, actor, session.batch)
    if session.batch.status == BatchStatus.COMPLETED:
        raise TrainingError(TrainingError.BATCH_CLOSED)
    now = now or timezone.now()
    start, _end = session_window(session)
    if session.status == SessionStatus.CANCELLED or now < start - CHECK_IN_GRACE:
        raise TrainingError(TrainingError.SHEET_TOO_EARLY)
    with transaction.atomic():
        sheet = AttendanceSheet.objects.create(
            session=session, file=file, uploaded_by=actor, note=note.strip()
        )
        record_event(
            actor=actor, action="training.sheet_uploaded", target=session, detail={"sheet": sheet.pk}
        )
    return sheet


# ------------------------------------------------------------------------------- supervision, assessment


def record_supervision_visit(
    *,
    batch: Batch,
    visited_on: dt.date,
    rating: int,
    notes: str,
    actor: Any,
    session: TrainingSession | None = None,
) -> SupervisionVisit:
    """The supervising OPD records a visit (or an online observation) with notes and a 1–5 rating. The same
    visit recorded again (a double submit) is refused; the class's row lock makes this hold for submits that
    arrive together."""
    _require(can_record_visit, actor, batch)
    if not 1 <= rating <= 5:
        raise TrainingError(TrainingError.BAD_RATING)
    if not notes.strip():
        raise TrainingError(TrainingError.NOTES_REQUIRED)
    if visited_on > timezone.localdate():
        raise TrainingError(TrainingError.VISIT_IN_FUTURE)
    if visited_on < batch.starts_on:
        raise TrainingError(TrainingError.VISIT_BEFORE_START, date=date_format(batch.starts_on, "j F Y"))
    if session is not None and session.batch_id != batch.pk:
        raise TrainingError(TrainingError.NOT_SAME_BATCH)
    visit_record = {
        "batch": batch,
        "session": session,
        "supervisor": actor,
        "visited_on": visited_on,
        "rating": rating,
        "notes": notes,
    }
    with transaction.atomic():
        Batch.objects.select_for_update().filter(pk=batch.pk).first()
        if SupervisionVisit.objects.filter(**visit_record).exists():  # a double submit
            raise TrainingError(TrainingError.VISIT_DUPLICATE)
        visit = SupervisionVisit.objects.create(**visit_record)
        record_event(
            actor=actor, action="training.supervision_visit", target=batch, detail={"rating": rating}
        )
    return visit


def record_assessment(
    *, enrollment: Enrollment, passed: bool, actor: Any, score: Decimal | None = None, notes: str = ""
) -> Assessment:
    """The operator or an instructor enters (or corrects) a participant's assessment result."""
    batch = enrollment.batch
    _require(can_assess, actor, batch)
    if batch.status not in (*DELIVERY_STATUSES,):
        raise TrainingError(TrainingError.BATCH_NOT_RUNNABLE, status=BatchStatus(batch.status).label)
    if enrollment.status != EnrollmentStatus.ACTIVE:
        raise TrainingError(TrainingError.NOT_SAME_BATCH)
    if score is not None and not Decimal("0") <= score <= Decimal("100"):
        raise TrainingError(TrainingError.BAD_SCORE)
    with transaction.atomic():
        assessment, _created = Assessment.objects.update_or_create(
            enrollment=enrollment,
            defaults={"passed": passed, "score": score, "assessed_by": actor, "notes": notes.strip()},
        )
        record_event(
            actor=actor,
            action="training.assessment",
            target=enrollment,
            detail={"passed": passed, "score": str(score) if score is not None else None},
        )
    return assessment


# ------------------------------------------------------------------------------------------- completion


def is_completed(
    *,
    hours_attended: Decimal,
    hours_total: Decimal,
    percent: int,
    requires_assessment: bool,
    passed: bool | None,
) -> bool:
    """The completion rule: attended ≥ percent% of the held hours (exactly at the edge counts) and, when the
    theme requires it, a passed assessment. Compared in integers × 100, so no rounding decides a case."""
    if hours_total <= 0:
        return False
    meets_hours = hours_attended * 100 >= hours_total * percent
    return meets_hours and (passed is True or not requires_assessment)


def close_batch(*, batch: Batch, actor: Any) -> list[Outcome]:
    """Decide every participant's outcome from the theme's completion rule and move the batch to completed.

    Active participants: completed or not completed. A participant who withdrew after the batch started
    (after its first held session, or with attendance recorded): dropped out. Refused while a session is
    still scheduled or started (end or cancel it first), and while the held sessions fall short of the
    programme's lesson hours (the theme's JP)."""
    _require(can_close_batch, actor, batch)
    if batch.status != BatchStatus.RUNNING:
        raise TrainingError(TrainingError.BATCH_NOT_RUNNABLE, status=BatchStatus(batch.status).label)
    sessions = TrainingSession.objects.filter(batch=batch)
    pending = sessions.filter(status__in=(SessionStatus.SCHEDULED, SessionStatus.STARTED)).count()
    if pending:
        raise TrainingError(TrainingError.SESSIONS_PENDING, count=pending)
    held = sessions.filter(status=SessionStatus.HELD)
    total = held.aggregate(total=Sum("hours"))["total"] or Decimal("0")
    if total <= 0:
        raise TrainingError(TrainingError.NO_HELD_SESSIONS)
    # The programme promises its hours; cancelling sessions must not lower the bar.
    if total < batch.theme.hours:
        raise TrainingError(
            TrainingError.HOURS_SHORT, held=floatformat(total, "-1"), program=batch.theme.hours
        )
    first_held = held.order_by("date", "starts_at").first()
    tz = timezone.get_current_timezone()
    # Withdrawing before the class began is not dropping out: the boundary is the moment the first held
    # session started (or its scheduled start, recorded from a paper sheet), not its day.
    if first_held is not None:
        began = first_held.started_at or session_window(first_held)[0]
    else:
        began = dt.datetime.combine(batch.starts_on, dt.time.min, tzinfo=tz)
    theme = batch.theme
    attended = {
        row["enrollment_id"]: row["hours"] or Decimal("0")
        for row in Attendance.objects.filter(session__in=held)
        .values("enrollment_id")
        .annotate(hours=Sum("hours_credited"))
        .order_by()
    }
    passed = dict(Assessment.objects.filter(enrollment__batch=batch).values_list("enrollment_id", "passed"))
    withdrawn_late = _withdrawn_since(batch, began)
    outcomes: list[Outcome] = []
    with transaction.atomic():
        for enrollment in Enrollment.objects.filter(batch=batch).order_by("pk"):
            hours = attended.get(enrollment.pk, Decimal("0"))
            if enrollment.status == EnrollmentStatus.ACTIVE:
                status = (
                    OutcomeStatus.COMPLETED
                    if is_completed(
                        hours_attended=hours,
                        hours_total=total,
                        percent=theme.completion_attendance_percent,
                        requires_assessment=theme.completion_requires_assessment,
                        passed=passed.get(enrollment.pk),
                    )
                    else OutcomeStatus.NOT_COMPLETED
                )
            elif enrollment.status == EnrollmentStatus.WITHDRAWN and (
                enrollment.pk in attended or enrollment.pk in withdrawn_late
            ):
                status = OutcomeStatus.DROPPED_OUT
            else:
                continue
            outcome, _created = Outcome.objects.update_or_create(
                enrollment=enrollment,
                defaults={
                    "batch": batch,
                    "status": status,
                    "hours_attended": hours,
                    "hours_total": total,
                    "assessment_passed": passed.get(enrollment.pk),
                },
            )
            outcomes.append(outcome)
        # Offers nobody answered lapse with the class: nobody can join a closed class.
        lapsing = list(
            Enrollment.objects.filter(batch=batch, status=EnrollmentStatus.OFFERED).values_list(
                "pk", flat=True
            )
        )
        lapsed = Enrollment.objects.filter(pk__in=lapsing, status=EnrollmentStatus.OFFERED).update(
            status=EnrollmentStatus.EXPIRED
        )
        if lapsed:
            Batch.objects.filter(pk=batch.pk).update(seats_taken=F("seats_taken") - lapsed)
        mark_completed(batch=batch, actor=actor)
        record_event(
            actor=actor,
            action="training.batch_closed",
            target=batch,
            detail={
                **{s: sum(1 for o in outcomes if o.status == s) for s in OutcomeStatus.values},
                "offers_lapsed": lapsing,
            },
        )
        # Graduates get their certificates with the closing: numbers now, PDFs from the worker after commit.
        # Staff who may close a batch (its operator, Bappeda) may issue its certificates.
        from latihkerja.certificates.services import issue_for_batch

        issue_for_batch(batch=batch, actor=actor)
    return outcomes


def _withdrawn_since(batch: Batch, since: dt.datetime) -> set[int]:
    """Enrollments of `batch` withdrawn at or after `since`, from the audit trail (`batches.services.release_seat`
    records the moment; the enrollment row keeps no date of its own)."""
    from latihkerja.audit.models import AuditEvent

    ids = Enrollment.objects.filter(batch=batch, status=EnrollmentStatus.WITHDRAWN).values_list(
        "pk", flat=True
    )
    wanted = {str(pk) for pk in ids}
    if not wanted:
        return set()
    return {
        int(target_id)
        for target_id in AuditEvent.objects.filter(
            action="enrollment.withdrawn",
            target_type="batches.enrollment",
            target_id__in=wanted,
            at__gte=since,
        ).values_list("target_id", flat=True)
    }
