"""State changes of the reports app: recomputing a period's summary rows and requesting report files."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from latihkerja.audit.services import record_event
from latihkerja.batches.enums import BatchStatus
from latihkerja.batches.models import Batch
from latihkerja.programs.models import Period

from .compute import compute_figures
from .enums import ExportFormat, ExportStatus
from .errors import ReportsError
from .models import Figure, FigureRefresh, ReportExport

BULK_SIZE = 5000


def refresh_figures(*, period: Period) -> FigureRefresh:
    """Recompute every figure of `period` from the raw tables and swap them in, in one transaction, so readers
    see either the old set or the new one, never half of each."""
    started = time.perf_counter()
    as_of = timezone.now()  # what the figures describe; shown as "data per"
    result = compute_figures(period, now=as_of)
    rows = [
        (
            period.pk,
            str(scope),
            scope_id,
            str(dimension),
            key,
            str(result.labels[(dimension, key)])[:200],
            str(measure),
            value,
        )
        for (scope, scope_id, dimension, key, measure), value in result.values.items()
    ]
    with transaction.atomic():
        # One swap at a time per period: two refreshes at once would each delete only the rows they saw and
        # then both insert (a unique-constraint error). FOR NO KEY UPDATE does not block inserts referencing it.
        Period.objects.select_for_update(no_key=True).filter(pk=period.pk).first()
        _swap(period, rows)
        refresh, _ = FigureRefresh.objects.update_or_create(
            period=period,
            defaults={
                "refreshed_at": as_of,
                "duration_ms": int((time.perf_counter() - started) * 1000),
                "figure_count": len(rows),
            },
        )
    return refresh


# Above this share of changed rows, replacing the whole set is cheaper than touching each changed row.
REWRITE_ABOVE = 0.2


def _swap(period: Period, rows: list[tuple[Any, ...]]) -> None:
    """Make the stored figures of `period` equal `rows`, writing only what changed: between two refreshes a few
    cells change out of ~100,000, and rewriting every row costs seconds and leaves as many dead rows behind."""
    stored = {
        (scope, scope_id, dimension, key, measure): (pk, label, value)
        for pk, scope, scope_id, dimension, key, label, measure, value in Figure.objects.filter(
            period=period
        ).values_list("pk", "scope", "scope_id", "dimension", "key", "label", "measure", "value")
    }
    inserted, updated = [], []
    for row in rows:
        old = stored.pop((row[1], row[2], row[3], row[4], row[6]), None)
        if old is None:
            inserted.append(row)
        elif (old[1], old[2]) != (row[5], row[7]):
            updated.append((old[0], row[5], row[7]))
    deleted = [pk for pk, _label, _value in stored.values()]
    if len(inserted) + len(updated) + len(deleted) > REWRITE_ABOVE * max(len(rows), 1):
        Figure.objects.filter(period=period).delete()
        _insert(rows)
        return
    for start in range(0, len(deleted), BULK_SIZE):
        Figure.objects.filter(pk__in=deleted[start : start + BULK_SIZE]).delete()
    if updated:
        Figure.objects.bulk_update(
            [Figure(pk=pk, label=label, value=value) for pk, label, value in updated],
            ["label", "value"],
            batch_size=BULK_SIZE,
        )
    _insert(inserted)


def _insert(rows: list[tuple[Any, ...]]) -> None:
    """Plain COPY (PostgreSQL) or executemany: the ORM's per-field preparation of 100,000 rows costs seconds."""
    from django.db import connection

    if not rows:
        return

    columns = ["period_id", "scope", "scope_id", "dimension", "key", "label", "measure", "value"]
    table = Figure._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        placeholders = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})"  # noqa: S608 - fixed names
        for start in range(0, len(rows), BULK_SIZE):
            cursor.executemany(sql, rows[start : start + BULK_SIZE])


# A period still changes for a while after its last day (late outcomes, certificates); after that its figures
# are final and it is refreshed only on request (`refresh_reports --all` or `--period`).
LIVE_AFTER_END = dt.timedelta(days=60)
UNFINISHED = [s for s in BatchStatus.values if s not in (BatchStatus.COMPLETED, BatchStatus.CANCELLED)]


def live_periods() -> Any:
    """The periods whose figures can still change: not ended more than LIVE_AFTER_END ago, or with registration
    still open, or with a batch not yet completed or cancelled (a period run late, past its planned dates), and
    any never refreshed (its first summary)."""
    since = timezone.localdate() - LIVE_AFTER_END
    unfinished = Batch.objects.filter(period=OuterRef("pk"), status__in=UNFINISHED)
    return Period.objects.filter(
        Q(ends_on__gte=since)
        | Q(registration_closes_at__gte=timezone.now())
        | Exists(unfinished)
        | Q(figure_refresh__isnull=True)
    ).order_by("starts_on")


def refresh_all(*, periods: Any = None) -> list[FigureRefresh]:
    """Refresh the given periods, by default the live ones (`live_periods`)."""
    chosen = periods if periods is not None else live_periods()
    return [refresh_figures(period=period) for period in chosen]


def request_export(*, period: Period, scope: str, scope_id: int, format: str, actor: Any) -> ReportExport:
    """Queue a report file of one scope for the worker; the requester follows its status page.

    While the same requester's file of the same period, scope and format is still queued or being made, that
    export is returned instead of a second one (a double click). The requester's row lock makes this hold for
    requests that arrive together."""
    if format not in ExportFormat.values:
        raise ReportsError(ReportsError.BAD_FORMAT)
    from .tasks import build_report_export

    with transaction.atomic():
        get_user_model().objects.select_for_update().filter(pk=actor.pk).first()
        in_flight = ReportExport.objects.filter(
            period=period,
            scope=scope,
            scope_id=scope_id,
            format=format,
            requested_by=actor,
            status__in=(ExportStatus.QUEUED, ExportStatus.RUNNING),
        ).first()
        if in_flight is not None:
            return in_flight
        export = ReportExport.objects.create(
            period=period, scope=scope, scope_id=scope_id, format=format, requested_by=actor
        )
        record_event(actor=actor, action="reports.export_requested", target=export, detail={"format": format})
        transaction.on_commit(lambda: build_report_export.enqueue(export.pk))
    return export


def build_export(*, export_id: int) -> ReportExport:
    """Generate the file of a queued export (idempotent: a claimed or finished export is left alone)."""
    from .exports import render_export

    claimed = ReportExport.objects.filter(pk=export_id, status=ExportStatus.QUEUED).update(
        status=ExportStatus.RUNNING
    )
    export = ReportExport.objects.get(pk=export_id)
    if not claimed:
        return export
    try:
        content, filename = render_export(export)
    except Exception:
        ReportExport.objects.filter(pk=export_id).update(
            status=ExportStatus.FAILED, finished_at=timezone.now()
        )
        raise
    ReportExport.objects.filter(pk=export_id).update(
        status=ExportStatus.DONE, content=content, filename=filename, finished_at=timezone.now()
    )
    export.refresh_from_db()
    return export
