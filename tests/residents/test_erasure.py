"""UU PDP, the right to erasure: Bappeda grants a deletion request and the resident's data is erased there and
then; what must stay (attendance, certificates, the figures) stays without identity; a seat still in use or an
allocation awaiting publication blocks it with the reason, changing nothing."""

import io

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from latihkerja.accounts.models import OneTimeCode, User
from latihkerja.allocation.models import AllocationRun
from latihkerja.audit.models import AuditEvent
from latihkerja.notifications.models import Message
from latihkerja.notifications.services import queue_message
from latihkerja.registration.models import Application, Consent
from latihkerja.residents.errors import ResidentError
from latihkerja.residents.models import DeletionRequest, Resident
from latihkerja.residents.services import erase_resident, find_by_nik
from tests.factories import BatchFactory, ResidentFactory
from tests.factories.certificates import (
    CertificateFactory,
    EnrollmentFactory,
    OutcomeFactory,
    completed_batch,
)
from tests.factories.reports import make_application, make_enrollment

pytestmark = pytest.mark.integration

PHONE = "+6281234567890"


@pytest.fixture
def siti(resident, period):
    """Siti has an account, an application to one open class, messages and a sign-in code, and asks for deletion."""
    profile = ResidentFactory(user=resident, full_name="Siti Aminah", phone=PHONE, email="siti@example.id")
    Consent.objects.create(resident=profile, version="2020-10", text_digest="a" * 64, source="online")
    make_application(profile, period, [BatchFactory(period=period, status="open")])
    queue_message(
        channel="sms",
        recipient=PHONE,
        kind="registration_received",
        context={"name": profile.full_name},
        resident=profile,
    )
    queue_message(channel="sms", recipient=PHONE, kind="otp", context={"code": "908172", "minutes": 10})
    OneTimeCode.objects.create(phone=PHONE, code_digest="x" * 64, expires_at="2030-01-01T00:00:00Z")
    return profile


def grant(client, deletion, note="Data Anda sudah kami hapus."):
    url = reverse("admin:residents_deletionrequest_change", args=[deletion.pk])
    return client.post(url, {"status": "done", "note": note}, follow=True)


def test_granting_a_request_in_the_admin_erases_the_resident_and_frees_their_nik(
    client, siti, resident, bappeda_admin
):
    nik, birth_year = siti.nik, siti.birth_date.year
    deletion = DeletionRequest.objects.create(resident=siti, reason="pindah kota")
    client.force_login(bappeda_admin)

    response = grant(client, deletion)

    assert response.status_code == 200
    erased = Resident.objects.get(pk=siti.pk)
    assert (erased.full_name, erased.phone, erased.email, erased.address) == ("Data dihapus", "", "", "")
    assert (erased.nik, erased.masked_nik, erased.kk_encrypted, erased.has_disability) == ("", "—", "", False)
    assert (erased.birth_date.year, erased.birth_date.month, erased.birth_date.day) == (birth_year, 1, 1)
    assert (erased.sex, erased.kelurahan_id) == (siti.sex, siti.kelurahan_id)  # what the figures count
    assert erased.user is None
    assert not User.objects.filter(pk=resident.pk).exists()
    assert find_by_nik(nik) is None  # the person may register again one day
    assert list(Application.objects.values_list("status", flat=True)) == ["withdrawn"]
    assert Consent.objects.filter(resident=erased).count() == 1  # the record that processing was lawful
    assert not OneTimeCode.objects.filter(phone=PHONE).exists()
    assert list(Message.objects.values_list("kind", "recipient", "resident")) == [
        ("data_erased", PHONE, None)
    ]
    deletion.refresh_from_db()
    assert (deletion.status, deletion.handled_by, deletion.note) == (
        "done",
        bappeda_admin,
        "Data Anda sudah kami hapus.",
    )
    assert AuditEvent.objects.filter(action="resident.erased", target_id=str(siti.pk)).count() == 1
    assert "Siti Aminah" not in client.get(reverse("admin:residents_resident_changelist")).content.decode()


def test_a_seat_in_a_class_not_closed_blocks_erasure_and_changes_nothing(client, siti, bappeda_admin):
    make_enrollment(siti, BatchFactory(code="barista-1", status="running"))
    deletion = DeletionRequest.objects.create(resident=siti)
    client.force_login(bappeda_admin)

    response = grant(client, deletion)

    assert response.status_code == 200
    assert "warga memegang kursi di kelas barista-1 yang belum ditutup" in response.content.decode()
    deletion.refresh_from_db()
    assert deletion.status == "pending"
    assert Resident.objects.get(pk=siti.pk).full_name == "Siti Aminah"
    assert Message.objects.count() == 2


