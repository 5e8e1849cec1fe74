"""Channels: how a rendered message leaves the building.

`settings.NOTIFICATIONS` maps each channel of `enums.Channel` (`sms`, `whatsapp`, `email`) to a backend class by
dotted path, read from the environment (`NOTIFY_SMS_BACKEND`, `NOTIFY_WHATSAPP_BACKEND`, `NOTIFY_EMAIL_BACKEND`):

- `ConsoleChannel` prints the message (development: `make run` shows one-time codes in the worker's output),
- `FileChannel` appends one JSON line per message to `var/outbox.jsonl` (or `NOTIFICATIONS["file_path"]`),
- `LocmemChannel` keeps messages in `channels.outbox` (the test suite, like Django's locmem email backend),
- `EmailChannel` sends through Django's email framework (`EMAIL_BACKEND`, `EMAIL_HOST`, …),
- `HttpSmsChannel` / `HttpWhatsAppChannel` post JSON to an SMS or WhatsApp provider over HTTPS.

Production: the SMS and WhatsApp defaults are the console, which reaches nobody. A production deployment MUST
set `NOTIFY_SMS_BACKEND=latihkerja.notifications.channels.HttpSmsChannel` (and the WhatsApp one likewise) with
`NOTIFY_HTTP_URL` and `NOTIFY_HTTP_TOKEN`, and configure Django's `EMAIL_*` settings for email.

A backend is any class whose instances have `send(message) -> str`: it returns the provider's id for the
message and raises `DeliveryError` with a reason when the provider did not take it. It must not retry by
itself: `services.deliver` counts attempts and the worker retries.
"""

from __future__ import annotations

import json
import logging
import smtplib
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.utils import make_msgid
from pathlib import Path
from typing import Any, Protocol, TextIO, cast

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.utils import DNS_NAME
from django.utils import timezone
from django.utils.module_loading import import_string

from .errors import DeliveryError
from .models import Message

logger = logging.getLogger(__name__)

HTTP_TIMEOUT_SECONDS = 10
# A provider's answer is small; never read an unbounded body into the worker's memory.
MAX_RESPONSE_BYTES = 64 * 1024
ERROR_EXCERPT_CHARS = 200


class Channel(Protocol):
    def send(self, message: Message) -> str: ...


def notification_settings() -> dict[str, Any]:
    return cast(dict[str, Any], settings.NOTIFICATIONS)


def get_channel(channel: str) -> Channel:
    """A fresh instance of the backend configured for `channel` (so settings overrides apply at once)."""
    backend = import_string(notification_settings()[channel])
    return cast(Channel, backend())


