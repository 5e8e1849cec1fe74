from typing import Any

from django.core.management.base import BaseCommand

from latihkerja.notifications.tasks import retry_failed_messages


class Command(BaseCommand):
    help = "Enqueue the retry of failed notifications (run it periodically, e.g. every 10 minutes from cron)."

    def handle(self, *args: Any, **options: Any) -> None:
        result = retry_failed_messages.enqueue()
        self.stdout.write(f"retry_failed_messages enqueued (task {result.id})")
