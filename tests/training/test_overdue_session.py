"""A session past its end that nobody started or recorded says so, instead of a bare "Terjadwal"."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories.training import SessionFactory, delivery_batch

pytestmark = pytest.mark.django_db


def test_a_past_session_nobody_recorded_is_flagged_and_a_coming_one_is_not(login, operator_blk_a):
    batch = delivery_batch()
    past = SessionFactory(batch=batch, number=1)  # 5 October 2020
    coming = SessionFactory(batch=batch, number=2, date=timezone.localdate() + dt.timedelta(days=3))
    client = login(operator_blk_a)

    past_page = client.get(reverse("training:session", args=[past.pk])).content.decode()
    coming_page = client.get(reverse("training:session", args=[coming.pk])).content.decode()

    assert 'id="overdue"' in past_page
    assert "waktunya sudah lewat, belum dicatat" in past_page
    assert 'id="overdue"' not in coming_page