class ConsoleChannel:
    """Development only: prints a block to standard output (the worker's terminal under `make run`)."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stdout

    def send(self, message: Message) -> str:
        rule = "-" * 72
        lines = [rule, f"LatihKerja {message.channel} → {message.recipient} [{message.kind}, #{message.pk}]"]
        if message.subject:
            lines.append(f"Subject: {message.subject}")
        lines += [message.body, rule]
        self.stream.write("\n".join(lines) + "\n")
        self.stream.flush()
        return f"console-{message.pk}"


class FileChannel:
    """Development and demos: one JSON object per line, appended (readable with `tail -f var/outbox.jsonl`)."""

    def __init__(self, path: str | Path | None = None) -> None:
        configured = path or notification_settings().get("file_path") or settings.VAR_DIR / "outbox.jsonl"
        self.path = Path(configured)

    def send(self, message: Message) -> str:
        record = {
            "id": message.pk,
            "at": timezone.now().isoformat(),
            "channel": message.channel,
            "recipient": message.recipient,
            "kind": message.kind,
            "language": message.language,
            "subject": message.subject,
            "body": message.body,
        }
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as outbox_file:
                outbox_file.write(json.dumps(record, ensure_ascii=False) + "\n")
        except OSError as error:
            raise DeliveryError(DeliveryError.FILE_FAILED, reason=str(error)) from error
        return f"file-{message.pk}"


@dataclass(frozen=True)
class SentMessage:
    """What `LocmemChannel` recorded: a copy, so later changes to the row do not rewrite history."""

    message_id: int
    channel: str
    recipient: str
    kind: str
    language: str
    subject: str
    body: str
    provider_message_id: str


# Messages "sent" by LocmemChannel in this process; the test suite empties it before each test.
outbox: list[SentMessage] = []


class LocmemChannel:
    """Tests: keeps every message in the module-level `outbox` list instead of sending it."""

    def send(self, message: Message) -> str:
        provider_message_id = f"locmem-{len(outbox) + 1}"
        outbox.append(
            SentMessage(
                message_id=message.pk,
                channel=message.channel,
                recipient=message.recipient,
                kind=message.kind,
                language=message.language,
                subject=message.subject,
                body=message.body,
                provider_message_id=provider_message_id,
            )
        )
        return provider_message_id


class EmailChannel:
    """Email through Django's email framework, so SMTP is configured with the usual `EMAIL_*` settings.

    The Message-ID is set here (Django would otherwise make a new one on each rendering) and returned as the
    provider id, to find the message in the mail server's logs.
    """

    def send(self, message: Message) -> str:
        message_id = make_msgid(domain=DNS_NAME.get_fqdn())
        email = EmailMessage(
            subject=message.subject,
            body=message.body,
            to=[message.recipient],
            headers={"Message-ID": message_id},
        )
        try:
            sent = email.send(fail_silently=False)
        except (smtplib.SMTPException, OSError) as error:
            raise DeliveryError(DeliveryError.EMAIL_FAILED, reason=str(error)) from error
        if sent != 1:
            raise DeliveryError(DeliveryError.EMAIL_REFUSED)
        return message_id


class HttpChannel:
    """A generic JSON-over-HTTPS SMS/WhatsApp provider.

    `POST <url>` with `Authorization: Bearer <token>` and the body `{"<to_field>": recipient, "<text_field>":
    body}`; a 2xx answer is a hand-over, and the provider's id is read from the answer's `<id_field>` (a dotted
    path such as `messages.0.id` reaches into nested answers). Anything else raises `DeliveryError` with the
    status. The settings come from `NOTIFICATIONS[key]` for the first of `settings_keys` present, so SMS and
    WhatsApp may use one provider (`"http"`) or each its own (`"http_sms"`, `"http_whatsapp"`).
    """

    settings_keys: tuple[str, ...] = ("http",)

    def __init__(self) -> None:
        conf = notification_settings()
        self.config: dict[str, Any] = next((conf[key] for key in self.settings_keys if conf.get(key)), {})

    def send(self, message: Message) -> str:
        url = str(self.config.get("url") or "")
        if not url:
            raise DeliveryError(DeliveryError.NOT_CONFIGURED, setting="NOTIFY_HTTP_URL")
        if not url.startswith("https://"):
            # Also keeps urlopen away from file:// and other schemes it would happily open.
            raise DeliveryError(DeliveryError.INSECURE_URL)
        payload = {
            self.config.get("to_field", "to"): message.recipient,
            self.config.get("text_field", "text"): message.body,
        }
        headers = {
            "Content-Type": "application/json",
            "Accept": "application/json",
            # The same on every attempt of this message: a provider that honours it sends a message whose first
            # answer timed out (and was retried) only once.
            "Idempotency-Key": f"latihkerja-message-{message.pk}",
        }
        if self.config.get("token"):
            headers["Authorization"] = f"Bearer {self.config['token']}"
        request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
            url, data=json.dumps(payload, ensure_ascii=False).encode(), headers=headers, method="POST"
        )
        timeout = self.config.get("timeout", HTTP_TIMEOUT_SECONDS)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
                status = response.status
                answer = response.read(MAX_RESPONSE_BYTES)
        except urllib.error.HTTPError as error:
            raise DeliveryError(
                DeliveryError.PROVIDER_STATUS, status=error.code, detail=_excerpt(_error_body(error))
            ) from error
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", None) or error
            raise DeliveryError(DeliveryError.PROVIDER_UNREACHABLE, reason=str(reason)) from error
        if not 200 <= status < 300:
            raise DeliveryError(DeliveryError.PROVIDER_STATUS, status=status, detail=_excerpt(answer))
        return self._provider_id(answer, message)

    def _provider_id(self, answer: bytes, message: Message) -> str:
        # A 2xx means the provider took the message: even without a readable id it is sent, because marking
        # it failed would make the retry send it a second time.
        value: Any
        try:
            value = json.loads(answer)
            for part in str(self.config.get("id_field", "id")).split("."):
                value = value[int(part)] if isinstance(value, list) else value[part]
        except (ValueError, KeyError, IndexError, TypeError):
            logger.warning("notification %s: the provider's answer has no message id", message.pk)
            return ""
        return str(value)[:200]


class HttpSmsChannel(HttpChannel):
    settings_keys = ("http_sms", "http")


class HttpWhatsAppChannel(HttpChannel):
    settings_keys = ("http_whatsapp", "http")


def _error_body(error: urllib.error.HTTPError) -> bytes:
    try:
        return error.read(MAX_RESPONSE_BYTES)
    except (OSError, AttributeError, ValueError):
        return b""


def _excerpt(answer: bytes) -> str:
    text = answer.decode("utf-8", errors="replace").strip()
    return text[:ERROR_EXCERPT_CHARS] or "—"
