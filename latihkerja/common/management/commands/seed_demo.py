from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from latihkerja.common.demo import seed_demo
from latihkerja.residents.models import Resident


class Command(BaseCommand):
    help = "Create reproducible synthetic demo data (idempotent: a second run adds nothing twice)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--residents", type=int, default=2000, help="number of residents (default 2000)")
        parser.add_argument("--seed", type=int, default=2020, help="random seed (default 2020)")
        parser.add_argument("--if-empty", action="store_true", help="do nothing when residents already exist")
        parser.add_argument(
            "--applicants",
            type=float,
            default=0.0,
            help="share of residents (0-1) who register for the open classes, for an allocation preview (default 0)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["residents"] < 0 or options["residents"] > 5_000_000:
            raise CommandError("--residents must be between 0 and 5000000")
        if not 0 <= options["applicants"] <= 1:
            raise CommandError("--applicants must be between 0 and 1")
        if options["if_empty"] and Resident.objects.exists():
            self.stdout.write("Demo data already present: nothing to do.")
            return
        counts = seed_demo(
            residents=options["residents"],
            seed=options["seed"],
            delivery=True,
            applicants=options["applicants"],
        )
        self.stdout.write("Demo data: " + ", ".join(f"{n} {name}" for name, n in counts.items()))
