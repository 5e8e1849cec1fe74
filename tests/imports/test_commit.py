"""All or nothing: a commit that fails on its last row leaves nothing behind (run on SQLite and PostgreSQL)."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from latihkerja.audit.models import AuditEvent
from latihkerja.registration import imports
from latihkerja.registration.errors import RegistrationError
from latihkerja.registration.imports import RegistrationImportError, commit_import
from latihkerja.registration.models import (
    Application,
    ApplicationChoice,
    Consent,
    ImportStatus,
    RegistrationImport,
)
from latihkerja.residents.models import Resident
from tests.factories import ResidentFactory
from tests.imports.conftest import csv_bytes, nik_for, person_birth, row, triples

pytestmark = pytest.mark.integration


def written() -> tuple[int, int, int, int]:
    return (
        Resident.objects.count(),
        Consent.objects.count(),
        Application.objects.count(),
        ApplicationChoice.objects.count(),
    )


def test_nothing_is_written_when_the_last_row_was_registered_between_validation_and_commit(
    run_import, operator_blk_a, batches
):
    registration_import = run_import(operator_blk_a, csv_bytes([row(0), row(1), row(2)]))
    assert registration_import.status == ImportStatus.VALID
    ResidentFactory(nik=nik_for(2), birth_date=person_birth(2), full_name="Mendaftar Sendiri")

    result = commit_import(registration_import.pk, operator_blk_a)

    assert result.status == ImportStatus.FAILED
    assert triples(result) == [(4, "nik", str(RegistrationImportError.NIK_REGISTERED))]
    assert written() == (1, 0, 0, 0)
    assert list(Resident.objects.values_list("full_name", flat=True)) == ["Mendaftar Sendiri"]
    assert not AuditEvent.objects.filter(action="registration_import.committed").exists()
    assert result.file.name == ""


def test_nothing_is_written_when_the_last_row_breaks_a_constraint_during_the_inserts(
    run_import, operator_blk_a, batches, monkeypatch
):
    """The checks passed, then the last row's NIK was taken at the same instant: the unique digest refuses it
    after rows 1 and 2 were written, and everything is rolled back."""
    registration_import = run_import(operator_blk_a, csv_bytes([row(0), row(1), row(2)]))
    monkeypatch.setattr(imports, "CHUNK", 1)  # one row per round of inserts
    rounds_done: list[str] = []

    def taken_at_the_same_instant(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        # Each round of inserts ends by reading back the new applications' ids.
        if (
            sql.startswith("SELECT")
            and 'FROM "registration_application"' in sql
            and '"resident_id" IN' in sql
        ):
            rounds_done.append(sql)
            if len(rounds_done) == 2:  # rows 1 and 2 are in; another registration takes row 3's NIK now
                ResidentFactory(nik=nik_for(2), birth_date=person_birth(2))
        return result

    with connection.execute_wrapper(taken_at_the_same_instant):
        result = commit_import(registration_import.pk, operator_blk_a)

    assert len(rounds_done) == 2
    assert result.status == ImportStatus.FAILED
    assert triples(result) == [(None, "", str(RegistrationImportError.CHANGED_MEANWHILE))]
    assert written() == (0, 0, 0, 0)


def test_nothing_is_written_when_a_chosen_batch_closed_between_validation_and_commit(
    run_import, operator_blk_a, batches
):
    registration_import = run_import(
        operator_blk_a, csv_bytes([row(0, pilihan_2=""), row(1, pilihan_1="a-3")])
    )
    batches["a-3"].status = "allocated"
    batches["a-3"].save()

    result = commit_import(registration_import.pk, operator_blk_a)

    assert triples(result) == [(3, "pilihan_1", str(RegistrationError.BATCH_NOT_OPEN) % {"code": "a-3"})]
    assert result.status == ImportStatus.FAILED
    assert written() == (0, 0, 0, 0)


def test_commit_changes_nothing_when_the_import_is_already_committed(run_import, operator_blk_a, batches):
    registration_import = run_import(operator_blk_a, csv_bytes([row(0), row(1)]))
    commit_import(registration_import.pk, operator_blk_a)

    result = commit_import(registration_import.pk, operator_blk_a)

    assert result.status == ImportStatus.COMMITTED
    assert written() == (2, 2, 2, 4)


def test_commit_is_refused_when_the_import_is_invalid(run_import, operator_blk_a, batches):
    registration_import = run_import(operator_blk_a, csv_bytes([row(0, nik="1")]))

    with pytest.raises(RegistrationImportError) as error:
        commit_import(registration_import.pk, operator_blk_a)

    assert error.value.message == str(RegistrationImportError.NOT_READY)
    registration_import.refresh_from_db()
    assert registration_import.status == ImportStatus.INVALID
    assert written() == (0, 0, 0, 0)


def test_valid_import_expires_and_loses_its_file_when_nobody_commits_it_for_a_week(
    run_import, operator_blk_a, batches
):
    fresh = run_import(operator_blk_a, csv_bytes([row(0)]))
    stale = run_import(operator_blk_a, csv_bytes([row(1)]))
    RegistrationImport.objects.filter(pk=stale.pk).update(updated_at=timezone.now() - dt.timedelta(days=8))

    call_command(
        "expire_stale_imports", stdout=io.StringIO()
    )  # what cron runs daily (tasks run at once here)

    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert (stale.status, stale.file.name) == (ImportStatus.FAILED, "")
    assert triples(stale) == [(None, "", str(RegistrationImportError.EXPIRED) % {"days": 7})]
    assert fresh.status == ImportStatus.VALID
    assert fresh.file.name != ""


def test_each_imported_resident_is_told_by_sms_once_that_their_choices_are_saved(
    run_import, operator_blk_a, batches, django_capture_on_commit_callbacks
):
    from latihkerja.notifications.models import Message

    ResidentFactory(phone="+6281299990000")  # registered online earlier: not part of this import
    registration_import = run_import(operator_blk_a, csv_bytes([row(0), row(1, pilihan_2="")]))

    with django_capture_on_commit_callbacks(execute=True):
        commit_import(registration_import.pk, operator_blk_a)
    imports.notify_imported(registration_import.pk)  # a retried task sends nothing twice

    sent = sorted(Message.objects.filter(kind="application_submitted").values_list("recipient", "body"))
    assert [recipient for recipient, _ in sent] == ["+6281200000000", "+6281200000001"]
    assert "2 pilihan kelas Anda" in sent[0][1]
    assert "1 pilihan kelas Anda" in sent[1][1]
    assert Message.objects.filter(kind="application_submitted").count() == 2


def test_an_import_abandoned_by_its_worker_is_checked_again_or_can_be_saved_again(
    run_import, operator_blk_a, batches, django_capture_on_commit_callbacks
):
    """A worker killed while saving left the import 'being saved 0%' for good, its file of NIKs in clear
    never deleted, and neither saving nor discarding allowed (resilience review)."""
    saving = run_import(operator_blk_a, csv_bytes([row(0)]))
    checking = run_import(operator_blk_a, csv_bytes([row(1)]))
    busy = run_import(operator_blk_a, csv_bytes([row(2)]))
    long_ago = timezone.now() - dt.timedelta(minutes=31)
    RegistrationImport.objects.filter(pk=saving.pk).update(
        status=ImportStatus.COMMITTING, updated_at=long_ago
    )
    RegistrationImport.objects.filter(pk=checking.pk).update(
        status=ImportStatus.VALIDATING, updated_at=long_ago
    )
    RegistrationImport.objects.filter(pk=busy.pk).update(status=ImportStatus.COMMITTING)

    with django_capture_on_commit_callbacks(execute=True):
        call_command("recover_stalled_work", stdout=io.StringIO())
    saving.refresh_from_db()
    imports.request_commit(registration_import=saving, actor=operator_blk_a)  # pressing "save" works again

    statuses = dict(RegistrationImport.objects.values_list("pk", "status"))
    assert statuses[checking.pk] == ImportStatus.VALID  # checked again by the worker
    assert statuses[busy.pk] == ImportStatus.COMMITTING  # a worker may still be on it
    assert statuses[saving.pk] == ImportStatus.COMMITTING
    assert written() == (0, 0, 0, 0)
    assert AuditEvent.objects.filter(action="registration_import.commit_interrupted").count() == 1


def test_recovery_leaves_an_import_whose_task_still_waits_its_turn_and_requeues_a_lost_check(
    run_import, operator_blk_a, batches, settings, django_capture_on_commit_callbacks
):
    """A save that has not started yet (the worker is down or busy) must not be reported as interrupted: the
    queued save would then write what the page says was not (diff review). A check whose task was lost is
    scheduled again."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django_tasks_db.models import DBTaskResult

    from latihkerja.registration import tasks

    waiting = run_import(operator_blk_a, csv_bytes([row(0)]))
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    RegistrationImport.objects.filter(pk=waiting.pk).update(status=ImportStatus.COMMITTING)
    tasks.commit_import.enqueue(waiting.pk, operator_blk_a.pk)  # in the queue, not taken by any worker
    lost = imports.create_import(
        period=waiting.period,
        uploaded_by=operator_blk_a,
        upload=SimpleUploadedFile("b.csv", csv_bytes([row(1)])),
    )  # its check was never enqueued (the commit hook did not run)
    long_ago = timezone.now() - dt.timedelta(minutes=31)
    RegistrationImport.objects.update(updated_at=long_ago)

    with django_capture_on_commit_callbacks(execute=True):
        call_command("recover_stalled_work", stdout=io.StringIO())

    assert RegistrationImport.objects.get(pk=waiting.pk).status == ImportStatus.COMMITTING
    assert [
        r.args_kwargs["args"][0]
        for r in DBTaskResult.objects.filter(task_path="latihkerja.registration.tasks.validate_import")
    ] == [lost.pk]
