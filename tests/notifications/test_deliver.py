"""Delivery by the worker: claim, send once, record the outcome; failures are kept, counted and retried."""

import datetime as dt

import pytest
from django.utils import timezone

from latihkerja.notifications.models import Message
from latihkerja.notifications.services import deliver, queue_message
from latihkerja.notifications.tasks import deliver_message, retry_failed_messages
from tests.notifications.http_fakes import http_notifications, provider_answers
from tests.notifications.samples import SAMPLES

pytestmark = pytest.mark.integration

OTP_CONTEXT, OTP_BODY = SAMPLES["otp"]
PROVIDER_500 = 'Penyedia pesan menjawab HTTP 500: {"error": "boom"}'


def queued(**overrides) -> Message:
    arguments = {
        "channel": "sms",
        "recipient": "+6281234567890",
        "kind": "otp",
        "context": OTP_CONTEXT,
    } | overrides
    return queue_message(**arguments)


def test_queued_message_is_sent_with_the_provider_id_when_the_caller_commits(
    db, django_capture_on_commit_callbacks, empty_outbox
):
    with django_capture_on_commit_callbacks(execute=True):
        message = queued()

    message.refresh_from_db()
    assert (message.status, message.attempts, message.provider_message_id, message.last_error) == (
        "sent",
        1,
        "locmem-1",
        "",
    )
    assert message.sent_at is not None
    assert [(sent.message_id, sent.recipient, sent.body) for sent in empty_outbox] == [
        (message.pk, "+6281234567890", OTP_BODY)
    ]


