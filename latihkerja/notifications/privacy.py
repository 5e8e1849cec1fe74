"""Messages sent to a resident (the text as sent)."""

from typing import Any

from latihkerja.residents.models import Resident
from latihkerja.residents.privacy import personal_data

from .models import Message


@personal_data("messages")
def messages(resident: Resident) -> list[dict[str, Any]]:
    return [
        dict(row)
        for row in Message.objects.filter(resident=resident)
        .exclude(kind="otp")  # one-time codes are secrets, and worthless once used
        .order_by("created_at")
        .values("channel", "kind", "recipient", "body", "status", "created_at", "sent_at")
    ]
