"""An import adding class choices to residents already registered while those same residents submit online:
each ends with one application, and the import either saves every row or none (no deadlock, no 500)."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from latihkerja.registration.imports import RegistrationImportError, commit_import, create_import
from latihkerja.registration.models import Application, ImportStatus, RegistrationImport
from latihkerja.registration.services import Submission, submit_application
from latihkerja.residents.models import Resident
from tests.concurrency.conftest import run_in_parallel
from tests.factories import BatchFactory, PeriodFactory, ResidentFactory
from tests.imports.conftest import csv_bytes, nik_for, person_birth, row

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

PEOPLE = 12


def test_an_import_and_the_same_residents_submitting_online_at_once_leave_one_application_each(
    reference_data, operator_blk_a, center_a
):
    now = timezone.now()
    period = PeriodFactory(
        registration_opens_at=now - dt.timedelta(days=1), registration_closes_at=now + dt.timedelta(days=30)
    )
    for code in ("a-1", "a-2"):
        BatchFactory(code=code, period=period, center=center_a, status="open")
    residents = [
        ResidentFactory(nik=nik_for(n), birth_date=person_birth(n), full_name=f"Warga Impor {chr(65 + n)}")
        for n in range(PEOPLE)
    ]
    registration_import = create_import(
        period=period,
        uploaded_by=operator_blk_a,
        upload=SimpleUploadedFile("pilihan.csv", csv_bytes([row(n) for n in range(PEOPLE)])),
    )  # checked by the task after this commit (immediate backend)
    registration_import.refresh_from_db()
    assert (registration_import.status, registration_import.known_count) == (ImportStatus.VALID, PEOPLE)

    outcomes = run_in_parallel(
        [lambda: commit_import(registration_import.pk, operator_blk_a)]
        + [
            lambda r=r: submit_application(resident=r, period=period, batch_codes=["a-2"], actor=None)
            for r in residents
        ],
        workers=PEOPLE + 1,
    )

    imported, *online = outcomes
    assert all(isinstance(o, Submission) for o in online), online
    assert isinstance(imported, RegistrationImport), imported
    final = RegistrationImport.objects.get(pk=registration_import.pk)
    assert final.status in (ImportStatus.COMMITTED, ImportStatus.FAILED)
    if final.status == ImportStatus.FAILED:  # some resident applied first: the import saved nothing
        assert {p["message"] for p in final.errors} == {str(RegistrationImportError.NIK_APPLIED)}
    assert Application.objects.filter(period=period).count() == PEOPLE
    assert Resident.objects.count() == PEOPLE
