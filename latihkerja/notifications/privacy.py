"""Messages sent to a resident (the text as sent)."""

import datetime as dt
from typing import Any

from latihkerja.residents.models import Resident
from latihkerja.residents.privacy import kept_since, on_erasure, personal_data, retention

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


@on_erasure
def delete_messages(resident: Resident, actor: Any) -> None:
    """Messages to an erased resident go (they hold the phone, the name, and what the person was told), with
    the sign-in codes sent to their phone unless it is another resident's phone too."""
    Message.objects.filter(resident=resident).delete()
    if resident.phone and not resident.shares_phone():
        Message.objects.filter(recipient=resident.phone).delete()


@retention("messages")
def old_messages(now: dt.datetime) -> int:
    """Messages past their retention, and sign-in code messages as soon as the codes themselves go."""
    deleted, _ = Message.objects.filter(created_at__lt=kept_since("messages", now)).delete()
    codes, _ = Message.objects.filter(kind="otp", created_at__lt=kept_since("sign_in_codes", now)).delete()
    return deleted + codes
