"""Background work of the reports: thin, given ids, idempotent."""

from __future__ import annotations

from django_tasks import task

from latihkerja.programs.models import Period

from . import services


@task()
def refresh_period_figures(period_id: int) -> int:
    """Recompute one period's summary rows; returns how many figures it holds."""
    return services.refresh_figures(period=Period.objects.get(pk=period_id)).figure_count


@task()
def build_report_export(export_id: int) -> str:
    return services.build_export(export_id=export_id).status
