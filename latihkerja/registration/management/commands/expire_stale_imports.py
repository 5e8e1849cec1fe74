from typing import Any

from django.core.management.base import BaseCommand

from latihkerja.registration.tasks import expire_stale_imports


class Command(BaseCommand):
    help = (
        "Enqueue the expiry of registration imports validated but never committed for 7 days; their files, "
        "which hold NIKs in clear, are deleted (run it daily from cron)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = expire_stale_imports.enqueue()
        self.stdout.write(f"expire_stale_imports enqueued (task {result.id})")
