"""Each channel backend, with only the outside world replaced: the provider's HTTP endpoint, the mail server."""

import io
import json
import urllib.error
from unittest import mock

import pytest
from django.core import mail

from latihkerja.notifications.channels import ConsoleChannel
from latihkerja.notifications.services import deliver, queue_message
from tests.notifications.http_fakes import PROVIDER_URL, http_notifications, provider_answers
from tests.notifications.samples import SAMPLES

pytestmark = pytest.mark.integration

OTP_CONTEXT, OTP_BODY = SAMPLES["otp"]


def queued(**overrides):
    arguments = {
        "channel": "sms",
        "recipient": "0812-3456-7890",
        "kind": "otp",
        "context": OTP_CONTEXT,
    } | overrides
    return queue_message(**arguments)


def test_http_adapter_posts_exactly_the_configured_request_when_sending_an_sms(db, settings):
    settings.NOTIFICATIONS = http_notifications(settings)
    message = queued()

    with provider_answers(200, b'{"id": "prov-123", "status": "accepted"}') as urlopen:
        result = deliver(message.pk)

    (request,), kwargs = urlopen.call_args
    assert (request.full_url, request.get_method()) == (PROVIDER_URL, "POST")
    assert request.headers == {
        "Content-type": "application/json",
        "Accept": "application/json",
        "Idempotency-key": f"latihkerja-message-{message.pk}",  # the same on a retry after a timeout
        "Authorization": "Bearer token-rahasia",
    }
    assert json.loads(request.data) == {"to": "+6281234567890", "text": OTP_BODY}
    assert kwargs == {"timeout": 10}
    assert (result.status, result.provider_message_id, result.attempts) == ("sent", "prov-123", 1)


def test_http_adapter_uses_the_configured_field_names_when_a_provider_differs(db, settings):
    settings.NOTIFICATIONS = http_notifications(
        settings,
        http_whatsapp={
            "url": "https://wa.example.test/send",
            "token": "wa-token",
            "to_field": "phone",
            "text_field": "message",
            "id_field": "messages.0.id",
        },
    )
    message = queued(channel="whatsapp")

    with provider_answers(201, b'{"messages": [{"id": "wamid.77"}]}') as urlopen:
        result = deliver(message.pk)

    (request,), _ = urlopen.call_args
    assert request.full_url == "https://wa.example.test/send"
    assert request.headers["Authorization"] == "Bearer wa-token"
    assert json.loads(request.data) == {"phone": "+6281234567890", "message": OTP_BODY}
    assert (result.status, result.provider_message_id) == ("sent", "wamid.77")


def test_http_adapter_counts_as_sent_without_an_id_when_the_provider_answers_2xx_without_one(db, settings):
    settings.NOTIFICATIONS = http_notifications(settings)
    message = queued()

    with provider_answers(202, b"OK"):
        result = deliver(message.pk)

    assert (result.status, result.provider_message_id) == ("sent", "")


@pytest.mark.parametrize(
    ("status", "answer", "expected"),
    [
        (500, b'{"error": "boom"}', 'Penyedia pesan menjawab HTTP 500: {"error": "boom"}'),
        (401, b"", "Penyedia pesan menjawab HTTP 401: —"),
    ],
)
def test_http_adapter_marks_failed_with_the_status_when_the_provider_refuses(
    db, settings, status, answer, expected
):
    settings.NOTIFICATIONS = http_notifications(settings)
    message = queued()

    with provider_answers(status, answer):
        result = deliver(message.pk)

    assert (result.status, result.attempts, result.last_error) == ("failed", 1, expected)


def test_http_adapter_marks_failed_when_the_provider_cannot_be_reached(db, settings):
    settings.NOTIFICATIONS = http_notifications(settings)
    message = queued()

    with mock.patch("urllib.request.urlopen", side_effect=urllib.error.URLError("timed out")):
        result = deliver(message.pk)

    assert (result.status, result.last_error) == ("failed", "Penyedia pesan tidak dapat dihubungi: timed out")


