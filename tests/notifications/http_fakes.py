"""Stand-ins for the outside world: the SMS/WhatsApp provider behind `urllib.request.urlopen`."""

import io
import urllib.error
from unittest import mock

PROVIDER_URL = "https://sms.example.test/v1/messages"
HTTP_SETTINGS = {
    "url": PROVIDER_URL,
    "token": "token-rahasia",
    "to_field": "to",
    "text_field": "text",
    "id_field": "id",
}


class FakeResponse:
    def __init__(self, status: int, body: bytes) -> None:
        self.status = status
        self._body = io.BytesIO(body)

    def read(self, size: int = -1) -> bytes:
        return self._body.read(size)

    def __enter__(self) -> "FakeResponse":
        return self

    def __exit__(self, *exc_info: object) -> None:
        return None


def provider_answers(status: int = 200, body: bytes = b'{"id": "prov-123"}'):
    """Patch urlopen to answer like a provider; a status >= 400 raises HTTPError as urllib does."""
    if status >= 400:
        error = urllib.error.HTTPError(PROVIDER_URL, status, "error", {}, io.BytesIO(body))
        return mock.patch("urllib.request.urlopen", side_effect=error)
    return mock.patch("urllib.request.urlopen", return_value=FakeResponse(status, body))


def http_notifications(settings, **extra):
    """settings.NOTIFICATIONS with SMS and WhatsApp through the HTTP adapters."""
    return {
        **settings.NOTIFICATIONS,
        "sms": "latihkerja.notifications.channels.HttpSmsChannel",
        "whatsapp": "latihkerja.notifications.channels.HttpWhatsAppChannel",
        "http": HTTP_SETTINGS,
        **extra,
    }
