"""Check-ins racing for the last places of a room: the health-protocol cap holds under real concurrency."""

import pytest

from latihkerja.training.errors import TrainingError
from latihkerja.training.models import Attendance, TrainingSession
from latihkerja.training.services import check_in, mark_attendance, rotating_code
from tests.concurrency.conftest import run_in_parallel
from tests.factories.training import SessionFactory, at, delivery_batch, participant, signed

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

CAP = 5


@pytest.fixture
def crowded(reference_data, operator_blk_a):
    """A started luring session whose room admits 5 (after scheduling, more people were seated: 25)."""
    from latihkerja.training.services import start_session

    batch = delivery_batch()
    session = SessionFactory(batch=batch, admitted_cap=CAP)
    signed(session, operator_blk_a)
    start_session(session=session, actor=operator_blk_a, now=at(session, -5))
    people = [participant(batch) for _ in range(25)]
    return session, people


def test_twenty_five_participants_checking_in_at_once_fill_exactly_the_cap(crowded):
    session, people = crowded
    now = at(session, 1)
    code = rotating_code(session, now)

    outcomes = run_in_parallel(
        [lambda p=p: check_in(session=session, resident=p.resident, code=code, now=now) for p in people],
        workers=20,
    )

    admitted = [o for o in outcomes if isinstance(o, Attendance)]
    refused = [o for o in outcomes if not isinstance(o, Attendance)]
    assert len(admitted) == CAP
    assert {type(o) for o in refused} == {TrainingError}
    assert {o.template for o in refused} == {TrainingError.ROOM_FULL}
    assert TrainingSession.objects.get(pk=session.pk).admitted == CAP
    assert Attendance.objects.filter(session=session).count() == CAP


def test_one_participant_checking_in_twenty_times_at_once_takes_one_place(crowded):
    session, people = crowded
    person = people[0]
    now = at(session, 1)
    code = rotating_code(session, now)

    outcomes = run_in_parallel(
        [lambda: check_in(session=session, resident=person.resident, code=code, now=now)] * 20, workers=20
    )

    assert sum(isinstance(o, Attendance) for o in outcomes) == 1
    assert {o.template for o in outcomes if isinstance(o, TrainingError)} == {TrainingError.ALREADY_RECORDED}
    assert TrainingSession.objects.get(pk=session.pk).admitted == 1


def test_check_ins_and_operator_marks_racing_never_exceed_the_cap(crowded, operator_blk_a):
    session, people = crowded
    now = at(session, 1)
    code = rotating_code(session, now)
    calls = []
    for index, p in enumerate(people[:20]):
        if index % 2:
            calls.append(lambda p=p: check_in(session=session, resident=p.resident, code=code, now=now))
        else:
            calls.append(
                lambda p=p: mark_attendance(
                    session=session, enrollment=p, status="present", actor=operator_blk_a, now=now
                )
            )

    outcomes = run_in_parallel(calls, workers=20)

    assert sum(isinstance(o, Attendance) for o in outcomes) == CAP
    assert TrainingSession.objects.get(pk=session.pk).admitted == CAP
    assert Attendance.objects.filter(session=session, status__in=["present", "late"]).count() == CAP
