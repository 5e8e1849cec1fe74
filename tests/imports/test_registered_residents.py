"""Paper class choices of residents already registered: a centre imports interests before the classes open,
then the same residents' class choices once they are open. A row whose NIK, name and birth date match a
registered resident with no application in the period adds the application; the stored profile stays."""

import pytest
from django.urls import reverse

from latihkerja.audit.models import AuditEvent
from latihkerja.notifications.models import Message
from latihkerja.registration import imports
from latihkerja.registration.enums import Source
from latihkerja.registration.imports import RegistrationImportError as E
from latihkerja.registration.imports import commit_import
from latihkerja.registration.models import Application, Consent, ImportStatus
from latihkerja.residents.crypto import digest_identity
from latihkerja.residents.models import Resident
from tests.factories import ResidentFactory
from tests.imports.conftest import committed, csv_bytes, nik_for, person_birth, row, triples

pytestmark = pytest.mark.integration

NO_CLASS = {"pilihan_1": "", "pilihan_2": ""}


def resident(n):
    return Resident.objects.get(nik_digest=digest_identity(nik_for(n)))


def test_choices_of_residents_imported_with_interests_are_added_without_touching_their_profile(
    run_import, operator_blk_a, batches, open_period, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    first = committed(run_import, operator_blk_a, csv_bytes([row(0, **NO_CLASS, minat="BARISTA")]), capture)
    stored = resident(0)
    Message.objects.all().delete()

    # The paper form of the class choices: same person, the name typed in capitals, another phone and
    # address this time, and one theme more.
    later = row(
        0,
        nama="  WARGA IMPOR  A ",
        no_hp="081377778888",
        alamat="Jl. Lain No. 9",
        minat="BARISTA; TATA_BOGA",
    )
    second = run_import(operator_blk_a, csv_bytes([later, row(1)]))

    assert triples(second) == []
    assert (second.status, second.valid_count, second.known_count) == (ImportStatus.VALID, 2, 1)
    assert [(item["row"], item["known"]) for item in second.preview] == [(2, True), (3, False)]

    with capture(execute=True):
        result = commit_import(second.pk, operator_blk_a)
    imports.notify_imported(result.pk)  # a retried task sends nothing twice

    assert result.status == ImportStatus.COMMITTED
    assert Resident.objects.count() == 2
    again = resident(0)
    assert (again.pk, again.full_name, again.phone, again.address) == (
        stored.pk,
        "Warga Impor A",
        stored.phone,
        stored.address,
    )
    assert sorted(again.interests.values_list("code", flat=True)) == ["BARISTA", "TATA_BOGA"]
    application = Application.objects.get(resident=again, period=open_period)
    assert application.source == Source.IMPORT
    assert list(application.choices.order_by("rank").values_list("batch__code", flat=True)) == ["a-1", "a-2"]
    assert Consent.objects.filter(resident=again).count() == 2  # signed on each paper form
    sent = sorted(Message.objects.values_list("kind", "recipient"))
    assert sent == [
        ("application_submitted", stored.phone),  # the stored number, not the one on the new form
        ("application_submitted", "+6281200000001"),
    ]
    event = AuditEvent.objects.about(result).get(action="registration_import.committed")
    assert event.detail["registered_before"] == 1
    assert first.known_count == 0


def test_a_registered_nik_with_another_name_or_birth_date_is_refused(run_import, operator_blk_a, batches):
    ResidentFactory(nik=nik_for(0), birth_date=person_birth(0), full_name="Warga Impor A")
    ResidentFactory(nik=nik_for(1), birth_date=person_birth(1), full_name="Orang Lain")

    # Row 2 is the registered person; row 3's NIK is registered under another name.
    registration_import = run_import(operator_blk_a, csv_bytes([row(0), row(1)]))

    assert triples(registration_import) == [(3, "nik", str(E.NIK_REGISTERED))]
    assert registration_import.known_count == 1

    # The stored birth date differs from the form's (the NIK rules hold for the form's).
    Resident.objects.filter(full_name="Warga Impor A").update(birth_date=person_birth(5))
    registration_import = run_import(operator_blk_a, csv_bytes([row(0)]))

    assert triples(registration_import) == [(2, "nik", str(E.NIK_REGISTERED))]
    assert registration_import.known_count == 0


def test_a_registered_resident_who_already_applied_in_the_period_is_still_refused(
    run_import, operator_blk_a, batches, open_period
):
    registered = ResidentFactory(nik=nik_for(0), birth_date=person_birth(0), full_name="Warga Impor A")
    Application.objects.create(resident=registered, period=open_period)

    registration_import = run_import(operator_blk_a, csv_bytes([row(0)]))

    assert triples(registration_import) == [(2, "nik", str(E.NIK_APPLIED))]


def test_a_row_with_another_error_is_not_also_judged_on_its_registered_nik(
    run_import, operator_blk_a, batches
):
    ResidentFactory(nik=nik_for(0), birth_date=person_birth(0), full_name="Orang Lain")

    registration_import = run_import(operator_blk_a, csv_bytes([row(0, pendidikan="tk")]))

    assert triples(registration_import) == [(2, "pendidikan", str(E.EDUCATION_VALUE))]


def test_nothing_is_written_when_a_registered_resident_applies_online_between_validation_and_commit(
    run_import, operator_blk_a, batches, open_period, django_capture_on_commit_callbacks
):
    registered = ResidentFactory(nik=nik_for(1), birth_date=person_birth(1), full_name="Warga Impor B")
    registration_import = run_import(operator_blk_a, csv_bytes([row(0), row(1)]))
    assert (registration_import.status, registration_import.known_count) == (ImportStatus.VALID, 1)
    Application.objects.create(resident=registered, period=open_period)

    with django_capture_on_commit_callbacks(execute=True):
        result = commit_import(registration_import.pk, operator_blk_a)

    assert result.status == ImportStatus.FAILED
    assert triples(result) == [(3, "nik", str(E.NIK_APPLIED))]
    assert Resident.objects.count() == 1
    assert Application.objects.count() == 1
    assert not Consent.objects.exists()


def test_the_preview_page_counts_and_marks_the_rows_of_registered_residents(
    login, run_import, operator_blk_a, batches
):
    ResidentFactory(nik=nik_for(0), birth_date=person_birth(0), full_name="Warga Impor A")
    registration_import = run_import(operator_blk_a, csv_bytes([row(0), row(1)]))

    page = login(operator_blk_a).get(reverse("imports:detail", args=[registration_import.pk]))

    html = page.content.decode()
    assert '<dd id="known-count">1</dd>' in html
    assert "1 baris milik warga yang sudah terdaftar" in html
    assert html.count("sudah terdaftar: hanya pilihan ditambahkan") == 1


def test_a_registered_resident_who_holds_a_seat_gets_no_application(run_import, operator_blk_a, batches):
    """A seat taken first come, first served comes without an application: the online form refuses new
    choices then (`SEAT_HELD`), and so does the import."""
    from latihkerja.batches.models import Enrollment, EnrollmentStatus

    seated = ResidentFactory(nik=nik_for(0), birth_date=person_birth(0), full_name="Warga Impor A")
    Enrollment.objects.create(
        batch=batches["a-3"], period=batches["a-3"].period, resident=seated, status=EnrollmentStatus.ACTIVE
    )

    registration_import = run_import(operator_blk_a, csv_bytes([row(0)]))

    assert triples(registration_import) == [(2, "nik", str(E.NIK_SEATED))]
    assert not Application.objects.exists()


def test_a_registered_resident_without_a_class_choice_is_refused_as_nothing_would_be_added(
    run_import, operator_blk_a, batches
):
    ResidentFactory(nik=nik_for(0), birth_date=person_birth(0), full_name="Warga Impor A")

    registration_import = run_import(operator_blk_a, csv_bytes([row(0, **NO_CLASS, minat="BARISTA")]))

    assert triples(registration_import) == [(2, "nik", str(E.NIK_REGISTERED_NO_CHOICE))]


def test_names_match_whatever_their_unicode_form_or_apostrophe(run_import, operator_blk_a, batches):
    import unicodedata

    ResidentFactory(
        nik=nik_for(0), birth_date=person_birth(0), full_name=unicodedata.normalize("NFD", "Nur’aini Zulfé")
    )

    registration_import = run_import(operator_blk_a, csv_bytes([row(0, nama="NUR'AINI ZULFÉ")]))

    assert triples(registration_import) == []
    assert registration_import.known_count == 1


def test_the_preview_of_a_registered_resident_shows_what_is_stored_not_the_forms_profile(
    run_import, operator_blk_a, batches
):
    ResidentFactory(
        nik=nik_for(0), birth_date=person_birth(0), full_name="Warga Impor A", phone="+6281299990123"
    )

    registration_import = run_import(
        operator_blk_a, csv_bytes([row(0, nama="WARGA IMPOR A", no_hp="081377778888", kelurahan="Cipondoh")])
    )

    item = registration_import.preview[0]
    assert (item["name"], item["phone"], item["kelurahan"], item["known"]) == (
        "Warga Impor A",
        "…123",
        "Sukarasa",
        True,
    )