def test_an_allocation_awaiting_publication_blocks_erasure(siti, period, bappeda_admin):
    AllocationRun.objects.create(
        period=period,
        mechanism="da",
        seed="1",
        policy={},
        offer_response_days=3,
        engine_version="1",
        status="done",
    )
    deletion = DeletionRequest.objects.create(resident=siti)

    with pytest.raises(ResidentError, match="sedang dihitung atau ditinjau"):
        erase_resident(deletion=deletion, actor=bappeda_admin)

    assert Application.objects.get().status == "submitted"
    assert DeletionRequest.objects.get().status == "pending"


def test_attendance_and_certificates_of_a_closed_class_stay_as_evidence(reference_data, bappeda_admin):
    batch = completed_batch()
    enrollment = EnrollmentFactory(batch=batch, resident=ResidentFactory(full_name="Budi Santoso"))
    certificate = CertificateFactory(outcome=OutcomeFactory(enrollment=enrollment, batch=batch))
    deletion = DeletionRequest.objects.create(resident=enrollment.resident)

    erase_resident(deletion=deletion, actor=bappeda_admin)

    certificate.refresh_from_db()
    assert (certificate.holder_name, certificate.status) == ("Budi Santoso", "issued")
    assert Resident.objects.get(pk=enrollment.resident_id).full_name == "Data dihapus"


def test_a_request_is_granted_once(siti, bappeda_admin):
    deletion = DeletionRequest.objects.create(resident=siti)
    erase_resident(deletion=deletion, actor=bappeda_admin)

    with pytest.raises(ResidentError, match="sudah diputuskan"):
        erase_resident(deletion=deletion, actor=bappeda_admin)


def test_a_phone_shared_with_family_keeps_its_sign_in_codes(siti, bappeda_admin):
    ResidentFactory(phone=PHONE, full_name="Ahmad Aminah")
    deletion = DeletionRequest.objects.create(resident=siti)

    erase_resident(deletion=deletion, actor=bappeda_admin)

    assert OneTimeCode.objects.filter(phone=PHONE).count() == 1
    assert list(Message.objects.order_by("pk").values_list("kind", flat=True)) == ["otp", "data_erased"]


def test_key_rotation_passes_over_erased_residents(siti, bappeda_admin, monkeypatch):
    erase_resident(deletion=DeletionRequest.objects.create(resident=siti), actor=bappeda_admin)
    monkeypatch.setenv("OLD_NIK_KEY", "test-nik-key-not-for-production")

    with override_settings(NIK_KEY="a-brand-new-nik-key-for-2021-rotation-0123456789"):
        out = io.StringIO()
        call_command("rotate_nik_key", stdout=out)

    assert out.getvalue().strip() == "0 residents re-sealed with the new key, 1 already were."


def test_a_resident_is_never_deleted_in_the_admin_only_erased(client, siti, bappeda_admin):
    """Deleting would take the consents and the deletion requests with it: the record of lawful processing."""
    client.force_login(bappeda_admin)

    response = client.post(reverse("admin:residents_resident_delete", args=[siti.pk]), {"post": "yes"})

    assert response.status_code == 403
    assert Resident.objects.filter(pk=siti.pk, full_name="Siti Aminah").exists()


def test_the_admin_history_no_longer_names_the_erased_resident(client, siti, bappeda_admin):
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.contenttypes.models import ContentType

    LogEntry.objects.create(
        user=bappeda_admin,
        content_type=ContentType.objects.get_for_model(Resident),
        object_id=str(siti.pk),
        object_repr=str(siti),
        action_flag=CHANGE,
    )
    deletion = DeletionRequest.objects.create(resident=siti)

    erase_resident(deletion=deletion, actor=bappeda_admin)

    assert not LogEntry.objects.filter(object_repr__contains="Siti").exists()


def test_a_submit_after_the_erasure_is_refused(siti, period, bappeda_admin):
    from latihkerja.registration.errors import RegistrationError
    from latihkerja.registration.services import submit_application

    batch_code = Application.objects.get().choices.get().batch.code
    erase_resident(deletion=DeletionRequest.objects.create(resident=siti), actor=bappeda_admin)

    with pytest.raises(RegistrationError) as error:
        submit_application(resident=siti, period=period, batch_codes=[batch_code], actor=None)

    assert error.value.template is RegistrationError.PROFILE_ERASED
    assert Application.objects.get().status == "withdrawn"


def test_a_refused_grant_shows_the_reason_and_leaves_the_decision_to_make(client, siti, bappeda_admin):
    make_enrollment(siti, BatchFactory(code="barista-2", status="running"))
    deletion = DeletionRequest.objects.create(resident=siti)
    client.force_login(bappeda_admin)

    page = grant(client, deletion).content.decode()

    assert "warga memegang kursi di kelas barista-2" in page
    assert 'name="status"' in page  # still pending: refuse it, or grant it once the seat is released
