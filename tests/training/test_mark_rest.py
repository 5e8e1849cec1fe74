"""The rest of the roll at once: everyone not yet recorded gets one status (present from the paper list, or
absent once the session is over); records already there stay as they are."""

from __future__ import annotations

import pytest
from django.urls import reverse

from latihkerja.audit.models import AuditEvent
from latihkerja.batches.models import EnrollmentStatus
from latihkerja.training import services
from latihkerja.training.enums import AttendanceMethod, AttendanceStatus
from latihkerja.training.errors import TrainingError
from latihkerja.training.models import Attendance, TrainingSession
from tests.factories.training import (
    SessionFactory,
    at,
    delivery_batch,
    participant,
    session_now,
    signed,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def started(operator_blk_a):
    """A luring session happening now at centre A, started, with four active participants and one who left."""
    batch = delivery_batch()
    session = session_now(batch)
    signed(session, operator_blk_a)
    services.start_session(session=session, actor=operator_blk_a)
    session.refresh_from_db()
    people = [participant(batch) for _ in range(4)]
    participant(batch, status=EnrollmentStatus.WITHDRAWN)
    return session, people


def statuses(session):
    return dict(Attendance.objects.filter(session=session).values_list("enrollment_id", "status"))


def test_the_rest_of_the_roll_is_recorded_at_once_and_earlier_records_stay(login, started, operator_blk_a):
    session, people = started
    services.check_in(session=session, resident=people[0].resident, code=services.rotating_code(session))
    services.mark_attendance(session=session, enrollment=people[1], status="excused", actor=operator_blk_a)
    client = login(operator_blk_a)
    page = client.get(reverse("training:session", args=[session.pk])).content.decode()
    assert "Catat sekaligus 2 peserta yang belum tercatat sebagai" in page

    response = client.post(
        reverse("training:mark-rest", args=[session.pk]), {"status": "present"}, follow=True
    )

    assert statuses(session) == {
        people[0].pk: AttendanceStatus.PRESENT,
        people[1].pk: AttendanceStatus.EXCUSED,
        people[2].pk: AttendanceStatus.PRESENT,
        people[3].pk: AttendanceStatus.PRESENT,
    }
    assert Attendance.objects.get(enrollment=people[0]).method == AttendanceMethod.QR  # the check-in stays
    assert Attendance.objects.get(enrollment=people[2]).method == AttendanceMethod.MARKED
    assert TrainingSession.objects.get(pk=session.pk).admitted == 3
    assert AuditEvent.objects.filter(action="training.attendance_marked").count() == 3  # 1 excused + 2 now
    assert "2 peserta dicatat: Hadir." in [str(m) for m in response.context["messages"]]
    assert 'id="mark-rest"' not in response.content.decode()  # nobody is left to record


def test_all_or_nothing_when_the_room_cannot_hold_the_rest(started, operator_blk_a):
    session, _people = started
    TrainingSession.objects.filter(pk=session.pk).update(admitted_cap=3)
    session.refresh_from_db()

    with pytest.raises(TrainingError) as error:
        services.mark_unrecorded(session=session, status="present", actor=operator_blk_a)

    assert error.value.template is TrainingError.ROOM_FULL
    assert statuses(session) == {}
    assert TrainingSession.objects.get(pk=session.pk).admitted == 0

    assert services.mark_unrecorded(session=session, status="absent", actor=operator_blk_a) == 4
    assert set(statuses(session).values()) == {AttendanceStatus.ABSENT}


def test_nobody_is_recorded_before_the_session_or_by_an_operator_of_another_centre(
    login, operator_blk_a, operator_blk_b
):
    batch = delivery_batch()
    session = SessionFactory(batch=batch)  # 5 October 2020, 08:00
    participant(batch)

    with pytest.raises(TrainingError) as error:
        services.mark_unrecorded(session=session, status="absent", actor=operator_blk_a, now=at(session, -60))
    assert error.value.template is TrainingError.FUTURE_SESSION

    response = login(operator_blk_b).post(
        reverse("training:mark-rest", args=[session.pk]), {"status": "absent"}
    )
    assert response.status_code == 404
    assert not Attendance.objects.exists()


def test_an_unknown_status_changes_nothing_and_says_why(login, started, operator_blk_a):
    session, _people = started

    response = login(operator_blk_a).post(
        reverse("training:mark-rest", args=[session.pk]), {"status": "hadir-banget"}, follow=True
    )

    assert "Pilih status kehadiran dari daftar." in [str(m) for m in response.context["messages"]]
    assert not Attendance.objects.exists()


def test_when_everyone_is_recorded_nothing_changes(login, started, operator_blk_a):
    session, _people = started
    services.mark_unrecorded(session=session, status="absent", actor=operator_blk_a)

    response = login(operator_blk_a).post(
        reverse("training:mark-rest", args=[session.pk]), {"status": "present"}, follow=True
    )

    assert "Semua peserta sudah tercatat; tidak ada yang diubah." in [
        str(m) for m in response.context["messages"]
    ]
    assert set(statuses(session).values()) == {AttendanceStatus.ABSENT}
