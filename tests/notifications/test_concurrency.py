"""Races with real parallel connections: one dedupe key queues one message; one message is sent once."""

import threading

import pytest
from django.db import connection, connections, transaction

from latihkerja.notifications.models import Message
from latihkerja.notifications.services import deliver, queue_message
from tests.notifications.samples import SAMPLES

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 8


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("real parallel connections need PostgreSQL (this run is on %s)" % connection.vendor)


def run_together(action):
    barrier = threading.Barrier(THREADS)
    results = []
    lock = threading.Lock()

    def run() -> None:
        try:
            barrier.wait()
            result = action()
        finally:
            connections.close_all()
        with lock:
            results.append(result)

    threads = [threading.Thread(target=run) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_one_message_is_queued_and_sent_when_requests_race_with_one_dedupe_key(empty_outbox):
    def queue_in_a_request() -> int:
        with transaction.atomic():
            message = queue_message(
                channel="sms",
                recipient="+6281234567890",
                kind="otp",
                context=SAMPLES["otp"][0],
                dedupe_key="otp-race",
            )
            return message.pk

    ids = run_together(queue_in_a_request)

    assert len(ids) == THREADS
    assert len(set(ids)) == 1
    assert Message.objects.count() == 1
    assert [sent.message_id for sent in empty_outbox] == ids[:1]
    assert Message.objects.get().status == "sent"


def test_one_worker_sends_when_workers_race_for_one_message(empty_outbox):
    with transaction.atomic():
        message = queue_message(
            channel="sms", recipient="+6281234567890", kind="otp", context=SAMPLES["otp"][0]
        )
    empty_outbox.clear()
    Message.objects.filter(pk=message.pk).update(status="queued", attempts=0, sent_at=None)

    statuses = run_together(lambda: deliver(message.pk).status)

    assert len(empty_outbox) == 1
    assert Message.objects.get(pk=message.pk).attempts == 1
    assert sorted(set(statuses)) in (["sending", "sent"], ["sent"])
