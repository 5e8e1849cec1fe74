from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from latihkerja.accounts.models import User
from latihkerja.common.demo import DEMO_PASSWORD, demo_accounts


class Command(BaseCommand):
    help = "Print the demo logins (one per role) created by seed_demo."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--url", default="http://127.0.0.1:8000", help="where the app is served")

    def handle(self, *args: Any, **options: Any) -> None:
        existing = set(User.objects.values_list("username", flat=True))
        url = options["url"].rstrip("/")
        self.stdout.write(
            f"LatihKerja: {url}/  —  demo logins (password for all: {DEMO_PASSWORD}) at {url}/akun/masuk/"
        )
        for account in demo_accounts():
            if account.username in existing:
                self.stdout.write(f"  {account.username:<20} {account.description}")
        self.stdout.write(
            f"Residents register at {url}/daftar/ with any mobile number; in development the SMS codes are "
            f"printed by the worker and listed at {url}/dev/outbox/"
        )
