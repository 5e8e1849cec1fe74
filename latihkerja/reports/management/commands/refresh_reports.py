"""`manage.py refresh_reports [--period CODE] [--every SECONDS]`: recompute the dashboard's summary rows.

With `--every` it loops (started beside the worker by `make run`), so the figures are never older than the
interval plus one refresh."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from latihkerja.programs.models import Period
from latihkerja.reports.services import refresh_all


class Command(BaseCommand):
    help = "Recompute the dashboard's summary tables from the raw tables."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--period", help="period code (default: every period)")
        parser.add_argument("--every", type=float, default=0, help="repeat every SECONDS (0 = once)")

    def handle(self, *args: Any, period: str | None = None, every: float = 0, **options: Any) -> None:
        periods = None
        if period:
            periods = list(Period.objects.filter(code=period))
            if not periods:
                raise CommandError(f"unknown period {period!r}")
        while True:
            for refresh in refresh_all(periods=periods):
                self.stdout.write(
                    f"{refresh.period.code}: {refresh.figure_count} figures in {refresh.duration_ms} ms"
                )
            if every <= 0:
                return
            time.sleep(every)
