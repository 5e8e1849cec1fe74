"""`manage.py refresh_reports [--period CODE] [--every SECONDS]`: recompute the dashboard's summary rows.

With `--every` it starts a refresh every SECONDS (start to start; back to back when a refresh takes longer). Each
refresh reads one snapshot, so a change committed just after a refresh began is in the next one: it reaches the
dashboard within max(SECONDS, R) + R, R being the time of one refresh (about 12 s at 1,000,000 residents on
PostgreSQL: docs/bench-dashboard.md). By default only the live periods are
refreshed (`services.live_periods`); `--all` includes the closed ones, for a nightly reconciliation."""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, close_old_connections

from latihkerja.programs.models import Period
from latihkerja.reports.services import refresh_all

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Recompute the dashboard's summary tables from the raw tables."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--period", help="period code (default: every period)")
        parser.add_argument("--every", type=float, default=0, help="repeat every SECONDS (0 = once)")
        parser.add_argument("--all", action="store_true", help="every period, closed ones included")

    def handle(
        self, *args: Any, period: str | None = None, every: float = 0, all: bool = False, **options: Any
    ) -> None:
        periods = list(Period.objects.order_by("starts_on")) if all else None
        if period:
            periods = list(Period.objects.filter(code=period))
            if not periods:
                raise CommandError(f"unknown period {period!r}")
        while True:
            started = time.monotonic()
            if options.get("verbosity", 1) >= 2:
                self.stdout.write("refreshing")
                self.stdout.flush()
            try:
                for refresh in refresh_all(periods=periods):
                    self.stdout.write(
                        f"{refresh.period.code}: {refresh.figure_count} figures in {refresh.duration_ms} ms"
                    )
            except DatabaseError as error:
                if every <= 0:
                    raise
                # A lost connection or a restarting database must not stop the refresher for good.
                logger.exception("refresh failed; retrying at the next interval: %s", error)
                close_old_connections()
            self.stdout.flush()
            if every <= 0:
                return
            time.sleep(max(0.0, every - (time.monotonic() - started)))
