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
    """Send a chunk of messages queued together (`services.queue_many`), for at most a time slice (the rest
    goes back to the queue); returns how many were sent."""
    return services.deliver_many(message_ids)


@task()
def retry_failed_messages() -> int:
    """Enqueue failed messages that have attempts left (and queued ones whose task was lost).

    Run it periodically, e.g. every 10 minutes from cron: `manage.py retry_failed_messages`.
    """
    return services.requeue_undelivered_messages()
