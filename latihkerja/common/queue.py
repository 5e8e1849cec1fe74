"""What the background queue still holds: work taken up after a worker stopped must not be done twice, nor
undone while a call of it still waits its turn."""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet


def _database_queue() -> bool:
    """Whether tasks wait in the database (django-tasks-db, the default); other backends keep no queue here."""
    return bool(settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend")


def waiting_in_queue(task: Any, first_arg: int) -> bool:
    """Whether a call of `task` whose first argument is `first_arg` waits in the database queue, not yet taken
    by a worker (it will run when one is free). Always False with another task backend (nothing waits)."""
    if not _database_queue():
        return False
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    calls = DBTaskResult.objects.filter(
        task_path=task.module_path, status=TaskResultStatus.READY
    ).values_list("args_kwargs", flat=True)
    return any((call.get("args") or [None])[0] == first_arg for call in calls)


def oldest_waiting_since(*, above_priority: int) -> dt.datetime | None:
    """When the oldest task due now with a priority above `above_priority` was queued (None when none waits,
    or with another task backend): how long a worker has left work waiting (`/healthz`)."""
    if not _database_queue():
        return None
    from django_tasks_db.models import DBTaskResult

    return (
        DBTaskResult.objects.ready()
        .filter(priority__gt=above_priority)
        .order_by("enqueued_at")
        .values_list("enqueued_at", flat=True)
        .first()
    )


def schedule_lost(stale: QuerySet[Any], status: str, task: Any, *, now: dt.datetime) -> int:
    """Schedule `task(pk)` again for each row of `stale` still in `status` whose call no longer waits in the
    queue: its task was lost (an enqueue that failed after the commit) or died with its worker. Each row's
    `updated_at` moves to `now` in the same conditional update, so the next round waits again. Returns how
    many were scheduled."""
    scheduled = 0
    for pk in stale.filter(status=status).values_list("pk", flat=True):
        if waiting_in_queue(task, pk):
            continue  # it runs when a worker is free
        with transaction.atomic():
            if stale.model.objects.filter(pk=pk, status=status).update(updated_at=now):
                transaction.on_commit(partial(task.enqueue, pk), robust=True)
                scheduled += 1
    return scheduled
