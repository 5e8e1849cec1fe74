"""Background work of the outbox: thin, given ids, idempotent (the claim in `services.deliver` makes them so)."""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def deliver_message(message_id: int) -> str:
    """Send one queued message; returns its status afterwards (shown in the task result)."""
    message = services.deliver(message_id)
    return message.status if message is not None else "deleted"


@task()
def deliver_messages(message_ids: list[int]) -> int:
    """Send a chunk of messages queued together (`services.queue_many`); returns how many were sent."""
    sent = 0
    for message_id in message_ids:
        message = services.deliver(message_id)  # never raises for a provider; None for a deleted message
        sent += message is not None and message.status == "sent"
    return sent


@task()
def retry_failed_messages() -> int:
    """Enqueue failed messages that have attempts left (and queued ones whose task was lost).

    Run it periodically, e.g. every 10 minutes from cron: `manage.py retry_failed_messages`.
    """
    return services.requeue_undelivered_messages()
