"""The embedded task queue: a task enqueued through the Tasks API is run by `manage.py db_worker`."""

import pytest
from django.core.management import call_command
from django.test import override_settings
from django_tasks import task
from django_tasks.base import TaskResultStatus

from latihkerja.regions.models import Kecamatan

# The worker closes its database connection between tasks, as in production: a transactional test.
pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@task()
def rename_kecamatan(code: str, name: str) -> str:
    Kecamatan.objects.filter(code=code).update(name=name)
    return name


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_worker_runs_a_queued_task_when_started_in_batch_mode(reference_data):
    result = rename_kecamatan.enqueue("36.71.01", "Tangerang (diubah oleh pekerja)")
    assert result.status == TaskResultStatus.READY

    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)

    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == "Tangerang (diubah oleh pekerja)"
    assert Kecamatan.objects.get(code="36.71.01").name == "Tangerang (diubah oleh pekerja)"