def test_task_returns_the_status_when_run_by_the_worker(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        message = queued()

    result = deliver_message.enqueue(message.pk)

    assert result.return_value == "sent"


def test_sent_message_is_never_sent_again_when_deliver_is_called_again(
    db, django_capture_on_commit_callbacks, empty_outbox
):
    with django_capture_on_commit_callbacks(execute=True):
        message = queued()
    sent_at = Message.objects.get(pk=message.pk).sent_at

    again = deliver(message.pk)

    assert (again.status, again.attempts, again.sent_at) == ("sent", 1, sent_at)
    assert len(empty_outbox) == 1


def test_message_being_sent_is_left_alone_when_a_second_worker_gets_it(db, empty_outbox):
    message = queued()
    Message.objects.filter(pk=message.pk).update(status="sending")

    result = deliver(message.pk)

    assert (result.status, result.attempts) == ("sending", 0)
    assert empty_outbox == []


def test_provider_failure_marks_failed_with_the_reason_when_it_answers_500(db, settings):
    settings.NOTIFICATIONS = http_notifications(settings)
    message = queued()

    with provider_answers(500, b'{"error": "boom"}') as urlopen:
        result = deliver(message.pk)

    assert (result.status, result.attempts, result.last_error) == ("failed", 1, PROVIDER_500)
    assert (result.sent_at, result.provider_message_id) == (None, "")
    assert urlopen.call_count == 1


def test_failed_message_succeeds_and_clears_the_error_when_the_provider_recovers(db, settings):
    settings.NOTIFICATIONS = http_notifications(settings)
    message = queued()
    with provider_answers(500, b'{"error": "boom"}'):
        deliver(message.pk)

    with provider_answers(200, b'{"id": "prov-9"}'):
        result = deliver(message.pk)

    assert (result.status, result.attempts, result.last_error, result.provider_message_id) == (
        "sent",
        2,
        "",
        "prov-9",
    )


def test_delivery_stops_after_max_attempts_when_the_provider_keeps_failing(db, settings):
    settings.NOTIFICATIONS = http_notifications(settings, max_attempts=3)
    message = queued()

    with provider_answers(500, b'{"error": "boom"}') as urlopen:
        outcomes = [deliver(message.pk).attempts for _ in range(5)]

    assert outcomes == [1, 2, 3, 3, 3]
    assert urlopen.call_count == 3
    assert Message.objects.get(pk=message.pk).status == "failed"


def test_broken_backend_marks_failed_instead_of_raising_when_it_cannot_be_loaded(db, settings):
    settings.NOTIFICATIONS = {
        **settings.NOTIFICATIONS,
        "sms": "latihkerja.notifications.channels.NoSuchChannel",
    }
    message = queued()

    result = deliver(message.pk)

    assert (result.status, result.attempts) == ("failed", 1)
    assert result.last_error.startswith("Kesalahan tak terduga saat mengirim (ImportError: ")
    assert result.last_error.endswith("); lihat log pekerja.")


def test_retry_resends_failed_and_lost_messages_when_run_periodically(
    db, settings, django_capture_on_commit_callbacks, empty_outbox
):
    failed_once = queued(recipient="+6281200000001")
    Message.objects.filter(pk=failed_once.pk).update(status="failed", attempts=1, last_error="HTTP 500")
    out_of_attempts = queued(recipient="+6281200000002")
    Message.objects.filter(pk=out_of_attempts.pk).update(status="failed", attempts=5, last_error="HTTP 500")
    lost = queued(recipient="+6281200000003")
    Message.objects.filter(pk=lost.pk).update(created_at=timezone.now() - dt.timedelta(minutes=6))
    just_queued = queued(recipient="+6281200000004")
    # A publication's offer waits its turn behind thousands: not re-sent after minutes, but after hours.
    waiting_offer = queued(recipient="+6281200000005", kind="offer", context=SAMPLES["offer"][0])
    lost_offer = queued(recipient="+6281200000006", kind="offer", context=SAMPLES["offer"][0])
    Message.objects.filter(pk=waiting_offer.pk).update(created_at=timezone.now() - dt.timedelta(minutes=30))
    Message.objects.filter(pk=lost_offer.pk).update(created_at=timezone.now() - dt.timedelta(hours=3))

    with django_capture_on_commit_callbacks(execute=True):
        result = retry_failed_messages.enqueue()

    statuses = dict(Message.objects.values_list("recipient", "status"))
    assert result.return_value == 3
    assert statuses == {
        failed_once.recipient: "sent",
        out_of_attempts.recipient: "failed",
        lost.recipient: "sent",
        just_queued.recipient: "queued",
        waiting_offer.recipient: "queued",
        lost_offer.recipient: "sent",
    }
    assert sorted(sent.recipient for sent in empty_outbox) == [
        "+6281200000001",
        "+6281200000003",
        "+6281200000006",
    ]


def test_a_sign_in_code_that_expired_before_it_could_go_is_never_sent(db, empty_outbox):
    """A stopped worker or a failing provider sent codes the resident could no longer use (resilience
    review): a paid, confusing SMS."""
    late = queued(recipient="+6281200000011")
    Message.objects.filter(pk=late.pk).update(created_at=timezone.now() - dt.timedelta(minutes=11))
    in_time = queued(recipient="+6281200000012")
    Message.objects.filter(pk=in_time.pk).update(created_at=timezone.now() - dt.timedelta(minutes=9))

    deliver(late.pk)
    deliver(in_time.pk)
    retry_failed_messages.enqueue()

    late.refresh_from_db()
    assert (late.status, late.last_error) == (
        "failed",
        "Tidak dikirim: kode masuk ini sudah kedaluwarsa sebelum bisa dikirim.",
    )
    assert [sent.recipient for sent in empty_outbox] == ["+6281200000012"]


def test_a_message_left_sending_by_a_worker_that_died_is_retried_later(
    db, django_capture_on_commit_callbacks, empty_outbox
):
    offer_context = SAMPLES["offer"][0]
    stuck = queued(recipient="+6281200000021", kind="offer", context=offer_context)
    sending_now = queued(recipient="+6281200000022", kind="offer", context=offer_context)
    before_upgrade = queued(recipient="+6281200000023", kind="offer", context=offer_context)
    Message.objects.filter(pk=stuck.pk).update(
        status="sending", claimed_at=timezone.now() - dt.timedelta(minutes=16)
    )
    # Stuck before claimed_at existed: no claim time, an old message (diff review).
    Message.objects.filter(pk=before_upgrade.pk).update(
        status="sending", claimed_at=None, created_at=timezone.now() - dt.timedelta(hours=1)
    )
    Message.objects.filter(pk=sending_now.pk).update(status="sending", claimed_at=timezone.now())

    with django_capture_on_commit_callbacks(execute=True):
        retry_failed_messages.enqueue()

    stuck.refresh_from_db()
    assert (stuck.status, stuck.attempts) == ("sent", 2)  # the interrupted attempt counts
    assert Message.objects.get(pk=sending_now.pk).status == "sending"  # a worker may still be on it
    assert sorted(sent.recipient for sent in empty_outbox) == ["+6281200000021", "+6281200000023"]


def test_a_bulk_task_gives_the_worker_back_after_its_time_slice_with_the_rest_queued(
    db, settings, monkeypatch, empty_outbox, django_capture_on_commit_callbacks
):
    """A sign-in code waited behind a whole chunk of 500 bulk messages when the provider was slow (resilience
    review): a chunk now sends for a time slice and queues the rest, so the code's higher priority comes next."""
    from django_tasks_db.models import DBTaskResult

    from latihkerja.notifications import services

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    offers = [
        queued(recipient=f"+62812000001{i}", kind="offer", context=SAMPLES["offer"][0]) for i in range(3)
    ]
    clock = iter([0.0, 4.0, 11.0, 12.0])  # the slice runs out before the third message
    monkeypatch.setattr(services.time, "monotonic", lambda: next(clock))

    with django_capture_on_commit_callbacks(execute=True):
        sent = services.deliver_many([m.pk for m in offers])

    rest = DBTaskResult.objects.get(task_path="latihkerja.notifications.tasks.deliver_messages")
    assert sent == 2
    assert [m.recipient for m in empty_outbox] == ["+628120000010", "+628120000011"]
    assert rest.args_kwargs["args"] == [[offers[2].pk]]
    assert rest.priority == services.BULK_PRIORITY
