"""Delivery pages: the operator's sessions, checklist, QR and roll call; the instructor's attendance and
assessment; the OPD's supervision; the evidence report; the resident's schedule and check-in.

Staff load batches and sessions through `Batch.objects.for_user` / `TrainingSession.objects.for_user`, then ask
the action's predicate in `rules.py`; either failing is a 404 (never a 403 that reveals an object). A resident
sees only sessions of batches where they hold an active seat (`TrainingSession.objects.for_participant`), so
a meeting link or a check-in page of another batch is a 404 too.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from latihkerja.accounts.sessions import is_staff_session
from latihkerja.allocation.queries import still_waiting
from latihkerja.audit.models import AuditEvent
from latihkerja.audit.services import record_event
from latihkerja.batches.enums import BatchStatus
from latihkerja.batches.models import Batch, Enrollment, EnrollmentStatus
from latihkerja.batches.queries import matching, search_text
from latihkerja.certificates.queries import certificates_of
from latihkerja.programs.holidays import days_off
from latihkerja.registration.queries import resident_of

from . import exports, queries
from .enums import AttendanceStatus, SessionModality, SessionStatus
from .errors import TrainingError
from .forms import (
    AssessmentForm,
    AssistedAnswerForm,
    CancelForm,
    ChecklistForm,
    CodeForm,
    MarkForm,
    MarkRestForm,
    MoveForm,
    ScheduleForm,
    SheetForm,
    VisitForm,
)
from .models import Assessment, Attendance, AttendanceSheet, ChecklistSignOff, TrainingSession
from .rules import (
    can_assess,
    can_close_batch,
    can_export_contacts,
    can_manage_sessions,
    can_mark_attendance,
    can_record_visit,
    can_sign_checklist,
    can_view_evidence,
)
from .services import (
    CHECK_IN_GRACE,
    DELIVERY_STATUSES,
    END_GRACE,
    MAX_DAYS_AHEAD,
    cancel_session,
    check_in,
    check_in_open,
    checklist_open,
    close_batch,
    end_session,
    has_complete_checklist,
    mark_attendance,
    mark_unrecorded,
    move_session,
    record_assessment,
    record_supervision_visit,
    recording_open,
    rotating_code,
    schedule_sessions,
    seat_holders,
    seconds_to_next_code,
    session_window,
    sign_checklist,
    start_session,
    start_state,
    upload_sheet,
    weekly_dates,
)

PAGE_SIZE = 25


def _batch(request: HttpRequest, code: str, predicate: Any = None) -> Batch:
    batch = queries.batch_for(request.user, code)
    if batch is None or (predicate is not None and not predicate.test(request.user, batch)):
        raise Http404
    return batch


def _session(request: HttpRequest, pk: int, predicate: Any = None) -> TrainingSession:
    session = get_object_or_404(queries.sessions_visible_to(request.user), pk=pk)
    if predicate is not None and not predicate.test(request.user, session.batch):
        raise Http404
    return session


def _site(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


# ------------------------------------------------------------------------------------------- staff pages


@login_required
def batches(request: HttpRequest) -> HttpResponse:
    if not is_staff_session(request.user):
        raise Http404
    search = search_text(request)
    rows = matching(queries.delivery_batches(request.user), search)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    flagged = queries.flagged_sessions(request.user)
    return render(
        request,
        "training/batches.html",
        {
            "page": page,
            "flagged_count": flagged.count(),
            "search": search,
            "query": urlencode({"q": search}) if search else "",
        },
    )


@login_required
def flagged(request: HttpRequest) -> HttpResponse:
    if not is_staff_session(request.user):
        raise Http404
    page = Paginator(queries.flagged_sessions(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "training/flagged.html", {"page": page})


def _room_too_small(session: TrainingSession, holders: int) -> bool:
    """A session still to come in a room whose cap is below the seats the class holds: offers accepted (or seats
    taken first come, first served) after the room was booked. The page says so while it can still be moved."""
    return (
        session.room_id is not None
        and session.admitted_cap is not None
        and session.status == SessionStatus.SCHEDULED
        and session_window(session)[0] > timezone.now()  # still to come: it can still be moved
        and holders > session.admitted_cap
    )


@login_required
def batch_detail(request: HttpRequest, code: str) -> HttpResponse:
    batch = _batch(request, code)
    user = request.user
    sessions = list(queries.sessions_of(batch))
    held_hours = sum((s.hours for s in sessions if s.status == SessionStatus.HELD), start=Decimal("0"))
    holders = seat_holders(batch)
    for s in sessions:
        s.room_too_small = _room_too_small(s, holders)  # type: ignore[attr-defined]
    return render(
        request,
        "training/batch.html",
        {
            "batch": batch,
            "sessions": sessions,
            # Closing needs every session held or cancelled; until then the button waits, saying why.
            "pending_sessions": sum(
                s.status in (SessionStatus.SCHEDULED, SessionStatus.STARTED) for s in sessions
            ),
            "participant_count": queries.participants_of(batch).count(),
            "seats": queries.seat_list(batch),
            "waiting": still_waiting(batch),
            # The programme's lesson hours against what is scheduled (cancelled sessions do not count).
            "scheduled_hours": sum(s.hours for s in sessions if s.status != SessionStatus.CANCELLED),
            "held_hours": held_hours,
            "hours_short": held_hours < batch.theme.hours,
            "visits": batch.supervision_visits.select_related("supervisor"),
            "may_manage": can_manage_sessions.test(user, batch),
            "may_assess": can_assess.test(user, batch),
            "may_visit": can_record_visit.test(user, batch),
            "may_close": can_close_batch.test(user, batch) and batch.status == "running",
            "may_evidence": can_view_evidence.test(user, batch),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def schedule(request: HttpRequest, code: str) -> HttpResponse:
    batch = _batch(request, code, can_manage_sessions)
    form = ScheduleForm(request.POST or None, batch=batch)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        first = data["first_date"]
        # Up to the furthest day a session may take: a series reaching past it is refused anyway.
        limit = timezone.localdate() + dt.timedelta(days=MAX_DAYS_AHEAD)
        skip = days_off(first, limit) if data["skip_days_off"] else {}
        dates = weekly_dates(first_date=first, weekdays=data["weekdays"], count=data["count"], skip=skip)
        skipped = [
            (day, name)
            for day, name in skip.items()
            if dates and day <= dates[-1] and day.weekday() in data["weekdays"]
        ]
        try:
            sessions = schedule_sessions(
                batch=batch,
                dates=dates,
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                hours=data["hours"],
                modality=data["modality"],
                room=data.get("room"),
                meeting_url=data.get("meeting_url") or "",
                topic=data["topic"],
                actor=request.user,
                site_url=_site(request),
            )
        except TrainingError as error:
            _place_error(form, error)
        else:
            messages.success(
                request,
                ngettext("%(count)s sesi dijadwalkan.", "%(count)s sesi dijadwalkan.", len(sessions))
                % {"count": len(sessions)},
            )
            if skipped:
                messages.info(
                    request,
                    _("Dilewati karena hari libur: %(days)s.")
                    % {"days": "; ".join(f"{date_format(day, 'j F Y')} ({name})" for day, name in skipped)},
                )
            return redirect("training:batch", code=batch.code)
    today = timezone.localdate()
    upcoming = days_off(max(today, batch.starts_on), batch.period.ends_on)
    return render(
        request, "training/schedule.html", {"batch": batch, "form": form, "days_off": upcoming.items()}
    )


# Where a scheduling refusal is shown: beside the field the operator must change (the form's top otherwise).
_ERROR_FIELDS = (
    (TrainingError.MEETING_URL_REQUIRED, "meeting_url"),
    (TrainingError.ROOM_REQUIRED, "room"),
    (TrainingError.ROOM_OF_OTHER_CENTER, "room"),
    (TrainingError.ROOM_TOO_SMALL, "room"),
    (TrainingError.ROOM_TAKEN, "room"),
    (TrainingError.MODALITY_NOT_ALLOWED, "modality"),
    (TrainingError.BAD_TIMES, "ends_at"),
    (TrainingError.HOURS_LONGER_THAN_SESSION, "ends_at"),
    (TrainingError.CLASS_SESSION_CLASH, "starts_at"),
    (TrainingError.START_PASSED, "starts_at"),
    (TrainingError.BEFORE_CLASS_START, "first_date"),  # scheduling
    (TrainingError.BEFORE_CLASS_START, "date"),  # moving
    (TrainingError.AFTER_PERIOD_END, "first_date"),
    (TrainingError.AFTER_PERIOD_END, "date"),
)


def _place_error(form: Any, error: TrainingError) -> None:
    field = next(
        (f for template, f in _ERROR_FIELDS if error.template is template and f in form.fields), None
    )
    form.add_error(field, error.message)


@login_required
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _session_page(request, _session(request, pk))


def _session_page(
    request: HttpRequest,
    session: TrainingSession,
    *,
    checklist_form: ChecklistForm | None = None,
    sheet_form: SheetForm | None = None,
    refused_mark: tuple[int, Any, str] | None = None,
) -> HttpResponse:
    """The session page. After a refused form it is rendered again (not redirected) with the form as typed and
    its reasons beside it: the refused checklist, sheet upload, or a participant's row (`refused_mark`: the
    enrollment, the posted data and the reason)."""
    batch = session.batch
    user = request.user
    start, end = session_window(session)
    # A closed class's records are what its results and certificates were computed from: read-only.
    may_mark = can_mark_attendance.test(user, batch) and batch.status != BatchStatus.COMPLETED
    may_manage = can_manage_sessions.test(user, batch)
    now = timezone.now()
    roll = queries.roll_call(session) if may_mark or can_view_evidence.test(user, batch) else []
    rows = []
    for enrollment, attendance in roll:
        typed = {"status": attendance.status if attendance else "", "reason": "", "error": ""}
        if refused_mark and refused_mark[0] == enrollment.pk:
            data = refused_mark[1]
            typed = {
                "status": str(data.get("status", "")),
                "reason": str(data.get("reason", ""))[:300],
                "error": refused_mark[2],
            }
        rows.append((enrollment, attendance, typed))
    cancellation = None
    if session.status == SessionStatus.CANCELLED:
        cancellation = (
            AuditEvent.objects.about(session)
            .filter(action="training.session_cancelled")
            .select_related("actor")
            .order_by("-at")
            .first()
        )
    if checklist_form is None and can_sign_checklist.test(user, batch):
        checklist_form = ChecklistForm()
    if sheet_form is None and may_mark:
        sheet_form = SheetForm()
    holders = seat_holders(batch)
    # Start is offered only when the service would accept it; otherwise the page says when, or what to do now.
    return render(
        request,
        "training/session.html",
        {
            "session": session,
            "batch": batch,
            "cancellation": cancellation,
            "starts": start,
            "ends": end,
            "start_state": start_state(session, now),
            # Forms are offered only when the services would take them; otherwise the page says when.
            "recording_open": recording_open(session, now),
            # Still "scheduled" after its end: nobody started it in the app or recorded it from paper yet.
            "overdue": session.status == SessionStatus.SCHEDULED and now >= end,
            "start_opens": start - CHECK_IN_GRACE,
            "room_too_small": _room_too_small(session, holders),
            "seat_holders": holders,
            "end_opens": end - END_GRACE,
            "end_open": now >= end - END_GRACE,
            "roll": rows,
            "unrecorded": sum(1 for _enrollment, attendance, _typed in rows if attendance is None),
            "statuses": AttendanceStatus.choices,
            "checklist_form": checklist_form,
            "checklist_complete": has_complete_checklist(session),
            "checklist_open": checklist_open(session, timezone.localdate()),
            "checklist_missed": session.date < timezone.localdate(),
            "sheet_form": sheet_form,
            "sheets": session.sheets.select_related("uploaded_by"),
            "may_manage": may_manage,
            "has_attendance": may_manage and session.attendances.exists(),
            "may_mark": may_mark,
            "may_export": can_export_contacts.test(user, batch)
            and session.modality == SessionModality.LURING,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def move(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk, can_manage_sessions)
    initial = {
        "date": session.date,
        "starts_at": session.starts_at,
        "ends_at": session.ends_at,
        "modality": session.modality,
        "room": session.room_id,
        "meeting_url": session.meeting_url,
    }
    form = MoveForm(request.POST or None, batch=session.batch, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            move_session(
                session=session,
                date=data["date"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                modality=data["modality"],
                room=data.get("room"),
                meeting_url=data.get("meeting_url") or "",
                reason=data["reason"],
                actor=request.user,
                site_url=_site(request),
            )
        except TrainingError as error:
            _place_error(form, error)
        else:
            messages.success(request, _("Jadwal sesi diubah; peserta diberi tahu lewat SMS."))
            return redirect("training:session", pk=session.pk)
    return render(request, "training/move.html", {"session": session, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk, can_manage_sessions)
    if session.status != SessionStatus.SCHEDULED:
        messages.error(request, TrainingError.NOT_SCHEDULED)
        return redirect("training:session", pk=session.pk)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cancel_session(
                session=session,
                reason=form.cleaned_data["reason"],
                actor=request.user,
                site_url=_site(request),
            )
        except TrainingError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Sesi dibatalkan."))
            return redirect("training:batch", code=session.batch.code)
    upcoming = session_window(session)[1] > timezone.now()
    return render(request, "training/cancel.html", {"session": session, "form": form, "upcoming": upcoming})


@login_required
@require_POST
def sign(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk, can_sign_checklist)
    signed = ChecklistSignOff.objects.filter(session=session).exists()
    if signed or session.status != SessionStatus.SCHEDULED:
        # Signed from another tab, or the session moved on: the page shows no form to answer in, so say it here.
        messages.info(
            request,
            TrainingError.CHECKLIST_ALREADY_SIGNED if signed else TrainingError.CHECKLIST_SESSION_MOVED_ON,
        )
        return redirect("training:session", pk=session.pk)
    form = ChecklistForm(request.POST)
    if not form.is_valid():
        return _session_page(request, session, checklist_form=form)
    try:
        sign_checklist(
            session=session,
            confirmed=form.cleaned_data["items"],
            notes=form.cleaned_data["notes"],
            actor=request.user,
        )
    except TrainingError as error:
        if error.template is TrainingError.CHECKLIST_ALREADY_SIGNED:  # signed a moment ago from another tab
            messages.info(request, error.message)
            return redirect("training:session", pk=session.pk)
        form.add_error("items", error.message)  # shown beside the boxes, which keep their ticks
        return _session_page(request, session, checklist_form=form)
    messages.success(request, _("Ceklis protokol kesehatan ditandatangani. Sesi dapat dimulai."))
    return redirect("training:session", pk=session.pk)


@login_required
@require_POST
def start(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk, can_manage_sessions)
    try:
        start_session(session=session, actor=request.user)
    except TrainingError as error:
        messages.error(request, error.message)
        return redirect("training:session", pk=session.pk)
    messages.success(request, _("Sesi dimulai. Tampilkan kode QR agar peserta dapat memindainya."))
    return redirect("training:qr", pk=session.pk)


@login_required
@require_POST
def end(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk, can_manage_sessions)
    scheduled_hours = session.hours
    try:
        ended = end_session(session=session, actor=request.user, reason=request.POST.get("reason", "")[:300])
    except TrainingError as error:
        messages.error(request, error.message)
    else:
        if ended.hours < scheduled_hours:
            messages.success(
                request,
                _("Sesi dicatat terlaksana dengan %(hours)s JP, sesuai waktu yang berlangsung.")
                % {"hours": floatformat(ended.hours, "-1")},
            )
        else:
            messages.success(request, _("Sesi dicatat terlaksana."))
    return redirect("training:session", pk=session.pk)


def _qr_context(request: HttpRequest, session: TrainingSession) -> dict[str, Any]:
    import segno

    now = timezone.now()
    code = rotating_code(session, now)
    url = request.build_absolute_uri(reverse("training:check-in", args=[session.pk, code]))
    svg = segno.make(url, error="m").svg_inline(scale=6, border=2, omitsize=True, title=_("Kode QR hadir"))
    return {
        "session": session,
        "code": code,
        "url": url,
        "svg": svg,
        "refresh_in": seconds_to_next_code(now),
        "is_open": session.status == SessionStatus.STARTED,
    }


@login_required
@require_GET
def qr(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk, can_manage_sessions)
    context = _qr_context(request, session)
    context["admitted"] = session.admitted
    return render(request, "training/qr.html", context)


@login_required
@require_GET
def qr_fragment(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk, can_manage_sessions)
    return render(request, "training/_qr.html", _qr_context(request, session))


@login_required
@require_POST
def mark(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk, can_mark_attendance)
    form = MarkForm(request.POST)
    if not form.is_valid():
        # The row's own reason: an unknown status, or a reason too long (both fields sit in the row).
        messages_by_field = [str(e) for field in ("status", "reason") for e in form.errors.get(field, [])]
        message = " ".join(messages_by_field) or _("Pilih status kehadiran dari daftar.")
        return _session_page(request, session, refused_mark=(_posted_row(request), request.POST, message))
    enrollment = Enrollment.objects.filter(batch=session.batch, pk=form.cleaned_data["enrollment"]).first()
    if enrollment is None:
        raise Http404
    try:
        mark_attendance(
            session=session,
            enrollment=enrollment,
            status=form.cleaned_data["status"],
            reason=form.cleaned_data["reason"],
            actor=request.user,
        )
    except TrainingError as error:
        return _session_page(request, session, refused_mark=(enrollment.pk, request.POST, error.message))
    messages.success(request, _("Kehadiran tercatat."))
    return redirect(reverse("training:session", args=[session.pk]) + f"#p-{enrollment.pk}")


@login_required
@require_POST
def mark_rest(request: HttpRequest, pk: int) -> HttpResponse:
    """Everyone not yet recorded for the session, with one status."""
    session = _session(request, pk, can_mark_attendance)
    form = MarkRestForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors.get("status", [])))
        return redirect(reverse("training:session", args=[session.pk]) + "#roll-h")
    status = form.cleaned_data["status"]
    try:
        recorded = mark_unrecorded(session=session, status=status, actor=request.user)
    except TrainingError as error:
        messages.error(request, error.message)
    else:
        if recorded:
            messages.success(
                request,
                ngettext(
                    "%(count)s peserta dicatat: %(status)s.",
                    "%(count)s peserta dicatat: %(status)s.",
                    recorded,
                )
                % {"count": recorded, "status": AttendanceStatus(status).label},
            )
        else:
            messages.info(request, _("Semua peserta sudah tercatat; tidak ada yang diubah."))
    return redirect(reverse("training:session", args=[session.pk]) + "#roll-h")


@login_required
@require_POST
def sheet_upload(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk, can_mark_attendance)
    form = SheetForm(request.POST, request.FILES)
    if not form.is_valid():
        return _session_page(request, session, sheet_form=form)
    try:
        upload_sheet(
            session=session,
            file=form.cleaned_data["file"],
            note=form.cleaned_data["note"],
            actor=request.user,
        )
    except TrainingError as error:
        form.add_error("file", error.message)
        return _session_page(request, session, sheet_form=form)
    messages.success(request, _("Daftar hadir kertas tersimpan."))
    return redirect("training:session", pk=session.pk)


@login_required
@require_GET
def sheet_download(request: HttpRequest, pk: int, sheet_pk: int) -> FileResponse:
    session = _session(request, pk, can_view_evidence)
    sheet = get_object_or_404(AttendanceSheet.objects.filter(session=session), pk=sheet_pk)
    record_event(actor=request.user, action="training.sheet_viewed", target=sheet, detail={})
    name = (sheet.file.name or "").rsplit("/", 1)[-1]
    return FileResponse(sheet.file.open("rb"), as_attachment=True, filename=name)


@login_required
@require_GET
def contacts(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk, can_export_contacts)
    if session.modality != SessionModality.LURING:
        raise Http404
    rows = list(queries.contact_list(session))
    record_event(
        actor=request.user,
        action="training.contacts_exported",
        target=session,
        detail={"rows": len(rows)},
    )
    return exports.contacts_csv(session, rows)


# ---------------------------------------------------------------------------------- batch-level actions


@login_required
@require_http_methods(["GET", "POST"])
def visit(request: HttpRequest, code: str) -> HttpResponse:
    batch = _batch(request, code, can_record_visit)
    form = VisitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            record_supervision_visit(batch=batch, actor=request.user, **form.cleaned_data)
        except TrainingError as error:
            dated = error.template in (TrainingError.VISIT_BEFORE_START, TrainingError.VISIT_IN_FUTURE)
            form.add_error("visited_on" if dated else None, error.message)
        else:
            messages.success(request, _("Kunjungan pengawasan tercatat."))
            return redirect("training:batch", code=batch.code)
    return render(request, "training/visit.html", {"batch": batch, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def assessments(request: HttpRequest, code: str) -> HttpResponse:
    batch = _batch(request, code, can_assess)
    if request.method != "POST":
        return _assessments_page(request, batch)
    form = AssessmentForm(request.POST)
    if not form.is_valid():
        # Answered in the participant's row (the list may be long), with what was typed kept there.
        errors = [str(error) for errors in form.errors.values() for error in errors]
        return _assessments_page(request, batch, refused=(_posted_row(request), request.POST, errors))
    enrollment = Enrollment.objects.filter(
        batch=batch, status=EnrollmentStatus.ACTIVE, pk=form.cleaned_data["enrollment"]
    ).first()
    if enrollment is None:
        raise Http404
    try:
        record_assessment(
            enrollment=enrollment,
            passed=form.cleaned_data["passed"],
            score=form.cleaned_data["score"],
            actor=request.user,
        )
    except TrainingError as error:
        return _assessments_page(request, batch, refused=(enrollment.pk, request.POST, [error.message]))
    messages.success(request, _("Hasil uji %(name)s tersimpan.") % {"name": enrollment.resident.full_name})
    return redirect(reverse("training:assessments", args=[batch.code]) + f"#p-{enrollment.pk}")


def _assessments_page(
    request: HttpRequest, batch: Batch, refused: tuple[int, Any, list[str]] | None = None
) -> HttpResponse:
    """The assessment list; after a refused save, the refused row shows the reasons and the values typed."""
    participants = queries.with_namesakes(queries.participants_of(batch))
    results = {a.enrollment_id: a for a in Assessment.objects.filter(enrollment__batch=batch)}
    row, typed, errors = refused or (0, {}, [])
    rows = []
    for enrollment in participants:
        result = results.get(enrollment.pk)
        if enrollment.pk == row:
            shown = {"passed": str(typed.get("passed", "")), "score": str(typed.get("score", ""))[:20]}
        elif result is not None:
            shown = {"passed": "1" if result.passed else "0", "score": _score_text(result.score)}
        else:
            shown = {"passed": "", "score": ""}
        shown["stored"] = _score_text(result.score) if result else ""
        rows.append((enrollment, result, shown, errors if enrollment.pk == row else []))
    if refused and row not in {e.pk for e in participants}:
        for error in errors:  # not a row of this list: said at the top
            messages.error(request, error)
    # Results are recorded while the class runs; a closed class shows them (its certificates rest on them).
    editable = batch.status in DELIVERY_STATUSES
    return render(request, "training/assessments.html", {"batch": batch, "rows": rows, "editable": editable})


def _posted_row(request: HttpRequest) -> int:
    """The participant (enrollment id) a refused row form was sent for; 0 when it is not a number."""
    raw = str(request.POST.get("enrollment", ""))
    return int(raw) if raw.isdigit() and len(raw) < 12 else 0


def _score_text(score: Decimal | None) -> str:
    """A stored score as the reader writes it, without trailing zeros: 87.50 -> "87,5" in Indonesian."""
    return "" if score is None else number_format(score.normalize())


@login_required
@require_POST
def close(request: HttpRequest, code: str) -> HttpResponse:
    batch = _batch(request, code, can_close_batch)
    try:
        outcomes = close_batch(batch=batch, actor=request.user)
    except TrainingError as error:
        messages.error(request, error.message)
    else:
        completed = sum(1 for o in outcomes if o.status == "completed")
        messages.success(
            request,
            _("Kelas ditutup: %(completed)s dari %(total)s peserta lulus.")
            % {"completed": completed, "total": len(outcomes)},
        )
    return redirect("training:batch", code=batch.code)


@login_required
@require_http_methods(["GET", "POST"])
def answer_offer(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """A resident without a smartphone answers their seat offer at the centre: a code goes to their phone, they
    read it back, and the operator records their answer (`allocation.services.answer_offer_assisted`)."""
    from latihkerja.accounts.errors import AccountError
    from latihkerja.accounts.services import client_ip, request_code
    from latihkerja.allocation.errors import AllocationError
    from latihkerja.allocation.services import answer_offer_assisted

    batch = _batch(request, code, can_manage_sessions)
    offer = get_object_or_404(
        Enrollment.objects.select_related("resident"), pk=pk, batch=batch, status=EnrollmentStatus.OFFERED
    )
    form = AssistedAnswerForm(request.POST if request.POST.get("step") == "answer" else None)
    sent = False
    if request.method == "POST" and request.POST.get("step") == "send":
        try:
            request_code(
                phone=offer.resident.phone,
                ip=client_ip(request),
                language=offer.resident.language,
                assisted=True,
            )
        except AccountError as error:
            messages.error(request, error.message)
        else:
            record_event(actor=request.user, action="offer.assist_code_sent", target=offer, detail={})
            sent = True
    elif request.method == "POST" and form.is_valid():
        accept = form.cleaned_data["answer"] == "accept"
        try:
            answer_offer_assisted(
                enrollment=offer,
                actor=request.user,
                code=form.cleaned_data["code"],
                accept=accept,
                site_url=request.build_absolute_uri("/"),
            )
        except AllocationError as error:
            form.add_error("code", error.message)
        else:
            name = offer.resident.full_name
            messages.success(
                request,
                (_("%(name)s menerima kursinya.") if accept else _("%(name)s menolak kursinya."))
                % {"name": name},
            )
            return redirect("training:batch", code=batch.code)
    return render(
        request,
        "training/answer_offer.html",
        {"batch": batch, "offer": offer, "form": form, "sent": sent or request.POST.get("step") == "answer"},
    )


@login_required
@require_GET
def evidence(request: HttpRequest, code: str) -> HttpResponse:
    batch = _batch(request, code, can_view_evidence)
    report = queries.evidence(batch)
    record_event(actor=request.user, action="training.evidence_viewed", target=batch, detail={})
    return render(request, "training/evidence.html", {"batch": batch, "report": report})


@login_required
@require_GET
def evidence_export(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    batch = _batch(request, code, can_view_evidence)
    report = queries.evidence(batch)
    record_event(
        actor=request.user, action="training.evidence_exported", target=batch, detail={"format": fmt}
    )
    if fmt == "csv":
        return exports.evidence_csv(report)
    return exports.evidence_xlsx(report)


# ------------------------------------------------------------------------------------------ the resident


def _resident(request: HttpRequest) -> Any:
    resident = resident_of(request.user)
    if resident is None:
        raise Http404
    return resident


@login_required
@require_GET
def my_schedule(request: HttpRequest) -> HttpResponse:
    resident = _resident(request)
    sessions = list(queries.participant_sessions(resident))
    held = [s for s in sessions if s.status == SessionStatus.HELD]
    held_hours = sum((s.hours for s in held), start=0)
    attended = sum((a.hours_credited for s in held for a in s.mine), start=0)  # type: ignore[attr-defined]
    now = timezone.now()
    typed = request.session.pop(SESSION_TYPED_CODE, {})
    for s in sessions:
        s.attendance = s.mine[0] if s.mine else None  # type: ignore[attr-defined]
        s.window = session_window(s)  # type: ignore[attr-defined]
        s.message_tag = _inline_tag(s.pk)  # type: ignore[attr-defined]
        # A refused code stays in its field, to see and mend the typo.
        s.typed_code = typed.get(str(s.pk), "")  # type: ignore[attr-defined]
        # Still "scheduled" after its end: nobody started or recorded it. Not "scheduled" to the resident.
        s.unrecorded = s.status == SessionStatus.SCHEDULED and s.window[1] < now  # type: ignore[attr-defined]
    today = timezone.localdate()
    return render(
        request,
        "training/my_schedule.html",
        {
            "resident": resident,
            "sessions": sessions,
            "today": today,
            "held_hours": held_hours,
            "attended_hours": attended,
            "form": CodeForm(),
            "certificates": list(certificates_of(request.user)),
        },
    )


SESSION_TYPED_CODE = "training_typed_code"


def _inline_tag(session_pk: int) -> str:
    """Messages with this tag are shown under the session's code field, not at the top of the page (base.html
    leaves `inline` messages to the page): on a phone the top is a screen away from where the code was typed."""
    return f"inline s-{session_pk}"


def _participant_session(request: HttpRequest, pk: int) -> tuple[Any, TrainingSession]:
    resident = _resident(request)
    session = get_object_or_404(
        TrainingSession.objects.for_participant(resident.pk).select_related(
            "batch__theme", "batch__center", "room"
        ),
        pk=pk,
    )
    return resident, session


@login_required
@require_http_methods(["GET", "POST"])
def check_in_page(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """Where the QR code leads: the resident confirms with one tap (a GET changes nothing)."""
    resident, session = _participant_session(request, pk)
    if request.method == "POST":
        return _do_check_in(request, resident, session, code)
    start_dt, end_dt = session_window(session)
    now = timezone.now()
    # The button is offered only when `check_in` would accept it; otherwise the page says why.
    if Attendance.objects.filter(session=session, enrollment__resident=resident).exists():
        state = "recorded"
    elif check_in_open(session, now):
        state = "open"
    elif session.status == SessionStatus.CANCELLED:
        state = "cancelled"
    elif session.status == SessionStatus.HELD or now >= end_dt:
        state = "over"
    else:
        state = "not_started"
    return render(
        request,
        "training/check_in.html",
        {
            "session": session,
            "code": code,
            "starts": start_dt,
            "ends": end_dt,
            "opens": start_dt - CHECK_IN_GRACE,
            "state": state,
        },
    )


@login_required
@require_POST
def check_in_with_code(request: HttpRequest, pk: int) -> HttpResponse:
    """The typed code from the schedule page (when the camera cannot scan)."""
    resident, session = _participant_session(request, pk)
    form = CodeForm(request.POST)
    back = reverse("training:my-schedule") + f"#s-{session.pk}"
    if not form.is_valid():
        messages.error(request, _("Tulis kode hadir."), extra_tags=_inline_tag(session.pk))
        return redirect(back)
    return _do_check_in(request, resident, session, form.cleaned_data["code"], typed=True)


def _do_check_in(
    request: HttpRequest, resident: Any, session: TrainingSession, code: str, *, typed: bool = False
) -> HttpResponse:
    try:
        attendance = check_in(session=session, resident=resident, code=code)
    except TrainingError as error:
        if error.template is TrainingError.ALREADY_RECORDED:
            # A check-in sent again (its reply lost on a bad connection): it worked the first time.
            messages.success(request, error.message)
            return redirect(reverse("training:my-schedule") + f"#s-{session.pk}")
        messages.error(request, error.message, extra_tags=_inline_tag(session.pk) if typed else "")
        if typed:
            request.session[SESSION_TYPED_CODE] = {str(session.pk): code[:20]}
    else:
        if attendance.status == AttendanceStatus.LATE:
            messages.warning(
                request,
                _("Kehadiran tercatat sebagai terlambat (%(hours)s JP diakui).")
                % {"hours": floatformat(attendance.hours_credited, "-1")},
            )
        else:
            messages.success(request, _("Terima kasih, kehadiran Anda tercatat."))
    return redirect(reverse("training:my-schedule") + f"#s-{session.pk}")
