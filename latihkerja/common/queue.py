"""What the background queue still holds: work taken up after a worker stopped must not be done twice, nor
undone while a call of it still waits its turn."""

from __future__ import annotations

from typing import Any

from django.conf import settings


def waiting_in_queue(task: Any, first_arg: int) -> bool:
    """Whether a call of `task` whose first argument is `first_arg` waits in the database queue, not yet taken
    by a worker (it will run when one is free). Always False with another task backend (nothing waits)."""
    if settings.TASKS["default"]["BACKEND"] != "django_tasks_db.DatabaseBackend":
        return False
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    calls = DBTaskResult.objects.filter(
        task_path=task.module_path, status=TaskResultStatus.READY
    ).values_list("args_kwargs", flat=True)
    return any((call.get("args") or [None])[0] == first_arg for call in calls)
