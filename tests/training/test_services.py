"""Delivery rules: scheduling and its occupancy cap, the checklist before start, check-in windows and codes,
attendance marking and its corrections log, completion at the threshold edges."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from django.utils.formats import date_format

from latihkerja.allocation.services import withdraw_seat
from latihkerja.audit.models import AuditEvent
from latihkerja.batches.enums import BatchStatus
from latihkerja.batches.models import Batch, Enrollment, EnrollmentStatus
from latihkerja.catalog.models import Theme
from latihkerja.notifications.models import Message
from latihkerja.training import services
from latihkerja.training.enums import AttendanceMethod, AttendanceStatus, OutcomeStatus, SessionStatus
from latihkerja.training.errors import TrainingError
from latihkerja.training.models import (
    Attendance,
    AttendanceCorrection,
    ChecklistItem,
    ChecklistSignOff,
    Outcome,
    TrainingSession,
)
from tests.factories.training import (
    PLANNED_AT,
    SessionFactory,
    at,
    book,
    daring_session,
    delivery_batch,
    hybrid_batch,
    participant,
    programme_hours,
    room,
    signed,
)

pytestmark = pytest.mark.django_db

ALL_ITEMS = ["masker", "cuci-tangan", "jaga-jarak", "ventilasi", "skrining"]


def started(session, by):
    signed(session, by)
    return services.start_session(session=session, actor=by, now=at(session, -5))


# ------------------------------------------------------------------------------------------- scheduling


def schedule_monday_morning(batch, actor, **changes):
    """`schedule_sessions` for one session on the class's first day (Monday 5 October 2020, 08.00–12.00, 4 JP,
    luring), planned before it starts; `changes` replace any argument."""
    arguments = {
        "now": PLANNED_AT,
        "dates": [dt.date(2020, 10, 5)],
        "starts_at": dt.time(8),
        "ends_at": dt.time(12),
        "hours": Decimal("4"),
        "modality": "luring",
    }
    return services.schedule_sessions(batch=batch, actor=actor, **(arguments | changes))


def test_weekly_dates_when_monday_and_thursday_from_a_thursday():
    dates = services.weekly_dates(first_date=dt.date(2020, 10, 1), weekdays=[0, 3], count=4)

    assert dates == [dt.date(2020, 10, 1), dt.date(2020, 10, 5), dt.date(2020, 10, 8), dt.date(2020, 10, 12)]


def test_schedule_sessions_creates_numbered_luring_sessions_with_the_occupancy_cap(operator_blk_a):
    batch = delivery_batch()
    hall = room(batch.center, name="Aula", capacity=45)
    participant(batch)

    sessions = services.schedule_sessions(
        now=PLANNED_AT,
        batch=batch,
        dates=services.weekly_dates(first_date=dt.date(2020, 10, 5), weekdays=[0, 2], count=3),
        starts_at=dt.time(8),
        ends_at=dt.time(12),
        hours=Decimal("4"),
        modality="luring",
        room=hall,
        actor=operator_blk_a,
    )

    assert [(s.number, s.date, s.admitted_cap, s.room_id) for s in sessions] == [
        (1, dt.date(2020, 10, 5), 22, hall.pk),
        (2, dt.date(2020, 10, 7), 22, hall.pk),
        (3, dt.date(2020, 10, 12), 22, hall.pk),
    ]


def test_a_room_is_not_booked_twice_at_overlapping_times_by_two_classes(operator_blk_a):
    first = delivery_batch()
    second = delivery_batch(center=first.center)
    hall = room(first.center, name="Aula", capacity=45)
    book(first, hall, operator_blk_a)

    with pytest.raises(TrainingError) as error:
        book(second, hall, operator_blk_a, starts=11, ends=15)
    book(second, hall, operator_blk_a, starts=12, ends=16)  # back to back is fine
    book(second, hall, operator_blk_a, day=dt.date(2020, 10, 6))  # another day is fine

    assert error.value.message == (
        f"Ruang Aula sudah dipakai kelas {first.theme.name} pada 5 Oktober 2020 pukul 08.00–12.00. "
        "Pilih jam atau ruang lain."
    )
    assert TrainingSession.objects.filter(batch=second).count() == 2


def test_a_cancelled_session_frees_its_room_and_a_moved_one_cannot_take_a_held_slot(operator_blk_a):
    first = delivery_batch()
    second = delivery_batch(center=first.center)
    hall = room(first.center, name="Aula", capacity=45)
    (cancelled,) = book(first, hall, operator_blk_a)
    TrainingSession.objects.filter(pk=cancelled.pk).update(status="cancelled")
    (taken,) = book(second, hall, operator_blk_a)  # the cancelled session's slot
    (later,) = book(first, hall, operator_blk_a, day=dt.date(2020, 10, 7))

    with pytest.raises(TrainingError) as error:
        services.move_session(
            now=PLANNED_AT,
            session=later,
            date=taken.date,
            starts_at=dt.time(9),
            ends_at=dt.time(13),
            modality="luring",
            room=hall,
            actor=operator_blk_a,
        )

    assert error.value.template == TrainingError.ROOM_TAKEN
    assert TrainingSession.objects.get(pk=later.pk).date == dt.date(2020, 10, 7)
    services.move_session(  # moving within its own slot does not clash with itself
        now=PLANNED_AT,
        session=later,
        date=later.date,
        starts_at=dt.time(9),
        ends_at=dt.time(13),
        modality="luring",
        room=hall,
        actor=operator_blk_a,
    )


def test_a_class_cannot_have_two_sessions_at_once_even_online(operator_blk_a):
    batch = hybrid_batch()
    first = daring_session(batch, date=dt.date(2020, 10, 5))  # 08:00-12:00
    later = daring_session(batch, date=dt.date(2020, 10, 6))

    with pytest.raises(TrainingError) as scheduled:
        services.schedule_sessions(
            now=PLANNED_AT,
            batch=batch,
            dates=[first.date],
            starts_at=dt.time(11),
            ends_at=dt.time(13),
            hours=Decimal("2"),
            modality="daring",
            meeting_url="https://meet.example.org/x",
            actor=operator_blk_a,
        )
    with pytest.raises(TrainingError) as moved:
        services.move_session(
            now=PLANNED_AT,
            session=later,
            date=first.date,
            starts_at=dt.time(9),
            ends_at=dt.time(13),
            modality="daring",
            meeting_url="https://meet.example.org/x",
            actor=operator_blk_a,
        )

    assert scheduled.value.template is TrainingError.CLASS_SESSION_CLASH
    assert moved.value.template is TrainingError.CLASS_SESSION_CLASH
    assert f"pertemuan {first.number} pada 5 Oktober 2020" in scheduled.value.message
    assert TrainingSession.objects.filter(batch=batch).count() == 2
    services.schedule_sessions(  # right after it is fine
        now=PLANNED_AT,
        batch=batch,
        dates=[first.date],
        starts_at=dt.time(12),
        ends_at=dt.time(14),
        hours=Decimal("2"),
        modality="daring",
        meeting_url="https://meet.example.org/x",
        actor=operator_blk_a,
    )


def test_schedule_sessions_refuses_a_room_whose_cap_is_below_the_participants_when_luring(operator_blk_a):
    batch = delivery_batch()
    small = room(batch.center, name="Ruang kecil", capacity=5)
    for _ in range(3):
        participant(batch)

    with pytest.raises(TrainingError) as error:
        schedule_monday_morning(batch, operator_blk_a, room=small)

    assert error.value.template is TrainingError.ROOM_TOO_SMALL
    assert error.value.params == {
        "room": "Ruang kecil",
        "cap": 2,
        "capacity": 5,
        "percent": 50,
        "participants": 3,
    }
    assert not TrainingSession.objects.filter(batch=batch).exists()


def test_schedule_sessions_refuses_an_operator_of_another_centre(operator_blk_b):
    batch = delivery_batch()

    with pytest.raises(TrainingError) as error:
        schedule_monday_morning(batch, operator_blk_b, room=batch.room)

    assert error.value.template is TrainingError.NOT_ALLOWED
    assert not TrainingSession.objects.exists()


def test_schedule_sessions_refuses_a_room_of_another_centre(operator_blk_a, center_b):
    batch = delivery_batch()

    with pytest.raises(TrainingError) as error:
        schedule_monday_morning(batch, operator_blk_a, room=center_b.rooms.first())

    assert error.value.template is TrainingError.ROOM_OF_OTHER_CENTER


def test_schedule_sessions_needs_a_meeting_link_when_daring(operator_blk_a):
    batch = hybrid_batch()

    with pytest.raises(TrainingError) as error:
        schedule_monday_morning(batch, operator_blk_a, modality="daring")

    assert error.value.template is TrainingError.MEETING_URL_REQUIRED


def test_schedule_sessions_gives_a_daring_session_a_join_code_when_hybrid(operator_blk_a):
    batch = hybrid_batch()

    [session] = services.schedule_sessions(
        now=PLANNED_AT,
        batch=batch,
        dates=[dt.date(2020, 10, 5)],
        starts_at=dt.time(19),
        ends_at=dt.time(21),
        hours=Decimal("2"),
        modality="daring",
        meeting_url="https://meet.example.org/barista",
        actor=operator_blk_a,
    )

    assert session.room is None
    assert session.admitted_cap is None
    assert len(session.join_code) == 6


def test_move_session_recomputes_the_cap_and_tells_every_active_participant(operator_blk_a):
    batch = delivery_batch()
    session = SessionFactory(batch=batch)
    hall = room(batch.center, name="Aula", capacity=30)
    people = [participant(batch, phone=f"08120000000{i}") for i in range(2)]
    participant(batch, status=EnrollmentStatus.WITHDRAWN, phone="081299999999")

    services.move_session(
        now=PLANNED_AT,
        session=session,
        date=dt.date(2020, 10, 6),
        starts_at=dt.time(13),
        ends_at=dt.time(17),
        modality="luring",
        room=hall,
        reason="Aula dipakai rapat",
        actor=operator_blk_a,
        site_url="http://testserver/",
    )

    session.refresh_from_db()
    assert (session.date, session.starts_at, session.admitted_cap) == (dt.date(2020, 10, 6), dt.time(13), 15)
    messages = Message.objects.filter(kind="schedule_changed").order_by("recipient")
    assert [m.recipient for m in messages] == ["+6281200000000", "+6281200000001"]
    assert {m.resident_id for m in messages} == {p.resident_id for p in people}
    assert "http://testserver/pelatihan-berjalan/jadwal-saya/" in messages[0].body


def test_move_session_refuses_a_started_session(operator_blk_a):
    session = SessionFactory()
    started(session, operator_blk_a)

    with pytest.raises(TrainingError) as error:
        services.move_session(
            now=PLANNED_AT,
            session=session,
            date=dt.date(2020, 10, 6),
            starts_at=dt.time(8),
            ends_at=dt.time(12),
            modality="luring",
            room=session.room,
            actor=operator_blk_a,
        )

    assert error.value.template is TrainingError.NOT_SCHEDULED
    session.refresh_from_db()
    assert session.date == dt.date(2020, 10, 5)


def test_cancelling_a_session_to_come_tells_every_active_participant_and_is_audited(operator_blk_a):
    batch = delivery_batch()
    session = SessionFactory(batch=batch, date=timezone.localdate() + dt.timedelta(days=3))
    people = [participant(batch, phone=f"08120000000{i}") for i in range(2)]
    participant(batch, status=EnrollmentStatus.WITHDRAWN, phone="081299999999")

    services.cancel_session(
        session=session, reason="  Hari libur nasional ", actor=operator_blk_a, site_url="http://testserver/"
    )

    assert TrainingSession.objects.get(pk=session.pk).status == SessionStatus.CANCELLED
    messages = Message.objects.filter(kind="schedule_changed").order_by("recipient")
    assert [m.resident_id for m in messages] == [p.resident_id for p in people]
    assert f"pertemuan {session.number} pada " in messages[0].body
    assert "dibatalkan" in messages[0].body
    event = AuditEvent.objects.get(action="training.session_cancelled")
    assert event.detail["reason"] == "Hari libur nasional"


def test_cancelling_a_past_session_that_did_not_take_place_sends_nothing(operator_blk_a):
    batch = delivery_batch()
    session = SessionFactory(batch=batch)  # 5 October 2020
    participant(batch)

    services.cancel_session(session=session, reason="Tidak terlaksana", actor=operator_blk_a)

    assert TrainingSession.objects.get(pk=session.pk).status == SessionStatus.CANCELLED
    assert not Message.objects.filter(kind="schedule_changed").exists()


def test_a_cancelled_session_no_longer_keeps_the_class_from_closing(operator_blk_a):
    batch = programme_hours(delivery_batch(status=BatchStatus.RUNNING), 4)
    held = SessionFactory(batch=batch)
    pending = SessionFactory(batch=batch, date=dt.date(2020, 10, 6))
    started(held, operator_blk_a)
    services.end_session(session=held, actor=operator_blk_a, now=at(held, 250))
    with pytest.raises(TrainingError):
        services.close_batch(batch=batch, actor=operator_blk_a)

    services.cancel_session(session=pending, reason="Instruktur sakit", actor=operator_blk_a)
    services.close_batch(batch=batch, actor=operator_blk_a)

    assert Batch.objects.get(pk=batch.pk).status == BatchStatus.COMPLETED


@pytest.mark.parametrize("reason", ["", "   "])
def test_cancelling_needs_a_reason(operator_blk_a, reason):
    session = SessionFactory()

    with pytest.raises(TrainingError) as error:
        services.cancel_session(session=session, reason=reason, actor=operator_blk_a)

    assert error.value.template is TrainingError.CANCEL_REASON_REQUIRED
    assert TrainingSession.objects.get(pk=session.pk).status == SessionStatus.SCHEDULED


def test_a_session_that_took_place_cannot_be_cancelled(operator_blk_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    started_one = SessionFactory()
    started(started_one, operator_blk_a)
    with_sheet = SessionFactory()
    signed(with_sheet, operator_blk_a)
    services.upload_sheet(
        session=with_sheet,
        file=SimpleUploadedFile("hadir.pdf", b"%PDF-1.4", content_type="application/pdf"),
        actor=operator_blk_a,
        now=at(with_sheet, 250),
    )

    with pytest.raises(TrainingError) as not_scheduled:
        services.cancel_session(session=started_one, reason="Salah", actor=operator_blk_a)
    with pytest.raises(TrainingError) as has_sheet:
        services.cancel_session(session=with_sheet, reason="Salah", actor=operator_blk_a)

    assert not_scheduled.value.template is TrainingError.NOT_SCHEDULED
    assert has_sheet.value.template is TrainingError.HAS_ATTENDANCE
    assert TrainingSession.objects.get(pk=with_sheet.pk).status == SessionStatus.SCHEDULED


def test_only_who_manages_the_sessions_may_cancel_one(operator_blk_b, instructor):
    session = SessionFactory()
    session.batch.instructors.add(instructor)

    for actor in (operator_blk_b, instructor):
        with pytest.raises(TrainingError) as error:
            services.cancel_session(session=session, reason="Libur", actor=actor)
        assert error.value.template is TrainingError.NOT_ALLOWED
    assert TrainingSession.objects.get(pk=session.pk).status == SessionStatus.SCHEDULED


# -------------------------------------------------------------------------------------- checklist, start


def test_default_checklist_has_the_five_health_protocol_items():
    assert sorted(ChecklistItem.objects.filter(is_active=True).values_list("code", flat=True)) == sorted(
        ALL_ITEMS
    )


def test_sign_checklist_refuses_when_an_item_is_not_confirmed(operator_blk_a):
    session = SessionFactory()

    with pytest.raises(TrainingError) as error:
        services.sign_checklist(
            session=session, today=session.date, confirmed=ALL_ITEMS[:4], actor=operator_blk_a
        )

    assert error.value.template is TrainingError.CHECKLIST_INCOMPLETE
    assert not ChecklistSignOff.objects.exists()


def test_sign_checklist_keeps_a_snapshot_of_the_items_when_complete(operator_blk_a):
    session = SessionFactory()

    sign_off = services.sign_checklist(
        session=session, today=session.date, confirmed=ALL_ITEMS, actor=operator_blk_a
    )

    assert sorted(i["code"] for i in sign_off.items) == sorted(ALL_ITEMS)
    assert all(i["ok"] for i in sign_off.items)


def test_sign_checklist_is_refused_to_an_instructor(instructor):
    session = SessionFactory()
    session.batch.instructors.add(instructor)

    with pytest.raises(TrainingError) as error:
        services.sign_checklist(session=session, today=session.date, confirmed=ALL_ITEMS, actor=instructor)

    assert error.value.template is TrainingError.NOT_ALLOWED


def test_start_session_is_refused_when_the_checklist_is_not_signed(operator_blk_a):
    session = SessionFactory()

    with pytest.raises(TrainingError) as error:
        services.start_session(session=session, actor=operator_blk_a, now=at(session, 0))

    assert error.value.template is TrainingError.CHECKLIST_MISSING
    session.refresh_from_db()
    assert session.status == SessionStatus.SCHEDULED
    assert Batch.objects.get(pk=session.batch_id).status == BatchStatus.ALLOCATED


def test_start_session_starts_and_runs_the_batch_when_the_checklist_is_signed(operator_blk_a):
    session = SessionFactory()
    signed(session, operator_blk_a)

    services.start_session(session=session, actor=operator_blk_a, now=at(session, -15))

    session.refresh_from_db()
    assert session.status == SessionStatus.STARTED
    assert session.started_by == operator_blk_a
    assert Batch.objects.get(pk=session.batch_id).status == BatchStatus.RUNNING


@pytest.mark.parametrize("minutes", [-16, 240, 60 * 24])
def test_start_session_is_refused_outside_its_date_and_time(operator_blk_a, minutes):
    session = SessionFactory()
    signed(session, operator_blk_a)

    with pytest.raises(TrainingError) as error:
        services.start_session(session=session, actor=operator_blk_a, now=at(session, minutes))

    assert error.value.template is TrainingError.NOT_TODAY


def test_start_session_needs_no_checklist_when_daring(operator_blk_a):
    session = daring_session(hybrid_batch())

    services.start_session(session=session, actor=operator_blk_a, now=at(session, 0))

    assert TrainingSession.objects.get(pk=session.pk).status == SessionStatus.STARTED


# ---------------------------------------------------------------------------------------------- check-in


@pytest.fixture
def live(operator_blk_a):
    """A luring session (4 JP, 08.00–12.00) started by the operator, with one participant."""
    batch = delivery_batch()
    session = SessionFactory(batch=batch)
    started(session, operator_blk_a)
    enrollment = participant(batch)
    return session, enrollment


def test_check_in_with_the_current_qr_code_is_present_with_full_hours(live):
    session, enrollment = live
    now = at(session, 5)

    attendance = services.check_in(
        session=session, resident=enrollment.resident, code=services.rotating_code(session, now), now=now
    )

    assert (attendance.status, attendance.method, attendance.hours_credited) == (
        AttendanceStatus.PRESENT,
        AttendanceMethod.QR,
        Decimal("4"),
    )
    assert TrainingSession.objects.get(pk=session.pk).admitted == 1


def test_check_in_accepts_the_previous_window_code(live):
    session, enrollment = live
    now = at(session, 5)
    code = services.rotating_code(session, now - dt.timedelta(seconds=services.CODE_WINDOW_SECONDS))

    attendance = services.check_in(session=session, resident=enrollment.resident, code=code.lower(), now=now)

    assert attendance.status == AttendanceStatus.PRESENT


def test_check_in_refuses_a_code_two_windows_old(live):
    session, enrollment = live
    now = at(session, 5)
    code = services.rotating_code(session, now - dt.timedelta(seconds=2 * services.CODE_WINDOW_SECONDS + 1))

    with pytest.raises(TrainingError) as error:
        services.check_in(session=session, resident=enrollment.resident, code=code, now=now)

    assert (
        error.value.message
        == "Kode hadir salah atau sudah kedaluwarsa. Periksa kode yang sedang ditampilkan operator (di bawah kode QR) "
        "atau yang diberikan instruktur, lalu coba lagi."
    )
    assert not Attendance.objects.exists()


def test_check_in_after_fifteen_minutes_is_late_with_the_remaining_share_of_hours(live):
    session, enrollment = live
    now = at(session, 60)  # 3 of 4 hours remain

    attendance = services.check_in(
        session=session, resident=enrollment.resident, code=services.rotating_code(session, now), now=now
    )

    assert (attendance.status, attendance.hours_credited) == (AttendanceStatus.LATE, Decimal("3.0"))


@pytest.mark.parametrize("minutes", [-16, 240, 60 * 24 * 7])
def test_check_in_is_refused_outside_the_session_time(live, minutes):
    session, enrollment = live
    now = at(session, minutes)

    with pytest.raises(TrainingError) as error:
        services.check_in(
            session=session, resident=enrollment.resident, code=services.rotating_code(session, now), now=now
        )

    assert error.value.template is TrainingError.OUTSIDE_SESSION_TIME
    assert not Attendance.objects.exists()


def test_check_in_is_refused_for_a_session_not_started(operator_blk_a):
    batch = delivery_batch()
    session = SessionFactory(batch=batch, number=7)
    enrollment = participant(batch)
    now = at(session, 5)

    with pytest.raises(TrainingError) as error:
        services.check_in(
            session=session, resident=enrollment.resident, code=services.rotating_code(session, now), now=now
        )

    assert error.value.template is TrainingError.NOT_STARTED


def test_check_in_is_refused_to_a_non_participant(live):
    session, _enrollment = live
    outsider = participant(delivery_batch())
    now = at(session, 5)

    with pytest.raises(TrainingError) as error:
        services.check_in(
            session=session, resident=outsider.resident, code=services.rotating_code(session, now), now=now
        )

    assert error.value.template is TrainingError.NOT_PARTICIPANT


def test_check_in_twice_is_refused_and_takes_one_place(live):
    session, enrollment = live
    now = at(session, 5)
    code = services.rotating_code(session, now)
    services.check_in(session=session, resident=enrollment.resident, code=code, now=now)

    with pytest.raises(TrainingError) as error:
        services.check_in(session=session, resident=enrollment.resident, code=code, now=now)

    assert error.value.template is TrainingError.ALREADY_RECORDED
    assert TrainingSession.objects.get(pk=session.pk).admitted == 1


def test_check_in_is_refused_when_the_room_has_reached_its_health_protocol_cap(operator_blk_a):
    batch = delivery_batch()
    session = SessionFactory(batch=batch, admitted_cap=2)
    started(session, operator_blk_a)
    people = [participant(batch) for _ in range(3)]
    now = at(session, 5)
    code = services.rotating_code(session, now)
    for person in people[:2]:
        services.check_in(session=session, resident=person.resident, code=code, now=now)

    with pytest.raises(TrainingError) as error:
        services.check_in(session=session, resident=people[2].resident, code=code, now=now)

    assert error.value.message == (
        "Ruang sudah mencapai batas protokol kesehatan (2 orang). Hubungi operator BLK untuk mengikuti secara daring."
    )
    assert TrainingSession.objects.get(pk=session.pk).admitted == 2
    assert Attendance.objects.filter(session=session).count() == 2


def test_check_in_with_the_join_code_when_daring(operator_blk_a):
    batch = hybrid_batch()
    session = daring_session(batch)
    services.start_session(session=session, actor=operator_blk_a, now=at(session, 0))
    enrollment = participant(batch)

    attendance = services.check_in(
        session=session, resident=enrollment.resident, code=" kode42 ", now=at(session, 1)
    )

    assert (attendance.method, attendance.status) == (AttendanceMethod.JOIN_CODE, AttendanceStatus.PRESENT)
    assert TrainingSession.objects.get(pk=session.pk).admitted == 0


def test_the_join_code_is_not_accepted_for_a_luring_session(live):
    session, enrollment = live
    TrainingSession.objects.filter(pk=session.pk).update(join_code="KODE42")
    session.refresh_from_db()

    with pytest.raises(TrainingError) as error:
        services.check_in(session=session, resident=enrollment.resident, code="KODE42", now=at(session, 1))

    assert error.value.template is TrainingError.WRONG_CODE


# ------------------------------------------------------------------------------------ marking, corrections


def test_an_operator_cannot_mark_attendance_in_another_centre(live, operator_blk_b):
    session, enrollment = live

    with pytest.raises(TrainingError) as error:
        services.mark_attendance(
            session=session, enrollment=enrollment, status="present", actor=operator_blk_b, now=at(session, 5)
        )

    assert error.value.template is TrainingError.NOT_ALLOWED
    assert not Attendance.objects.exists()


def test_marking_a_future_session_is_refused(operator_blk_a):
    batch = delivery_batch()
    session = SessionFactory(batch=batch)
    enrollment = participant(batch)

    with pytest.raises(TrainingError) as error:
        services.mark_attendance(
            session=session,
            enrollment=enrollment,
            status="present",
            actor=operator_blk_a,
            now=at(session, -60),
        )

    assert error.value.template is TrainingError.FUTURE_SESSION
    assert not Attendance.objects.exists()


def test_an_instructor_of_the_batch_marks_excused_with_no_hours(live, instructor):
    session, enrollment = live
    session.batch.instructors.add(instructor)

    attendance = services.mark_attendance(
        session=session, enrollment=enrollment, status="excused", actor=instructor, now=at(session, 30)
    )

    assert (attendance.status, attendance.method, attendance.hours_credited, attendance.recorded_by) == (
        AttendanceStatus.EXCUSED,
        AttendanceMethod.MARKED,
        Decimal("0"),
        instructor,
    )
    assert TrainingSession.objects.get(pk=session.pk).admitted == 0


def test_correcting_attendance_needs_a_reason_and_changes_nothing_without_one(live, operator_blk_a):
    session, enrollment = live
    now = at(session, 5)
    services.check_in(
        session=session, resident=enrollment.resident, code=services.rotating_code(session, now), now=now
    )

    with pytest.raises(TrainingError) as error:
        services.mark_attendance(
            session=session,
            enrollment=enrollment,
            status="absent",
            reason="  ",
            actor=operator_blk_a,
            now=now,
        )

    assert error.value.template is TrainingError.REASON_REQUIRED
    assert Attendance.objects.get().status == AttendanceStatus.PRESENT
    assert not AttendanceCorrection.objects.exists()


def test_correcting_attendance_logs_who_and_why_and_frees_the_room_place(live, operator_blk_a):
    session, enrollment = live
    now = at(session, 5)
    services.check_in(
        session=session, resident=enrollment.resident, code=services.rotating_code(session, now), now=now
    )

    services.mark_attendance(
        session=session,
        enrollment=enrollment,
        status="absent",
        reason="Memindai lalu pulang",
        actor=operator_blk_a,
        now=at(session, 30),
    )

    correction = AttendanceCorrection.objects.get()
    assert (correction.from_status, correction.to_status, correction.from_hours, correction.to_hours) == (
        "present",
        "absent",
        Decimal("4.0"),
        Decimal("0.0"),
    )
    assert (correction.changed_by, correction.reason) == (operator_blk_a, "Memindai lalu pulang")
    assert Attendance.objects.get().hours_credited == Decimal("0")
    assert TrainingSession.objects.get(pk=session.pk).admitted == 0


def test_marking_present_after_the_session_earns_full_hours(live, operator_blk_a):
    session, enrollment = live
    services.end_session(session=session, actor=operator_blk_a, now=at(session, 240))
    session.refresh_from_db()

    attendance = services.mark_attendance(
        session=session, enrollment=enrollment, status="late", actor=operator_blk_a, now=at(session, 300)
    )

    assert attendance.hours_credited == Decimal("4")


def test_a_session_ended_early_needs_a_reason_and_counts_only_the_jp_that_took_place(live, operator_blk_a):
    """The set-up review ended 8-JP sessions minutes after starting them: 40 JP held in eight minutes."""
    session, enrollment = live  # 08.00-12.00, 4 JP
    _attend(session, enrollment, "4")

    with pytest.raises(TrainingError) as no_reason:
        services.end_session(session=session, actor=operator_blk_a, now=at(session, 100))
    ended = services.end_session(
        session=session, actor=operator_blk_a, reason="Listrik padam", now=at(session, 100)
    )

    assert no_reason.value.template is TrainingError.EARLY_END_REASON
    assert ended.status == SessionStatus.HELD
    assert ended.hours == Decimal("2")  # 100 minutes: two whole JP of 45, not 4
    assert Attendance.objects.get(session=session).hours_credited == Decimal("2")
    event = AuditEvent.objects.get(action="training.session_ended_early")
    assert event.detail == {"reason": "Listrik padam", "hours_from": "4.0", "hours_to": "2"}


def test_a_session_ended_at_its_time_keeps_its_jp_without_a_reason(live, operator_blk_a):
    session, _enrollment = live  # 08.00-12.00, 4 JP

    ended = services.end_session(session=session, actor=operator_blk_a, now=at(session, 225))  # 11.45

    assert (ended.status, ended.hours) == (SessionStatus.HELD, Decimal("4"))


def test_a_session_cannot_be_ended_before_half_a_jp_took_place(live, operator_blk_a):
    session, _enrollment = live

    with pytest.raises(TrainingError) as error:
        services.end_session(session=session, actor=operator_blk_a, reason="Salah tekan", now=at(session, 10))

    assert error.value.template is TrainingError.EARLY_END_NOTHING_HELD
    session.refresh_from_db()
    assert session.status == SessionStatus.STARTED


def test_a_paper_sheet_session_ended_early_needs_a_reason_too(operator_blk_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    session = SessionFactory(batch=delivery_batch())
    signed(session, operator_blk_a)
    services.upload_sheet(
        session=session,
        file=SimpleUploadedFile("hadir.pdf", b"%PDF-1.4", content_type="application/pdf"),
        actor=operator_blk_a,
        now=at(session, 30),
    )

    with pytest.raises(TrainingError) as early:
        services.end_session(session=session, actor=operator_blk_a, now=at(session, 60))

    assert early.value.template is TrainingError.EARLY_END_REASON


def test_ending_a_scheduled_session_without_a_sheet_says_why_not_when(operator_blk_a):
    """Not 'wait until 11.45' for a session that will never end that way (diff review)."""
    session = SessionFactory(batch=delivery_batch())

    with pytest.raises(TrainingError) as error:
        services.end_session(session=session, actor=operator_blk_a, now=at(session, 30))

    assert error.value.template is TrainingError.CANNOT_END


@pytest.mark.parametrize(
    ("starts", "ends", "hours", "message"),
    [
        (
            dt.time(10, 17),
            dt.time(10, 19),
            "8",
            "8 JP perlu paling sedikit 360 menit (1 JP = 45 menit), padahal sesi 10.17–10.19 hanya 2 menit. "
            "Perpanjang jamnya atau kurangi JP.",
        ),
        (
            dt.time(8),
            dt.time(9),
            "1,5",
            "1,5 JP perlu paling sedikit 68 menit (1 JP = 45 menit), padahal sesi 08.00–09.00 hanya 60 menit. "
            "Perpanjang jamnya atau kurangi JP.",
        ),
    ],
)
def test_a_session_is_not_scheduled_shorter_than_its_lesson_hours(
    operator_blk_a, starts, ends, hours, message
):
    batch = delivery_batch()

    with pytest.raises(TrainingError) as refused:
        services.schedule_sessions(
            now=PLANNED_AT,
            batch=batch,
            dates=[dt.date(2020, 10, 5)],
            starts_at=starts,
            ends_at=ends,
            hours=Decimal(hours.replace(",", ".")),
            modality="luring",
            room=room(batch.center, capacity=60),
            actor=operator_blk_a,
        )

    assert refused.value.message == message
    assert not TrainingSession.objects.filter(batch=batch).exists()


def test_a_room_is_booked_for_the_offers_not_yet_answered_too(operator_blk_a):
    """The review booked a 20-place room for a class of 23 offers: nobody had accepted yet."""
    batch = delivery_batch()
    small = room(batch.center, name="Ruang kecil", capacity=5)  # 2 places at 50%
    participant(batch)
    for _ in range(2):
        participant(batch, status=EnrollmentStatus.OFFERED)

    with pytest.raises(TrainingError) as error:
        schedule_monday_morning(batch, operator_blk_a, room=small)

    assert error.value.params["participants"] == 3


def test_a_session_after_the_class_end_moves_the_end_but_not_past_the_period(operator_blk_a):
    """The catalogue kept a class's planned end while its sessions ran later; a slip is normal (a holiday, a
    replacement session), running past the period is not."""
    batch = delivery_batch()
    planned_end = batch.ends_on
    later = planned_end + dt.timedelta(days=4)
    beyond = batch.period.ends_on + dt.timedelta(days=1)
    session = SessionFactory(batch=batch, date=batch.starts_on)
    place = {"modality": "luring", "room": session.room, "actor": operator_blk_a, "now": PLANNED_AT}
    times = {"starts_at": dt.time(8), "ends_at": dt.time(12)}

    with pytest.raises(TrainingError) as refused:
        services.move_session(session=session, date=beyond, **times, **place)
    services.schedule_sessions(batch=batch, dates=[later], hours=Decimal("4"), **times, **place)

    assert refused.value.template is TrainingError.AFTER_PERIOD_END
    assert date_format(beyond, "j F Y") in refused.value.message
    batch.refresh_from_db()
    assert batch.ends_on == later
    assert AuditEvent.objects.get(action="batch.end_moved").detail == {
        "from": planned_end.isoformat(),
        "to": later.isoformat(),
    }


def test_a_session_scheduled_before_jp_had_to_fit_still_moves_to_a_slot_as_long(operator_blk_a):
    """An 8-JP session of four hours, from before the rule: the move keeps its JP, and its length (diff review)."""
    session = SessionFactory(batch=delivery_batch(), date=dt.date(2020, 10, 5), hours=Decimal("8"))

    moved = services.move_session(
        now=PLANNED_AT,
        session=session,
        date=dt.date(2020, 10, 6),
        starts_at=dt.time(13),
        ends_at=dt.time(17),
        modality="luring",
        room=session.room,
        actor=operator_blk_a,
    )

    assert (moved.date, moved.starts_at, moved.hours) == (dt.date(2020, 10, 6), dt.time(13), Decimal("8"))


def test_a_session_is_not_moved_to_a_slot_shorter_than_its_lesson_hours(operator_blk_a):
    session = SessionFactory(batch=delivery_batch(), date=dt.date(2020, 10, 5))  # 08.00-12.00, 4 JP

    with pytest.raises(TrainingError) as refused:
        services.move_session(
            now=PLANNED_AT,
            session=session,
            date=dt.date(2020, 10, 6),
            starts_at=dt.time(8),
            ends_at=dt.time(10),
            modality="luring",
            room=session.room,
            actor=operator_blk_a,
        )

    assert refused.value.template is TrainingError.HOURS_LONGER_THAN_SESSION
    session.refresh_from_db()
    assert (session.date, session.ends_at) == (dt.date(2020, 10, 5), dt.time(12))


# ---------------------------------------------------------------------------------------- completion


@pytest.mark.parametrize(
    ("attended", "percent", "requires", "passed", "expected"),
    [
        ("8.0", 80, True, True, True),  # exactly at the edge
        ("7.9", 80, True, True, False),  # just below
        ("10", 80, True, False, False),  # failed the assessment
        ("10", 80, True, None, False),  # not assessed
        ("8.0", 80, False, None, True),  # no assessment required
        ("0", 0, False, None, True),
        ("10", 100, True, True, True),
        ("9.9", 100, True, True, False),
    ],
)
def test_is_completed_at_the_threshold_edges(attended, percent, requires, passed, expected):
    assert (
        services.is_completed(
            hours_attended=Decimal(attended),
            hours_total=Decimal("10"),
            percent=percent,
            requires_assessment=requires,
            passed=passed,
        )
        is expected
    )


@pytest.fixture
def finished(operator_blk_a):
    """A running batch with two held sessions (6 + 4 = 10 JP), its whole programme."""
    batch = programme_hours(delivery_batch(status=BatchStatus.RUNNING), 10)
    first = SessionFactory(batch=batch, number=1, hours=Decimal("6"), status=SessionStatus.HELD)
    second = SessionFactory(
        batch=batch, number=2, date=dt.date(2020, 10, 6), hours=Decimal("4"), status=SessionStatus.HELD
    )
    return batch, first, second


def _attend(session, enrollment, hours, status="present"):
    return Attendance.objects.create(
        session=session, enrollment=enrollment, status=status, method="marked", hours_credited=Decimal(hours)
    )


def test_close_batch_decides_outcomes_at_the_edges_and_completes_the_batch(finished, operator_blk_a):
    batch, first, second = finished
    edge = participant(batch, full_name="Tepat 80")
    below = participant(batch, full_name="Kurang")
    failed = participant(batch, full_name="Gagal uji")
    _attend(first, edge, "6")
    _attend(second, edge, "2.0", status="late")  # 8.0 of 10
    _attend(first, below, "6")
    _attend(second, below, "1.9", status="late")  # 7.9 of 10
    _attend(first, failed, "6")
    _attend(second, failed, "4")
    from latihkerja.training.models import Assessment

    for enrollment, passed in ((edge, True), (below, True), (failed, False)):
        Assessment.objects.create(enrollment=enrollment, passed=passed, assessed_by=operator_blk_a)

    services.close_batch(batch=batch, actor=operator_blk_a)

    outcomes = {
        o.enrollment.resident.full_name: (o.status, o.hours_attended, o.hours_total)
        for o in Outcome.objects.all()
    }
    assert outcomes == {
        "Tepat 80": (OutcomeStatus.COMPLETED, Decimal("8.0"), Decimal("10.0")),
        "Kurang": (OutcomeStatus.NOT_COMPLETED, Decimal("7.9"), Decimal("10.0")),
        "Gagal uji": (OutcomeStatus.NOT_COMPLETED, Decimal("10.0"), Decimal("10.0")),
    }
    assert Batch.objects.get(pk=batch.pk).status == BatchStatus.COMPLETED
    # Only the graduate gets a certificate, issued with the closing (its PDF comes from the worker).
    from latihkerja.certificates.models import Certificate

    assert list(Certificate.objects.values_list("holder_name", flat=True)) == ["Tepat 80"]


def test_close_batch_marks_a_participant_who_withdrew_after_the_start_as_dropped_out(
    finished, operator_blk_a
):
    batch, first, _second = finished
    leaver = participant(batch, full_name="Keluar")
    _attend(first, leaver, "6")
    withdraw_seat(enrollment=leaver, actor=operator_blk_a)
    no_show_before = participant(batch, status=EnrollmentStatus.DECLINED, full_name="Menolak")

    services.close_batch(batch=batch, actor=operator_blk_a)

    assert Outcome.objects.get(enrollment=leaver).status == OutcomeStatus.DROPPED_OUT
    assert not Outcome.objects.filter(enrollment=no_show_before).exists()


@pytest.mark.parametrize(("withdrew_at", "dropped_out"), [(dt.time(7, 30), False), (dt.time(8, 30), True)])
def test_withdrawing_on_the_first_days_morning_before_the_class_began_is_not_dropping_out(
    finished, operator_blk_a, withdrew_at, dropped_out
):
    """The first held session started at 08.00 on 5 October; the day alone does not decide."""
    from latihkerja.audit.models import AuditEvent

    batch, first, _second = finished
    leaver = participant(batch, full_name="Mundur")
    withdraw_seat(enrollment=leaver, actor=operator_blk_a)
    AuditEvent.objects.filter(action="enrollment.withdrawn").update(
        at=dt.datetime.combine(first.date, withdrew_at, tzinfo=PLANNED_AT.tzinfo)
    )

    services.close_batch(batch=batch, actor=operator_blk_a)

    assert Outcome.objects.filter(enrollment=leaver, status=OutcomeStatus.DROPPED_OUT).exists() is dropped_out


def test_closing_lets_the_offers_nobody_answered_lapse(finished, operator_blk_a):
    """Nobody can join a closed class: an offer still open would let someone accept a seat in it afterwards."""
    batch, first, second = finished
    graduate = participant(batch, full_name="Lulus")
    _attend(first, graduate, "6")
    _attend(second, graduate, "4")
    unanswered = participant(batch, full_name="Belum menjawab")
    Enrollment.objects.filter(pk=unanswered.pk).update(
        status=EnrollmentStatus.OFFERED, respond_by=dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
    )

    services.close_batch(batch=batch, actor=operator_blk_a)

    assert Enrollment.objects.get(pk=unanswered.pk).status == EnrollmentStatus.EXPIRED
    assert Batch.objects.get(pk=batch.pk).seats_taken == 1
    from latihkerja.audit.models import AuditEvent

    assert AuditEvent.objects.get(action="training.batch_closed").detail["offers_lapsed"] == [unanswered.pk]
    assert not Outcome.objects.filter(enrollment=unanswered).exists()


def test_close_batch_is_refused_while_a_session_is_still_scheduled(finished, operator_blk_a):
    batch, _first, _second = finished
    SessionFactory(batch=batch, number=3, date=dt.date(2020, 10, 7))

    with pytest.raises(TrainingError) as error:
        services.close_batch(batch=batch, actor=operator_blk_a)

    assert error.value.params == {"count": 1}
    assert Batch.objects.get(pk=batch.pk).status == BatchStatus.RUNNING
    assert not Outcome.objects.exists()


def test_close_batch_is_refused_to_the_operator_of_another_centre(finished, operator_blk_b):
    batch, _first, _second = finished

    with pytest.raises(TrainingError) as error:
        services.close_batch(batch=batch, actor=operator_blk_b)

    assert error.value.template is TrainingError.NOT_ALLOWED


# ------------------------------------------------------------------------------------- supervision, sheets


def test_supervision_visit_is_recorded_by_the_supervising_opd_only(opd_supervisor, other_opd_supervisor):
    batch = delivery_batch()  # BARISTA is supervised by DISNAKER

    visit = services.record_supervision_visit(
        batch=batch, visited_on=dt.date(2020, 10, 5), rating=4, notes="Rapi", actor=opd_supervisor
    )
    with pytest.raises(TrainingError) as error:
        services.record_supervision_visit(
            batch=batch, visited_on=dt.date(2020, 10, 5), rating=4, notes="Rapi", actor=other_opd_supervisor
        )

    assert (visit.rating, visit.supervisor) == (4, opd_supervisor)
    assert error.value.template is TrainingError.NOT_ALLOWED
    assert AuditEvent.objects.filter(action="training.supervision_visit").count() == 1


def test_the_same_visit_recorded_twice_is_kept_once(opd_supervisor):
    batch = delivery_batch()
    visit = {
        "batch": batch,
        "visited_on": dt.date(2020, 10, 5),
        "rating": 4,
        "notes": "Rapi",
        "actor": opd_supervisor,
    }

    services.record_supervision_visit(**visit)
    with pytest.raises(TrainingError) as error:
        services.record_supervision_visit(**visit)
    services.record_supervision_visit(**(visit | {"notes": "Kunjungan kedua, sore hari"}))

    assert error.value.template is TrainingError.VISIT_DUPLICATE
    assert AuditEvent.objects.filter(action="training.supervision_visit").count() == 2


def test_a_paper_sheet_lets_a_past_session_without_network_be_recorded_as_held(operator_blk_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    batch = delivery_batch()
    session = SessionFactory(batch=batch)
    signed(session, operator_blk_a)
    services.upload_sheet(
        session=session,
        file=SimpleUploadedFile("hadir.pdf", b"%PDF-1.4", content_type="application/pdf"),
        actor=operator_blk_a,
        now=at(session, 250),
    )

    services.end_session(session=session, actor=operator_blk_a, now=at(session, 260))

    assert TrainingSession.objects.get(pk=session.pk).status == SessionStatus.HELD
    assert Batch.objects.get(pk=batch.pk).status == BatchStatus.RUNNING


def test_a_class_cannot_close_short_of_its_programme_hours_even_after_cancelling_sessions(
    finished, operator_blk_a
):
    batch, _first, _second = finished
    programme_hours(batch, 40)
    cancelled = SessionFactory(batch=batch, number=3, date=dt.date(2020, 10, 7))
    services.cancel_session(session=cancelled, reason="Instruktur sakit", actor=operator_blk_a)

    with pytest.raises(TrainingError) as error:
        services.close_batch(batch=batch, actor=operator_blk_a)

    assert error.value.template is TrainingError.HOURS_SHORT
    assert "baru 10 dari 40 JP" in error.value.message
    assert Batch.objects.get(pk=batch.pk).status == BatchStatus.RUNNING
    assert not Outcome.objects.exists()


def test_a_schedule_sms_is_wholly_in_the_participants_language_whoever_cancels(operator_blk_a):
    from django.utils import translation

    batch = delivery_batch(theme=Theme.objects.get(code="FOTOGRAFI"))
    session = SessionFactory(batch=batch, date=timezone.localdate() + dt.timedelta(days=3))
    participant(batch)  # Indonesian

    with translation.override("en"):  # the operator works in English
        services.cancel_session(session=session, reason="Holiday", actor=operator_blk_a)

    body = Message.objects.get(kind="schedule_changed").body
    assert "Fotografi" in body
    assert "Photography" not in body


# ------------------------------------------------------------------------ when sessions and records happen


def test_a_session_cannot_be_scheduled_or_moved_to_a_start_already_past_today(operator_blk_a):
    batch = hybrid_batch()
    session = daring_session(batch, date=dt.date(2020, 10, 6))
    participant(batch)
    noon = dt.datetime(2020, 10, 5, 12, 30, tzinfo=PLANNED_AT.tzinfo)
    online = {"modality": "daring", "meeting_url": "https://meet.example.org/x", "actor": operator_blk_a}

    with pytest.raises(TrainingError) as scheduled:
        services.schedule_sessions(
            batch=batch,
            dates=[noon.date()],
            starts_at=dt.time(11),
            ends_at=dt.time(13),
            hours=Decimal("2"),
            now=noon,
            **online,
        )
    with pytest.raises(TrainingError) as moved:
        services.move_session(
            session=session, date=noon.date(), starts_at=dt.time(8), ends_at=dt.time(12), now=noon, **online
        )
    later_today = services.schedule_sessions(
        batch=batch,
        dates=[noon.date()],
        starts_at=dt.time(13),
        ends_at=dt.time(15),
        hours=Decimal("2"),
        now=noon,
        **online,
    )

    assert scheduled.value.template is TrainingError.START_PASSED
    assert (
        scheduled.value.message
        == "Sesi 5 Oktober 2020 pukul 11.00 sudah lewat: jadwalkan sesi yang akan datang."
    )
    assert moved.value.template is TrainingError.START_PASSED
    assert TrainingSession.objects.get(pk=session.pk).date == dt.date(2020, 10, 6)
    assert [s.starts_at for s in later_today] == [dt.time(13)]
    assert Message.objects.filter(kind="schedule_changed").count() == 1  # nobody was told of the refused ones


def test_a_session_more_than_a_year_ahead_is_refused_as_a_typo(operator_blk_a):
    batch = hybrid_batch()

    with pytest.raises(TrainingError) as error:
        services.schedule_sessions(
            batch=batch,
            dates=[dt.date(2020, 10, 5), dt.date(9999, 12, 1)],
            starts_at=dt.time(8),
            ends_at=dt.time(10),
            hours=Decimal("2"),
            modality="daring",
            meeting_url="https://meet.example.org/x",
            actor=operator_blk_a,
            now=PLANNED_AT,
        )

    assert error.value.template is TrainingError.TOO_FAR_AHEAD
    assert "1 Desember 9999" in error.value.message
    assert not TrainingSession.objects.filter(batch=batch).exists()


def test_moving_an_online_session_on_site_drops_its_meeting_link_and_code(operator_blk_a):
    batch = hybrid_batch()
    session = daring_session(batch, date=dt.date(2020, 10, 6), join_code="ABC123")
    hall = room(batch.center, name="Aula", capacity=45)

    services.move_session(
        session=session,
        date=session.date,
        starts_at=dt.time(8),
        ends_at=dt.time(12),
        modality="luring",
        room=hall,
        meeting_url=session.meeting_url,  # the form still holds it
        actor=operator_blk_a,
        now=PLANNED_AT,
    )

    session.refresh_from_db()
    assert (session.modality, session.room, session.meeting_url, session.join_code) == (
        "luring",
        hall,
        "",
        "",
    )


def test_the_checklist_is_signed_on_the_sessions_day_and_not_afterwards(operator_blk_a):
    session = SessionFactory(batch=delivery_batch())  # 5 October 2020

    with pytest.raises(TrainingError) as late:
        services.sign_checklist(
            session=session, today=dt.date(2020, 10, 6), confirmed=ALL_ITEMS, actor=operator_blk_a
        )
    with pytest.raises(TrainingError) as early:
        services.sign_checklist(
            session=session, today=dt.date(2020, 10, 4), confirmed=ALL_ITEMS, actor=operator_blk_a
        )

    assert late.value.template is TrainingError.CHECKLIST_TOO_LATE
    assert early.value.template is TrainingError.CHECKLIST_TOO_EARLY
    assert not ChecklistSignOff.objects.exists()


def test_a_session_recorded_from_its_paper_sheet_takes_room_places_without_being_started(operator_blk_a):
    session = SessionFactory(batch=delivery_batch())
    people = [participant(session.batch, phone=f"08120000000{i}") for i in range(2)]

    for enrollment in people:
        services.mark_attendance(
            session=session,
            enrollment=enrollment,
            status="present",
            actor=operator_blk_a,
            now=at(session, 600),
        )

    session.refresh_from_db()
    assert session.status == SessionStatus.SCHEDULED
    assert session.admitted == 2
    assert Attendance.objects.filter(status="present").count() == 2


def test_attendance_of_a_closed_class_cannot_change(operator_blk_a):
    batch = delivery_batch(status=BatchStatus.COMPLETED)
    session = SessionFactory(batch=batch, status=SessionStatus.HELD)
    enrollment = participant(batch)
    Attendance.objects.create(
        session=session,
        enrollment=enrollment,
        status="present",
        method="marked",
        hours_credited=4,
        recorded_by=operator_blk_a,
    )

    with pytest.raises(TrainingError) as error:
        services.mark_attendance(
            session=session,
            enrollment=enrollment,
            status="absent",
            reason="salah catat",
            actor=operator_blk_a,
            now=at(session, 600),
        )

    assert error.value.template is TrainingError.BATCH_CLOSED
    assert Attendance.objects.get().status == "present"
    assert not AttendanceCorrection.objects.exists()
