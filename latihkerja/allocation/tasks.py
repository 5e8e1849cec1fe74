"""Background work of allocation: thin, given ids, idempotent (each service claims its rows first)."""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def execute_allocation_run(run_id: int) -> str:
    """Compute a queued run; returns its status afterwards (`done` or `failed`; unchanged if not queued)."""
    return services.execute_run(run_id).status


@task()
def expire_offers() -> int:
    """Expire offers past their deadline and promote the wait lists. Run every few minutes (cron)."""
    return services.expire_offers()
