"""Delete or blank personal data kept past its retention period (`settings.RETENTION_DAYS`, docs/privacy.md).

Run daily from cron. Each app declares what it purges in its `privacy.py` (`@retention`); erased residents keep
what the programme's figures count, without identity, as when Bappeda grants a deletion request.
"""

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from latihkerja.residents.privacy import purge_expired


class Command(BaseCommand):
    help = "Delete or blank personal data kept past its retention period (settings.RETENTION_DAYS)."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = purge_expired(timezone.now())
        self.stdout.write(", ".join(f"{kind}: {count}" for kind, count in counts.items()))
