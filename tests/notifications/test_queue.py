"""Queueing: a message is rendered in the recipient's language, stored with the caller's change, and sent
only after that change commits."""

import pytest
from django.db import transaction

from latihkerja.notifications.enums import REQUIRED_CONTEXT, Kind
from latihkerja.notifications.errors import NotificationError
from latihkerja.notifications.models import Message
from latihkerja.notifications.services import latest_message, queue_message
from tests.factories import ResidentFactory
from tests.notifications.samples import SAMPLES, SUBJECTS

pytestmark = pytest.mark.integration

OTP_BODY = SAMPLES["otp"][1]


def queue_otp(**overrides):
    arguments = {
        "channel": "sms",
        "recipient": "0812-3456-7890",
        "kind": "otp",
        "context": {"code": "123456", "minutes": 10},
    } | overrides
    return queue_message(**arguments)


def test_queue_stores_an_indonesian_sms_in_e164_when_language_is_default(db):
    message = queue_otp()

    stored = Message.objects.get()
    assert stored.pk == message.pk
    assert (stored.channel, stored.recipient, stored.kind, stored.language) == (
        "sms",
        "+6281234567890",
        "otp",
        "id",
    )
    assert (stored.subject, stored.body) == ("", OTP_BODY)
    assert (stored.status, stored.attempts, stored.last_error, stored.provider_message_id) == (
        "queued",
        0,
        "",
        "",
    )
    assert stored.sent_at is None
    assert stored.created_at is not None


@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_every_kind_renders_its_pinned_text_when_given_its_context(db, kind):
    context, expected = SAMPLES[kind]

    message = queue_message(channel="whatsapp", recipient="+6281234567890", kind=kind, context=context)

    assert message.body == expected


def test_every_kind_has_a_sample_and_a_context_contract_when_listed():
    assert sorted(SAMPLES) == sorted(Kind.values)
    assert {kind: set(SAMPLES[kind][0]) for kind in SAMPLES} == {
        kind: set(keys) for kind, keys in REQUIRED_CONTEXT.items()
    }


@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_email_gets_a_subject_when_channel_is_email(db, kind):
    context, expected = SAMPLES[kind]

    message = queue_message(channel="email", recipient="siti@example.org", kind=kind, context=context)

    assert (message.subject, message.body) == (SUBJECTS[kind], expected)


def test_text_is_not_html_escaped_when_a_name_has_an_apostrophe(db):
    message = queue_message(
        channel="sms",
        recipient="081234567890",
        kind="registration_received",
        context={"name": "Ma'ruf & <Sons>"},
    )

    assert message.body.startswith("Halo Ma'ruf & <Sons>, pendaftaran")


def test_rendering_follows_the_recipients_language_when_language_is_en(db):
    context, indonesian = SAMPLES["offer"]

    message = queue_message(
        channel="sms", recipient="+6281234567890", kind="offer", context=context, language="en"
    )

    # Dates are formatted by Django's own catalogues, so they show the language the text was rendered in
    # even before the project's English catalogue translates the sentences around them.
    assert message.language == "en"
    assert "5 October 2020" in message.body
    assert "30 September 2020" in message.body
    assert "Oktober" not in message.body
    assert "5 Oktober 2020" in indonesian


def test_rendering_uses_indonesian_dates_when_language_is_id_although_another_is_active(db):
    from django.utils import translation

    context, indonesian = SAMPLES["offer"]

    with translation.override("en"):
        message = queue_message(channel="sms", recipient="+6281234567890", kind="offer", context=context)

    assert message.body == indonesian


