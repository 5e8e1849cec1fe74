"""Background work of demand imports: thin, given ids, idempotent (the service claims the import's status)."""

from __future__ import annotations

from django_tasks import task

from . import imports


@task()
def validate_demand_import(import_id: int) -> str:
    """Check an uploaded demand import; returns its status afterwards (`valid` or `invalid`)."""
    return imports.validate_import(import_id).status