@pytest.mark.parametrize(
    ("http", "expected"),
    [
        ({"url": "", "token": "x"}, "Penyedia pesan belum diatur: NOTIFY_HTTP_URL kosong."),
        (
            {"url": "http://sms.example.test/send", "token": "x"},
            "Alamat penyedia pesan harus memakai https://.",
        ),
        ({"url": "file:///etc/passwd", "token": "x"}, "Alamat penyedia pesan harus memakai https://."),
    ],
)
def test_http_adapter_sends_nothing_when_misconfigured(db, settings, http, expected):
    settings.NOTIFICATIONS = http_notifications(settings, http=http)
    message = queued()

    with provider_answers() as urlopen:
        result = deliver(message.pk)

    assert (result.status, result.last_error) == ("failed", expected)
    assert urlopen.call_count == 0


def test_email_goes_through_djangos_mail_framework_when_channel_is_email(db, settings):
    settings.NOTIFICATIONS = {
        **settings.NOTIFICATIONS,
        "email": "latihkerja.notifications.channels.EmailChannel",
    }
    message = queued(channel="email", recipient="siti@example.org")

    result = deliver(message.pk)

    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert (email.subject, email.body, email.to, email.from_email) == (
        "Kode verifikasi LatihKerja",
        OTP_BODY,
        ["siti@example.org"],
        settings.DEFAULT_FROM_EMAIL,
    )
    assert (result.status, result.provider_message_id) == ("sent", email.extra_headers["Message-ID"])
    assert email.message()["Message-ID"] == result.provider_message_id


def test_email_marks_failed_when_the_mail_server_is_down(db, settings):
    settings.NOTIFICATIONS = {
        **settings.NOTIFICATIONS,
        "email": "latihkerja.notifications.channels.EmailChannel",
    }
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    message = queued(channel="email", recipient="siti@example.org")

    with mock.patch("smtplib.SMTP", side_effect=ConnectionRefusedError(111, "Connection refused")):
        result = deliver(message.pk)

    assert (result.status, result.last_error) == (
        "failed",
        "Email tidak terkirim: [Errno 111] Connection refused",
    )


def test_console_prints_a_block_with_the_text_when_used_in_development(db):
    message = queued()
    stream = io.StringIO()

    provider_message_id = ConsoleChannel(stream=stream).send(message)

    assert provider_message_id == f"console-{message.pk}"
    assert stream.getvalue() == (
        f"{'-' * 72}\nLatihKerja sms → +6281234567890 [otp, #{message.pk}]\n{OTP_BODY}\n{'-' * 72}\n"
    )


def test_console_prints_to_standard_output_when_configured_for_sms(db, settings, capsys):
    settings.NOTIFICATIONS = {
        **settings.NOTIFICATIONS,
        "sms": "latihkerja.notifications.channels.ConsoleChannel",
    }
    message = queued()

    result = deliver(message.pk)

    assert result.status == "sent"
    assert OTP_BODY in capsys.readouterr().out


def test_file_channel_appends_one_json_line_per_message_when_configured(db, settings, tmp_path):
    path = tmp_path / "outbox.jsonl"
    settings.NOTIFICATIONS = {
        **settings.NOTIFICATIONS,
        "sms": "latihkerja.notifications.channels.FileChannel",
        "file_path": str(path),
    }
    first = queued()
    second = queued(recipient="081299999999", language="en")

    deliver(first.pk)
    deliver(second.pk)

    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert [
        {key: record[key] for key in ("id", "channel", "recipient", "kind", "language", "subject", "body")}
        for record in records
    ] == [
        {
            "id": first.pk,
            "channel": "sms",
            "recipient": "+6281234567890",
            "kind": "otp",
            "language": "id",
            "subject": "",
            "body": OTP_BODY,
        },
        {
            "id": second.pk,
            "channel": "sms",
            "recipient": "+6281299999999",
            "kind": "otp",
            "language": "en",
            "subject": "",
            "body": second.body,
        },
    ]