def test_second_queue_returns_the_same_row_when_dedupe_key_repeats(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        first = queue_otp(dedupe_key="otp-41")
        second = queue_otp(dedupe_key="otp-41", context={"code": "999999", "minutes": 10})

    assert second.pk == first.pk
    assert Message.objects.count() == 1
    assert Message.objects.get().body == OTP_BODY
    assert len(callbacks) == 1


def test_blank_dedupe_keys_never_collide_when_queued_twice(db):
    queue_otp()
    queue_otp()

    assert list(Message.objects.values_list("dedupe_key", flat=True)) == ["", ""]


def test_delivery_waits_for_the_commit_when_queued_in_a_transaction(
    db, django_capture_on_commit_callbacks, empty_outbox
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        message = queue_otp()
        before_commit = Message.objects.get(pk=message.pk).status

    assert before_commit == "queued"
    assert empty_outbox == []
    assert len(callbacks) == 1


class Abort(Exception):
    pass


def queue_then_abort():
    with transaction.atomic():
        queue_otp()
        raise Abort


def test_nothing_is_stored_or_sent_when_the_caller_rolls_back(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(Abort):
        queue_then_abort()

    assert Message.objects.count() == 0
    assert callbacks == []


def test_queue_links_resident_and_user_when_given(db, resident):
    person = ResidentFactory(user=resident)

    message = queue_otp(resident=person, user=resident)

    assert (message.resident, message.user) == (person, resident)
    assert list(person.notifications.all()) == [message]


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"channel": "fax"}, "Saluran pesan “fax” tidak dikenal."),
        ({"kind": "birthday"}, "Jenis pesan “birthday” tidak dikenal."),
        ({"language": "jv"}, "Bahasa “jv” tidak tersedia."),
        (
            {"recipient": "021-555-0000"},
            "Nomor HP “…000” tidak valid. Tulis seperti 0812-3456-7890 atau +6281234567890.",
        ),
        (
            {"recipient": "+62 21 555 0000"},
            "Nomor HP “…000” tidak valid. Tulis seperti 0812-3456-7890 atau +6281234567890.",
        ),
        ({"channel": "email", "recipient": "siti@"}, "Alamat email “…ti@” tidak valid."),
        ({"context": {"minutes": 10}}, "Isi pesan “otp” belum lengkap: code."),
        (
            {"kind": "offer", "context": {"name": "Siti"}},
            "Isi pesan “offer” belum lengkap: batch, center, respond_by, starts_on, url.",
        ),
    ],
)
def test_queue_refuses_and_stores_nothing_when_an_argument_is_wrong(db, overrides, expected):
    with pytest.raises(NotificationError) as raised:
        queue_otp(**overrides)

    assert raised.value.message == expected
    assert Message.objects.count() == 0


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("081234567890", "+6281234567890"),
        ("62 812 3456 7890", "+6281234567890"),
        ("+62 812-3456-7890", "+6281234567890"),
        ("+65 9123 4567", "+6591234567"),
    ],
)
def test_phone_is_stored_in_e164_when_written_in_any_usual_way(db, written, stored):
    message = queue_otp(recipient=written)

    assert message.recipient == stored


def test_latest_message_returns_the_newest_of_that_kind_when_several_exist(db):
    queue_otp(context={"code": "111111", "minutes": 10})
    newest = queue_otp(context={"code": "222222", "minutes": 10})
    queue_message(
        channel="sms", recipient="+6281234567890", kind="registration_received", context={"name": "X"}
    )
    queue_otp(recipient="081299999999")

    found = latest_message(recipient="0812 3456 7890", kind="otp")

    assert found == newest
    assert "222222" in found.body
    assert latest_message(recipient="+6281234567890", kind="certificate") is None


def test_a_sign_in_code_is_sent_before_the_messages_a_publication_queued(
    db, django_capture_on_commit_callbacks
):
    """The worker takes higher priorities first: someone waiting for a code with the page open is not held
    behind the 140,000 offers and "no seat" messages of a published allocation, nor are exports and runs."""
    from django.test import override_settings
    from django_tasks_db.models import DBTaskResult

    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        with django_capture_on_commit_callbacks(execute=True):
            for i in range(3):
                queue_message(
                    channel="sms", recipient=f"081234567{i:03d}", kind="offer", context=SAMPLES["offer"][0]
                )
            code = queue_otp()
        claimed_first = DBTaskResult.objects.ready().first()

    assert DBTaskResult.objects.count() == 4
    assert claimed_first.args_kwargs["args"] == [code.pk]
    assert sorted(DBTaskResult.objects.exclude(pk=claimed_first.pk).values_list("priority", flat=True)) == [
        -10,
        -10,
        -10,
    ]


