from typing import Any

from django.core.management.base import BaseCommand

from latihkerja.allocation.tasks import expire_offers


class Command(BaseCommand):
    help = "Enqueue the expiry of seat offers past their deadline (run it every few minutes from cron)."

    def handle(self, *args: Any, **options: Any) -> None:
        result = expire_offers.enqueue()
        self.stdout.write(f"expire_offers enqueued (task {result.id})")
