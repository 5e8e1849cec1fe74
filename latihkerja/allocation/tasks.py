"""Background work of allocation: thin, given ids, idempotent (each service claims its rows first)."""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def execute_allocation_run(run_id: int) -> str:
    """Compute a queued run; returns its status afterwards (`done` or `failed`; unchanged if not queued)."""
    return services.execute_run(run_id).status


@task()
def publish_allocation_run(run_id: int, actor_id: int, site_url: str) -> str:
    """Publish a run Bappeda asked to publish (`services.request_publication`); returns its status after."""
    return services.publish_in_background(run_id, actor_id, site_url)


@task()
def expire_offers() -> int:
    """Expire offers past their deadline and promote the wait lists. Run every few minutes (cron)."""
    return services.expire_offers()
