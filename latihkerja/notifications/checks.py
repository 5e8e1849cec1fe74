"""`manage.py check --deploy`: a production whose SMS and WhatsApp go nowhere says so before residents wait
for one-time codes that never come (the console and file channels are for development)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Tags, Warning, register

DEVELOPMENT_CHANNELS = (
    "latihkerja.notifications.channels.ConsoleChannel",
    "latihkerja.notifications.channels.FileChannel",
)


@register(Tags.security, deploy=True)
def messages_reach_residents(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    problems = []
    for channel in ("sms", "whatsapp"):
        backend = settings.NOTIFICATIONS.get(channel, "")
        if backend in DEVELOPMENT_CHANNELS:
            problems.append(
                Warning(
                    f"{channel} messages (one-time codes, seat offers) are only written by the worker, not sent.",
                    hint=f"Set NOTIFY_{channel.upper()}_BACKEND to latihkerja.notifications.channels."
                    f"Http{'Sms' if channel == 'sms' else 'WhatsApp'}Channel with NOTIFY_HTTP_URL and "
                    "NOTIFY_HTTP_TOKEN (docs/operations.md, Messages).",
                    id="notifications.W001",
                )
            )
        elif not str(settings.NOTIFICATIONS.get("http", {}).get("url", "")).startswith("https://"):
            problems.append(
                Warning(
                    f"{channel} messages go to an HTTP provider without an https:// NOTIFY_HTTP_URL.",
                    hint="Set NOTIFY_HTTP_URL to the provider's https:// address.",
                    id="notifications.W002",
                )
            )
    return problems
