from typing import Any

from django.core.management.base import BaseCommand

from latihkerja.registration.tasks import notify_interested_now


class Command(BaseCommand):
    help = (
        "Enqueue the 'classes you wanted are open' SMS for residents not told yet: those whose class opened "
        "before the registration window did, and interest recorded after it opened (run it hourly from cron)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = notify_interested_now.enqueue()
        self.stdout.write(f"notify_interested_now enqueued (task {result.id})")
