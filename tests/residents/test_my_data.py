"""UU PDP: a resident downloads everything kept about them and asks for its deletion; nobody else can."""

import json

import pytest
from django.urls import reverse

from latihkerja.audit.models import AuditEvent
from latihkerja.audit.services import record_event
from latihkerja.notifications.services import queue_message
from latihkerja.registration.models import Consent
from latihkerja.residents.crypto import encrypt_identity
from latihkerja.residents.models import DeletionRequest
from tests.factories import BatchFactory, ResidentFactory

pytestmark = pytest.mark.integration


@pytest.fixture
def siti(resident, period):
    profile = ResidentFactory(
        user=resident,
        full_name="Siti Aminah",
        phone="081234567890",
        kk_encrypted=encrypt_identity("3671010101200001"),
    )
    Consent.objects.create(resident=profile, version="2020-10", text_digest="a" * 64, source="online")
    batch = BatchFactory(code="barista-1", status="allocated", seats_taken=0)
    from latihkerja.batches.services import take_open_seat

    take_open_seat(batch=batch, resident=profile, actor=resident)
    queue_message(
        channel="sms",
        recipient=profile.phone,
        kind="registration_received",
        context={"name": profile.full_name},
        resident=profile,
    )
    queue_message(
        channel="sms", recipient=profile.phone, kind="otp", context={"code": "123456", "minutes": 10}
    )
    return profile


def test_resident_downloads_their_own_data_with_every_section(client, resident, siti, operator_blk_a):
    record_event(actor=operator_blk_a, action="resident.viewed", target=siti, detail={"via": "admin"})
    client.force_login(resident)

    response = client.get(reverse("residents:my-data-download"))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="data-saya-latihkerja-')
    data = json.loads(response.content)
    assert data["profile"]["nik"] == siti.nik
    assert data["profile"]["full_name"] == "Siti Aminah"
    assert [c["version"] for c in data["consents"]] == ["2020-10"]
    assert data["profile"]["kk"] == "3671010101200001"
    assert data["account"]["username"] == resident.username
    assert [(e["action"], e["by_role"], e["detail"]) for e in data["access_log"]] == [
        ("resident.viewed", "operator", {"via": "admin"})  # who in which role, not the staff member's name
    ]
    assert (data["deletion_requests"], data["allocation"], data["wait_lists"]) == ([], [], [])
    assert [(s["class_code"], s["status"]) for s in data["seats"]] == [("barista-1", "active")]
    assert [m["kind"] for m in data["messages"]] == ["registration_received"]  # no one-time codes
    assert AuditEvent.objects.filter(action="resident.data_downloaded", target_id=str(siti.pk)).count() == 1


@pytest.mark.parametrize("persona", ["other_resident", "operator_blk_a", "bappeda_admin", "employer"])
def test_the_data_pages_are_not_found_for_anyone_without_their_own_profile(client, siti, persona, request):
    client.force_login(request.getfixturevalue(persona))

    for url in (reverse("residents:my-data"), reverse("residents:my-data-download")):
        assert client.get(url).status_code == 404
    assert client.post(reverse("residents:my-data-delete")).status_code == 404
    assert not DeletionRequest.objects.exists()


def test_a_deletion_request_is_recorded_once_and_shown_with_its_status(client, resident, siti):
    client.force_login(resident)

    first = client.post(reverse("residents:my-data-delete"), {"reason": "pindah kota"}, follow=True)
    second = client.post(reverse("residents:my-data-delete"), {"reason": "lagi"}, follow=True)

    assert [str(m) for m in first.context["messages"]] == [
        "Permintaan hapus data terkirim ke Bappeda. Keputusannya akan tampil di halaman ini."
    ]
    assert [str(m) for m in second.context["messages"]] == [
        "Permintaan hapus data Anda sudah kami terima dan sedang diproses."
    ]
    request = DeletionRequest.objects.get()
    assert (request.resident, request.reason, request.status) == (siti, "pindah kota", "pending")
    assert b"Menunggu diproses" in second.content
    page = second.content.decode()
    assert 'id="deletion-pending"' in page  # said once; no second request form while this one waits
    assert reverse("residents:my-data-delete") not in page


def test_a_reason_longer_than_kept_is_refused_with_the_limit_not_cut(client, resident, siti):
    client.force_login(resident)

    response = client.post(reverse("residents:my-data-delete"), {"reason": "x" * 501}, follow=True)

    assert [str(m) for m in response.context["messages"]] == ["Alasan paling panjang 500 karakter."]
    assert not DeletionRequest.objects.exists()
    client.post(reverse("residents:my-data-delete"), {"reason": "y" * 500})
    assert DeletionRequest.objects.get().reason == "y" * 500


