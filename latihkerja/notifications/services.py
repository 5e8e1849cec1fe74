"""The notification outbox: the public API other apps call.

`queue_message` renders a message in the recipient's language and stores it in the caller's transaction; the
delivery task is enqueued only once that transaction commits, so a rolled-back state change never tells anyone
anything. `deliver` (run by the worker) claims a row with a conditional `UPDATE`, sends it through the channel
configured in `settings.NOTIFICATIONS` (see `channels`), and records the outcome; it never raises for a
provider failure. `requeue_undelivered_messages` (a periodic task) retries failures up to `max_attempts`.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template import Context, Engine
from django.utils import timezone, translation

from latihkerja.engine.phone import phone_or_none

from .channels import get_channel, notification_settings
from .enums import (
    DELIVERABLE_STATUSES,
    PHONE_CHANNELS,
    REQUIRED_CONTEXT,
    SIGN_IN_CODE_TTL,
    Channel,
    Kind,
    MessageStatus,
)
from .errors import DeliveryError, NotificationError
from .models import Message

if TYPE_CHECKING:
    from latihkerja.accounts.models import User
    from latihkerja.residents.models import Resident

logger = logging.getLogger(__name__)

# Foreign numbers are accepted in E.164; Indonesian spellings (0812…, 62812…) go through engine.phone.
_E164 = re.compile(r"\+[1-9]\d{7,14}")
_SEPARATORS = re.compile(r"[\s.\-()]")
# A message that was queued but never enqueued (the process died between commit and enqueue) is picked up
# by the periodic retry after this long; the claim in `deliver` makes a duplicate enqueue harmless.
STALE_QUEUED_AFTER = dt.timedelta(minutes=5)
STALE_BULK_AFTER = dt.timedelta(hours=2)
# A message still `sending` this long after a worker took it will not finish: the worker died while the
# provider answered. It is counted as a failed attempt and retried (the provider may have got it: a rare
# duplicate is better than a sign-in code or an offer never sent).
STALE_SENDING_AFTER = dt.timedelta(minutes=15)
LAST_ERROR_CHARS = 1000


def queue_message(
    *,
    channel: str,
    recipient: str,
    kind: str,
    context: dict[str, Any],
    language: str = "id",
    resident: Resident | None = None,
    user: User | None = None,
    dedupe_key: str = "",
) -> Message:
    """Render `kind` for `recipient` in `language` and store it; deliver it after the caller's commit.

    `recipient` is a mobile number for `sms`/`whatsapp` (stored as E.164: `0812-3456-7890` becomes
    `+6281234567890`) or an email address for `email`. `context` must hold every key the kind's templates read
    (`enums.REQUIRED_CONTEXT`). Raises `NotificationError` before storing anything when an argument is wrong.

    Idempotent on a non-blank `dedupe_key`: a second call with the same key returns the first message (as it
    was queued, whatever the new arguments) and schedules nothing. The unique constraint settles two callers
    racing with the same key.
    """
    message = _prepared(
        channel=channel,
        recipient=recipient,
        kind=kind,
        context=context,
        language=language,
        resident=resident,
        user=user,
        dedupe_key=dedupe_key,
    )
    try:
        # A savepoint: a repeated key (a retry, or a lost race) must not break the caller's transaction.
        with transaction.atomic():
            message.save(force_insert=True)
    except IntegrityError:
        if not dedupe_key:
            raise
        return Message.objects.get(dedupe_key=dedupe_key)
    _schedule_delivery(message.pk, message.kind)
    return message


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One message for `queue_many`: the arguments of `queue_message`, with a `dedupe_key` required."""

    channel: str
    recipient: str
    kind: str
    context: dict[str, Any]
    dedupe_key: str
    language: str = "id"
    resident: Resident | None = None
    user: User | None = None


_OUTGOING_FIELDS = tuple(f.name for f in fields(Outgoing))  # `_prepared`'s arguments, by name

