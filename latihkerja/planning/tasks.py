"""Background work of planning: thin, given ids, idempotent (the service claims the plan first)."""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def execute_plan_task(run_id: int) -> str:
    """Compute a queued plan; returns its status afterwards (`done` or `failed`; unchanged if not queued)."""
    return services.execute_plan(run_id).status
