from typing import Any

from django.core.management.base import BaseCommand

from latihkerja.allocation.services import recover_stalled_runs
from latihkerja.demand.imports import recover_stalled_imports as recover_demand_imports
from latihkerja.planning.services import recover_stalled_plans
from latihkerja.registration.imports import recover_stalled_imports as recover_registration_imports


class Command(BaseCommand):
    help = (
        "Take up the background work a worker took and never finished (it died, or lost its database): "
        "allocation runs and publications, plans, and registration and demand imports left in progress for "
        "30 minutes are put back or scheduled again. Runs here, not in the worker (run it every 10 minutes "
        "from cron)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        counts = {
            "allocation runs": recover_stalled_runs(),
            "plans": recover_stalled_plans(),
            "registration imports": recover_registration_imports(),
            "demand imports": recover_demand_imports(),
        }
        self.stdout.write(", ".join(f"{name} {count}" for name, count in counts.items()))
