"""Operators of two classes booking the same room for the same hours at once: one of them gets it."""

import pytest

from latihkerja.training.errors import TrainingError
from latihkerja.training.models import TrainingSession
from tests.concurrency.conftest import run_in_parallel
from tests.factories.training import book, delivery_batch, room

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_ten_classes_booking_one_room_for_the_same_morning_at_once_leave_one_booking(
    reference_data, operator_blk_a
):
    first = delivery_batch()
    batches = [first, *(delivery_batch(center=first.center) for _ in range(9))]
    hall = room(first.center, name="Aula", capacity=45)

    outcomes = run_in_parallel([lambda b=b: book(b, hall, operator_blk_a) for b in batches], workers=10)

    booked = [o for o in outcomes if isinstance(o, list)]
    refused = [o for o in outcomes if not isinstance(o, list)]
    assert len(booked) == 1
    assert {getattr(o, "template", o) for o in refused} == {TrainingError.ROOM_TAKEN}
    assert TrainingSession.objects.filter(room=hall).count() == 1
