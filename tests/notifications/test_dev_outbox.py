"""The development outbox page: a person trying `make run` reads the code the console channel "sent"."""

import pytest
from django.test import override_settings

from latihkerja.notifications.services import queue_message

pytestmark = [pytest.mark.integration, pytest.mark.urls("tests.notifications.urls")]

OUTBOX_URL = "/dev/outbox/"


def queue_otps(count):
    return [
        queue_message(
            channel="sms",
            recipient=f"+62812000000{n:02d}",
            kind="otp",
            context={"code": f"{n:06d}", "minutes": 10},
        )
        for n in range(count)
    ]


def test_outbox_is_not_found_when_debug_is_off(client, db):
    queue_otps(1)

    response = client.get(OUTBOX_URL)

    assert response.status_code == 404
    assert b"000000" not in response.content


def test_outbox_is_not_found_for_bappeda_either_when_debug_is_off(login, bappeda_admin):
    queue_otps(1)

    response = login(bappeda_admin).get(OUTBOX_URL)

    assert response.status_code == 404


@override_settings(DEBUG=True)
def test_outbox_lists_the_newest_messages_first_when_debug_is_on(client, db):
    messages = queue_otps(3)

    response = client.get(OUTBOX_URL)

    assert response.status_code == 200
    assert list(response.context["outbox"]) == list(reversed(messages))
    content = response.content.decode()
    assert "+6281200000002" in content
    assert messages[2].body in content
    assert content.index("Kode verifikasi LatihKerja Anda: 000002") < content.index(
        "Kode verifikasi LatihKerja Anda: 000000"
    )
    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"


@override_settings(DEBUG=True)
def test_outbox_shows_at_most_fifty_when_more_were_sent(client, db):
    queue_otps(52)

    response = client.get(OUTBOX_URL)

    assert len(response.context["outbox"]) == 50


@override_settings(DEBUG=True)
@pytest.mark.parametrize("count", [1, 3])
def test_outbox_runs_one_query_when_listing(client, db, django_assert_num_queries, count):
    queue_otps(count)

    with django_assert_num_queries(1):
        response = client.get(OUTBOX_URL)

    assert response.status_code == 200


@override_settings(DEBUG=True)
def test_outbox_refuses_to_change_anything_when_posted_to(client, db):
    response = client.post(OUTBOX_URL)

    assert response.status_code == 405