# Messages stored per INSERT, and delivered per task, by `queue_many`.
MANY_CHUNK = 500


def queue_many(items: Iterable[Outgoing]) -> list[tuple[Outgoing, NotificationError]]:
    """`queue_message` for many messages at once (a publication's 140,000 offers and no-seat messages at
    200,000 residents): each is checked and rendered the same way, stored by one INSERT per `MANY_CHUNK` (a
    message whose `dedupe_key` is stored already is skipped, as `queue_message` would return it), and delivered
    after the caller's commit by one task per chunk instead of one per message.

    Returns the items refused, with why (an unusable number, say); the others are queued.
    """
    refused: list[tuple[Outgoing, NotificationError]] = []
    chunk: list[Message] = []
    for item in items:
        if not item.dedupe_key:
            raise ValueError("queue_many needs a dedupe_key for every message")
        try:
            chunk.append(_prepared(**{name: getattr(item, name) for name in _OUTGOING_FIELDS}))
        except NotificationError as error:
            refused.append((item, error))
        if len(chunk) == MANY_CHUNK:
            _store_many(chunk)
            chunk = []
    if chunk:
        _store_many(chunk)
    return refused


def _store_many(messages: list[Message]) -> None:
    Message.objects.bulk_create(messages, ignore_conflicts=True)
    ids = list(
        Message.objects.filter(dedupe_key__in=[m.dedupe_key for m in messages], status=MessageStatus.QUEUED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    _schedule_many(ids)


def _schedule_many(ids: list[int]) -> None:
    if ids:
        from .tasks import deliver_messages  # tasks.py imports this module

        task = deliver_messages.using(priority=BULK_PRIORITY)
        transaction.on_commit(lambda: task.enqueue(ids), robust=True)


def _prepared(
    *,
    channel: str,
    recipient: str,
    kind: str,
    context: dict[str, Any],
    language: str,
    resident: Resident | None,
    user: User | None,
    dedupe_key: str,
) -> Message:
    """The checked, rendered, unsaved message; `NotificationError` when an argument is wrong."""
    if channel not in Channel.values:
        raise NotificationError(NotificationError.UNKNOWN_CHANNEL, channel=channel)
    if kind not in Kind.values:
        raise NotificationError(NotificationError.UNKNOWN_KIND, kind=kind)
    if language not in dict(settings.LANGUAGES):
        raise NotificationError(NotificationError.UNKNOWN_LANGUAGE, language=language)
    missing = sorted(REQUIRED_CONTEXT[kind] - context.keys())
    if missing:
        raise NotificationError(NotificationError.MISSING_CONTEXT, kind=kind, keys=", ".join(missing))
    recipient = _checked_recipient(channel, recipient)
    subject, body = render_message(kind=kind, channel=channel, language=language, context=context)
    return Message(
        channel=channel,
        recipient=recipient,
        kind=kind,
        language=language,
        subject=subject,
        body=body,
        resident=resident,
        user=user,
        dedupe_key=dedupe_key,
    )


def render_message(*, kind: str, channel: str, language: str, context: dict[str, Any]) -> tuple[str, str]:
    """`(subject, body)` of `kind` rendered in `language`; the subject only for email, blank otherwise.

    Templates are plain text (`notifications/<kind>.txt`, `<kind>_subject.txt`), rendered without HTML
    escaping: a name such as "Ma'ruf" must reach the phone as written.
    """
    engine = Engine.get_default()
    with translation.override(language):
        body = engine.get_template(f"notifications/{kind}.txt").render(Context(context, autoescape=False))
        subject = ""
        if channel == Channel.EMAIL:
            subject = engine.get_template(f"notifications/{kind}_subject.txt").render(
                Context(context, autoescape=False)
            )
    return " ".join(subject.split()), body.strip()


def deliver(message_id: int) -> Message | None:
    """Send message `message_id` once through its channel and record the outcome; safe to call repeatedly.

    The row is claimed with `UPDATE … SET status='sending' WHERE id=… AND status IN ('queued','failed') AND
    attempts < max_attempts`: of two workers handed the same message exactly one gets the row, and a message
    already sent, being sent, or out of attempts is returned untouched. The send happens outside any
    transaction (no row lock is held while the provider answers). Every attempt counts in `attempts`; a
    failure is recorded in `last_error` and never raised, so the worker moves on. A message deleted meanwhile
    (its resident erased, or past its retention) gives `None`.
    """
    now = timezone.now()
    claimed = Message.objects.filter(
        pk=message_id, status__in=DELIVERABLE_STATUSES, attempts__lt=max_attempts()
    ).update(status=MessageStatus.SENDING, claimed_at=now)
    message = Message.objects.filter(pk=message_id).first()
    if message is None or claimed != 1:
        return message  # None: deleted meanwhile (its resident erased, or past its retention)
    if message.kind == Kind.OTP and message.created_at < now - SIGN_IN_CODE_TTL:
        # The code expired while the worker was stopped or the provider failing: a paid SMS the resident can
        # no longer use, and a confusing one. Never retried.
        Message.objects.filter(pk=message.pk, status=MessageStatus.SENDING).update(
            status=MessageStatus.FAILED, attempts=max_attempts(), last_error=str(DeliveryError.CODE_EXPIRED)
        )
        return Message.objects.filter(pk=message_id).first()
    try:
        provider_message_id = get_channel(message.channel).send(message)
    except DeliveryError as error:
        _record_failure(message, error.message)
    except Exception as error:
        # A bug or a misconfiguration, not the provider: still release the row (a message stuck in
        # `sending` would never be retried) and leave the traceback in the worker's log.
        logger.exception("notification %s: unexpected error while sending", message.pk)
        reason = DeliveryError(DeliveryError.UNEXPECTED, error=f"{type(error).__name__}: {error}")
        _record_failure(message, reason.message)
    else:
        Message.objects.filter(pk=message.pk, status=MessageStatus.SENDING).update(
            status=MessageStatus.SENT,
            sent_at=timezone.now(),
            provider_message_id=provider_message_id,
            attempts=F("attempts") + 1,
            last_error="",
        )
    return Message.objects.filter(pk=message_id).first()


# A bulk task sends for at most this long, then queues the rest as a new task: the worker takes the
# highest priority next, so a sign-in code waits seconds, not the whole chunk (500 messages at a slow
# provider's 10 s timeout were 80 minutes: resilience review).
BULK_SLICE_SECONDS = 10.0


def deliver_many(message_ids: list[int]) -> int:
    """`deliver` each message in turn until `BULK_SLICE_SECONDS` have passed, then queue the rest (bulk
    priority) and return; returns how many were sent."""
    started = time.monotonic()
    sent = 0
    for index, message_id in enumerate(message_ids):
        if index and time.monotonic() - started >= BULK_SLICE_SECONDS:
            _schedule_many(message_ids[index:])
            break
        message = deliver(message_id)  # never raises for a provider; None for a deleted message
        sent += message is not None and message.status == MessageStatus.SENT
    return sent


def requeue_undelivered_messages() -> int:
    """Enqueue delivery again for failed messages with attempts left, and for messages still queued long after
    their task should have run (a lost task): a sign-in code after `STALE_QUEUED_AFTER`, any other message after
    `STALE_BULK_AFTER`, since a publication's tens of thousands of messages legitimately wait that long behind
    each other. Codes go back one task each; the rest in chunks, as `queue_many` sends them. Returns how many
    were enqueued.

    A message left `sending` for `STALE_SENDING_AFTER` (its worker died mid-send) is first counted as a failed
    attempt, so it is retried like any failure.

    Harmless to run often: `deliver` claims each row, so a message enqueued twice is still sent once.
    """
    now = timezone.now()
    stale = now - STALE_SENDING_AFTER
    Message.objects.filter(
        Q(claimed_at__lt=stale)
        | Q(claimed_at__isnull=True, created_at__lt=stale),  # claimed before claimed_at
        status=MessageStatus.SENDING,
    ).update(
        status=MessageStatus.FAILED, attempts=F("attempts") + 1, last_error=str(DeliveryError.INTERRUPTED)
    )
    due = list(
        Message.objects.filter(
            Q(status=MessageStatus.FAILED, attempts__lt=max_attempts())
            | Q(status=MessageStatus.QUEUED, kind=Kind.OTP, created_at__lt=now - STALE_QUEUED_AFTER)
            | (Q(status=MessageStatus.QUEUED, created_at__lt=now - STALE_BULK_AFTER) & ~Q(kind=Kind.OTP))
        )
        .order_by("pk")
        .values_list("pk", "kind")
    )
    bulk = [message_id for message_id, kind in due if kind != Kind.OTP]
    for message_id, kind in due:
        if kind == Kind.OTP:
            _schedule_delivery(message_id, kind)
    for start in range(0, len(bulk), MANY_CHUNK):
        _schedule_many(bulk[start : start + MANY_CHUNK])
    return len(due)


def latest_message(*, recipient: str, kind: str) -> Message | None:
    """The newest message of `kind` to `recipient` (any spelling of a phone number), or None."""
    return (
        Message.objects.filter(recipient=_normalised_recipient(recipient), kind=kind)
        .order_by("-created_at", "-pk")
        .first()
    )


def max_attempts() -> int:
    return int(notification_settings()["max_attempts"])


# The worker takes higher priorities first. A sign-in code is awaited by someone with the page open; publishing an
# allocation queues one message per applicant (140,000 at 200,000 residents), which must not hold those codes,
# nor the exports and runs at the default priority, for half an hour.
URGENT_PRIORITY = 50
BULK_PRIORITY = -10


def delivery_priority(kind: str) -> int:
    return URGENT_PRIORITY if kind == Kind.OTP else BULK_PRIORITY


def _schedule_delivery(message_id: int, kind: str) -> None:
    # Imported here: tasks.py imports this module.
    from .tasks import deliver_message

    task = deliver_message.using(priority=delivery_priority(kind))
    # robust: the caller's change has committed; a queue that is down must not turn it into an error page.
    # The message stays `queued` and the periodic retry picks it up.
    transaction.on_commit(lambda: task.enqueue(message_id), robust=True)


def _record_failure(message: Message, reason: str) -> None:
    Message.objects.filter(pk=message.pk, status=MessageStatus.SENDING).update(
        status=MessageStatus.FAILED, attempts=F("attempts") + 1, last_error=reason[:LAST_ERROR_CHARS]
    )
    logger.warning("notification %s (%s) failed: %s", message.pk, message.channel, reason)


def _checked_recipient(channel: str, recipient: str) -> str:
    if channel in PHONE_CHANNELS:
        phone = _phone(recipient)
        if phone is None:
            raise NotificationError(NotificationError.BAD_PHONE, recipient=_tail(recipient))
        return phone
    address = recipient.strip()
    try:
        validate_email(address)
    except ValidationError as error:
        raise NotificationError(NotificationError.BAD_EMAIL, recipient=_tail(recipient)) from error
    return address


def _tail(recipient: str) -> str:
    """Enough of a refused phone or address for staff to recognise it in the worker's log, which callers write
    the error to: not the whole of it (personal data in logs, UU PDP)."""
    return f"…{recipient.strip()[-3:]}"


def _normalised_recipient(recipient: str) -> str:
    if "@" in recipient:
        return recipient.strip()
    return _phone(recipient) or recipient.strip()


def _phone(recipient: str) -> str | None:
    """E.164, or None. Indonesian numbers must be mobile (SMS and WhatsApp reach nothing else); a foreign
    number is accepted as written in E.164."""
    compact = _SEPARATORS.sub("", recipient)
    if compact.startswith("+") and not compact.startswith("+62"):
        return compact if _E164.fullmatch(compact) else None
    return phone_or_none(recipient)