def test_the_data_page_is_the_one_the_consent_text_names(client, resident, siti):
    from latihkerja.registration.consent import consent_text

    client.force_login(resident)

    page = client.get(reverse("residents:my-data")).content.decode()

    assert "<h1>Data saya</h1>" in page
    assert "Tarik persetujuan dan minta data saya dihapus" in page  # withdrawing consent is asked for here
    assert "“Data saya”" in consent_text()
    assert "<h1>Halaman saya</h1>" in client.get(reverse("accounts:start")).content.decode()


def test_only_bappeda_sees_deletion_requests_in_the_admin(client, siti, bappeda_admin, operator_blk_a):
    DeletionRequest.objects.create(resident=siti)
    url = reverse("admin:residents_deletionrequest_changelist")

    client.force_login(operator_blk_a)
    assert client.get(url).status_code in (302, 403)
    client.force_login(bappeda_admin)
    assert "Siti Aminah" in client.get(url).content.decode()


def test_resident_changes_their_interests_and_they_are_saved_with_an_audit_event(client, resident, siti):
    client.force_login(resident)
    page = client.get(reverse("residents:my-interests"))
    response = client.post(reverse("residents:my-interests"), {"interests": ["BARISTA", "LAS_SMAW"]})

    assert page.status_code == 200
    assert response.status_code == 302
    assert sorted(siti.interests.values_list("code", flat=True)) == ["BARISTA", "LAS_SMAW"]
    assert AuditEvent.objects.filter(action="resident.interests", target_id=str(siti.pk)).count() == 1


def test_an_unknown_theme_changes_nothing_and_says_so(client, resident, siti):
    client.force_login(resident)

    response = client.post(reverse("residents:my-interests"), {"interests": ["BARISTA", "TIDAK-ADA"]})

    assert response.status_code == 200
    assert "interests" in response.context["form"].errors
    assert not siti.interests.exists()


def test_the_download_holds_the_residents_attendance_results_and_certificates(client, resident):
    from latihkerja.training.models import Assessment, Attendance
    from tests.factories.certificates import CertificateFactory
    from tests.factories.training import SessionFactory

    certificate = CertificateFactory(outcome__enrollment__resident__user=resident)
    outcome = certificate.outcome
    session = SessionFactory(batch=outcome.batch, status="held")
    Attendance.objects.create(
        session=session, enrollment=outcome.enrollment, status="late", method="qr", hours_credited=3
    )
    Assessment.objects.create(enrollment=outcome.enrollment, passed=True, score="87.5", assessed_by=resident)
    someone_else = CertificateFactory()  # another resident's: never in this download
    client.force_login(resident)

    data = json.loads(client.get(reverse("residents:my-data-download")).content)

    assert [(a["session_number"], a["status"], a["hours_credited"]) for a in data["attendance"]] == [
        (session.number, "late", "3.0")
    ]
    assert [(a["passed"], a["score"]) for a in data["assessments"]] == [(True, "87.50")]
    assert [o["status"] for o in data["outcomes"]] == ["completed"]
    assert [c["number"] for c in data["certificates"]] == [certificate.number]
    assert someone_else.number not in json.dumps(data)


def test_the_download_holds_published_allocations_and_not_one_under_review(client, resident, siti, period):
    from latihkerja.allocation.models import AllocationRun, Placement, WaitlistEntry
    from tests.factories.reports import make_application

    batch = BatchFactory(code="las-2", period=period, status="allocated")
    application = make_application(siti, period, [batch])
    for status in ("published", "done"):
        run = AllocationRun.objects.create(
            period=period,
            mechanism="da",
            seed=status,
            policy={},
            offer_response_days=3,
            engine_version="1",
            status=status,
        )
        Placement.objects.create(run=run, application=application, batch=None, priority_group=1, lottery=0.25)
        WaitlistEntry.objects.create(run=run, batch=batch, application=application, key=1.25, position=3)
    client.force_login(resident)

    data = json.loads(client.get(reverse("residents:my-data-download")).content)

    assert [(p["class_code"], p["priority_group"], p["lottery"]) for p in data["allocation"]] == [
        (None, 1, 0.25)
    ]
    assert [(w["class_code"], w["position"]) for w in data["wait_lists"]] == [("las-2", 3)]
