"""Background work of bulk imports: thin, given ids, idempotent (each service claims its import first)."""

from __future__ import annotations

from django_tasks import task

from latihkerja.accounts.models import User
from latihkerja.notifications.services import BULK_PRIORITY

from . import imports, services


@task()
def validate_import(import_id: int) -> str:
    """Check an uploaded import; returns its status afterwards (`valid` or `invalid`)."""
    return imports.validate_import(import_id).status


@task()
def commit_import(import_id: int, actor_id: int) -> str:
    """Write a claimed import; returns its status afterwards (`committed` or `failed`)."""
    actor = User.objects.filter(pk=actor_id).first()
    return imports.commit_import(import_id, actor).status


@task()
def notify_imported_task(import_id: int) -> int:
    """Tell the residents of a committed import that their registration is recorded; returns how many."""
    return imports.notify_imported(import_id)


@task()
def expire_stale_imports() -> int:
    """Fail valid imports left uncommitted for a week and delete their files. Run daily (cron)."""
    return imports.expire_stale_imports()


@task(priority=BULK_PRIORITY)
def notify_interested_task(period_id: int) -> int:
    """Tell residents interested in the themes of a period's open classes nearby that registration is open;
    returns how many messages were queued. Bulk work: after sign-in codes, exports and runs."""
    return services.notify_interested(period_id)


@task(priority=BULK_PRIORITY)
def notify_interested_now() -> int:
    """The same for every open class of the periods taking registrations, skipping residents already told
    (the hourly `notify_interested` command); returns how many messages were queued."""
    return services.notify_interested_now()