def test_many_messages_are_stored_and_handed_to_the_worker_in_chunks(db, django_capture_on_commit_callbacks):
    """A publication queues one message per applicant: one INSERT and one delivery task per chunk, not per
    message; a bad number is refused alone; queueing the same keys again stores and schedules nothing new."""
    from django.test import override_settings
    from django_tasks_db.models import DBTaskResult

    from latihkerja.notifications.services import Outgoing, queue_many

    items = [
        Outgoing(
            channel="sms",
            recipient=phone,
            kind="offer",
            context=SAMPLES["offer"][0],
            dedupe_key=f"offer-{i}",
        )
        for i, phone in enumerate(["081234567001", "081234567002", "021-555-0000", "081234567003"])
    ]
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        with django_capture_on_commit_callbacks(execute=True):
            refused = queue_many(items)
        with django_capture_on_commit_callbacks(execute=True):
            again = queue_many([items[0], items[1]])

    assert [(item.dedupe_key, str(error)) for item, error in refused] == [
        ("offer-2", "Nomor HP “…000” tidak valid. Tulis seperti 0812-3456-7890 atau +6281234567890.")
    ]
    assert again == []
    assert sorted(Message.objects.values_list("dedupe_key", flat=True)) == ["offer-0", "offer-1", "offer-3"]
    first = DBTaskResult.objects.order_by("enqueued_at").first()
    assert first.args_kwargs["args"] == [sorted(Message.objects.values_list("pk", flat=True))]
    assert first.priority == -10


def offers(count):
    """`count` offer messages for `queue_many`, to numbers 0812-3456-7000, …7001, …"""
    from latihkerja.notifications.services import Outgoing

    return [
        Outgoing(
            channel="sms",
            recipient=f"08123456700{i}",
            kind="offer",
            context=SAMPLES["offer"][0],
            dedupe_key=f"offer-{i}",
        )
        for i in range(count)
    ]


def test_a_chunk_of_messages_is_delivered_by_its_task(db, empty_outbox, django_capture_on_commit_callbacks):
    from latihkerja.notifications.services import queue_many

    with django_capture_on_commit_callbacks(execute=True):
        queue_many(offers(3))

    assert sorted(Message.objects.values_list("status", flat=True)) == ["sent", "sent", "sent"]
    assert len(empty_outbox) == 3


def test_a_message_deleted_before_its_turn_does_not_stop_the_rest_of_its_chunk(
    db, empty_outbox, django_capture_on_commit_callbacks
):
    """Between queueing and sending, a resident may be erased (their messages go): the others still leave."""
    from latihkerja.notifications.services import queue_many

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        queue_many(offers(3))
    Message.objects.filter(dedupe_key="offer-1").delete()
    for callback in callbacks:
        callback()

    assert sorted(Message.objects.values_list("dedupe_key", "status")) == [
        ("offer-0", "sent"),
        ("offer-2", "sent"),
    ]
    assert len(empty_outbox) == 2


@pytest.mark.parametrize(
    ("language", "subject", "body"),
    [
        (
            "id",
            "Jadwal kelas Barista sudah ada",
            "Jadwal kelas Barista sudah ada: 5 pertemuan, mulai 12 Oktober 2020. Lihat jadwal: https://x.id/j",
        ),
        (
            "en",
            "The schedule for the Barista class is set",
            "The schedule for the Barista class is set: 5 sessions, from 12 October 2020. See it: https://x.id/j",
        ),
    ],
)
def test_a_first_schedule_is_announced_as_set_not_as_changed(db, language, subject, body):
    context = {"batch": "Barista", "change": "", "url": "https://x.id/j", "first": True}
    context["change"] = {
        "id": "5 pertemuan, mulai 12 Oktober 2020",
        "en": "5 sessions, from 12 October 2020",
    }[language]

    message = queue_message(
        channel="email",
        recipient="siti@example.org",
        kind="schedule_changed",
        context=context,
        language=language,
    )

    assert (message.subject, message.body) == (subject, body)
