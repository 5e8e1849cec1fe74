"""Issuing (idempotent, only graduates, only completed batches, only allowed staff), rendering PDFs in the
background with the holder's SMS, and revocation (who, why, once)."""

from decimal import Decimal

import pytest
from django.utils import timezone

from latihkerja.audit.models import AuditEvent
from latihkerja.batches.enums import BatchStatus
from latihkerja.certificates.enums import CertificateStatus
from latihkerja.certificates.errors import CertificateError
from latihkerja.certificates.models import Certificate
from latihkerja.certificates.services import generate_pdfs, issue_for_batch, revoke
from latihkerja.notifications.models import Message
from latihkerja.training.enums import OutcomeStatus
from tests.factories import ResidentFactory
from tests.factories.certificates import CertificateFactory, OutcomeFactory, completed_batch

pytestmark = pytest.mark.integration


@pytest.fixture
def graduates_batch(db):
    """A completed Barista batch at Sukarasa: two graduates, one not completed, one dropped out."""
    batch = completed_batch(code="lulus-1")
    outcomes = [
        OutcomeFactory(enrollment__batch=batch, enrollment__resident__full_name="Siti Aminah"),
        OutcomeFactory(
            enrollment__batch=batch,
            enrollment__resident__full_name="Budi Santoso",
            hours_attended=Decimal("80.0"),
        ),
        OutcomeFactory(enrollment__batch=batch, status=OutcomeStatus.NOT_COMPLETED),
        OutcomeFactory(enrollment__batch=batch, status=OutcomeStatus.DROPPED_OUT),
    ]
    return batch, outcomes


def test_issue_for_batch_certifies_only_completed_outcomes_with_a_snapshot_when_batch_is_completed(
    graduates_batch, operator_blk_a
):
    batch, outcomes = graduates_batch

    issued = issue_for_batch(batch=batch, actor=operator_blk_a)

    assert issued == 2
    certificates = Certificate.objects.order_by("holder_name")
    assert [(c.holder_name, c.outcome_id) for c in certificates] == [
        ("Budi Santoso", outcomes[1].pk),
        ("Siti Aminah", outcomes[0].pk),
    ]
    budi = certificates[0]
    assert budi.theme_name == "Barista"
    assert (budi.hours_attended, budi.hours_total) == (Decimal("80.0"), Decimal("80.0"))
    assert budi.center_name == batch.center.name
    assert budi.agency_name == batch.theme.agency.name
    assert (budi.starts_on, budi.ends_on, budi.period_name) == (
        batch.starts_on,
        batch.ends_on,
        batch.period.name,
    )
    assert budi.resident_id == outcomes[1].enrollment.resident_id
    assert budi.issued_by == operator_blk_a
    assert budi.status == CertificateStatus.ISSUED
    event = AuditEvent.objects.get(action="certificates.issued")
    assert event.detail["count"] == 2


def test_an_english_reader_reads_the_theme_in_english_and_the_pdf_stays_the_indonesian_document(
    graduates_batch, operator_blk_a, client
):
    from django.conf import settings
    from django.urls import reverse

    from latihkerja.catalog.models import Theme

    batch, _ = graduates_batch
    Theme.objects.filter(pk=batch.theme_id).update(name="Peracik Kopi", name_en="Coffee brewer")
    issue_for_batch(batch=batch, actor=operator_blk_a)
    Theme.objects.filter(pk=batch.theme_id).update(name="Barista", name_en="Barista")  # renamed later
    certificate = Certificate.objects.order_by("holder_name").first()
    url = reverse("certificates:verify", args=[certificate.number])

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(url).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    indonesian = client.get(url).content.decode()
    del client.cookies[settings.LANGUAGE_COOKIE_NAME]  # an API client sends Accept-Language, not the cookie
    api = client.get(f"/api/v1/certificates/{certificate.number}", HTTP_ACCEPT_LANGUAGE="en").json()

    assert (certificate.theme_name, certificate.theme_name_en) == ("Peracik Kopi", "Coffee brewer")
    assert "Coffee brewer" in english
    assert "Peracik Kopi" in indonesian
    assert api["theme"] == "Coffee brewer"


def test_a_certificate_carries_the_dates_the_class_really_met(graduates_batch, operator_blk_a):
    """Sessions move, and a class can end before or after its planned end: the certificate says when it met."""
    import datetime as dt

    from latihkerja.training.enums import SessionStatus
    from tests.factories.training import SessionFactory

    batch, _ = graduates_batch
    for number, day, status in ((1, 7, SessionStatus.HELD), (2, 9, SessionStatus.HELD), (3, 30, "cancelled")):
        SessionFactory(batch=batch, number=number, date=dt.date(2020, 10, day), status=status)

    issue_for_batch(batch=batch, actor=operator_blk_a)

    assert set(Certificate.objects.values_list("starts_on", "ends_on")) == {
        (dt.date(2020, 10, 7), dt.date(2020, 10, 9))
    }
    assert (batch.starts_on, batch.ends_on) == (dt.date(2020, 10, 5), dt.date(2020, 10, 16))


def test_issue_for_batch_issues_nothing_new_when_called_again(graduates_batch, bappeda_admin):
    batch, _ = graduates_batch
    issue_for_batch(batch=batch, actor=bappeda_admin)
    numbers = sorted(Certificate.objects.values_list("number", flat=True))

    again = issue_for_batch(batch=batch, actor=bappeda_admin)

    assert again == 0
    assert sorted(Certificate.objects.values_list("number", flat=True)) == numbers
    assert AuditEvent.objects.filter(action="certificates.issued").count() == 1


def test_issue_for_batch_adds_only_the_new_graduate_when_an_outcome_is_added_later(
    graduates_batch, bappeda_admin
):
    batch, _ = graduates_batch
    issue_for_batch(batch=batch, actor=bappeda_admin)
    OutcomeFactory(enrollment__batch=batch, enrollment__resident__full_name="Dewi Lestari")

    again = issue_for_batch(batch=batch, actor=bappeda_admin)

    assert again == 1
    assert Certificate.objects.count() == 3


@pytest.mark.parametrize("status", [BatchStatus.RUNNING, BatchStatus.ALLOCATED, BatchStatus.CANCELLED])
def test_issue_for_batch_refuses_and_changes_nothing_when_batch_is_not_completed(db, bappeda_admin, status):
    batch = completed_batch(status=status)
    OutcomeFactory(enrollment__batch=batch)

    with pytest.raises(CertificateError) as caught:
        issue_for_batch(batch=batch, actor=bappeda_admin)

    assert caught.value.template is CertificateError.BATCH_NOT_COMPLETED
    assert Certificate.objects.count() == 0


@pytest.mark.parametrize(
    "persona", ["operator_blk_b", "other_opd_supervisor", "instructor", "resident", "employer"]
)
def test_issue_for_batch_refuses_when_actor_is_not_in_charge_of_the_batch(graduates_batch, persona, request):
    batch, _ = graduates_batch
    actor = request.getfixturevalue(persona)

    with pytest.raises(CertificateError) as caught:
        issue_for_batch(batch=batch, actor=actor)

    assert caught.value.template is CertificateError.NOT_ALLOWED_ISSUE
    assert Certificate.objects.count() == 0


@pytest.mark.parametrize("persona", ["bappeda_admin", "opd_supervisor", "operator_blk_a"])
def test_issue_for_batch_is_allowed_when_actor_is_in_charge(graduates_batch, persona, request):
    batch, _ = graduates_batch

    assert issue_for_batch(batch=batch, actor=request.getfixturevalue(persona)) == 2


def test_pdfs_are_generated_in_the_background_and_holders_get_one_sms_when_issued(
    graduates_batch, operator_blk_a, django_capture_on_commit_callbacks
):
    batch, outcomes = graduates_batch
    outcomes[0].enrollment.resident.phone = "0812-3456-7890"
    outcomes[0].enrollment.resident.save()

    with django_capture_on_commit_callbacks(execute=True):
        issue_for_batch(batch=batch, actor=operator_blk_a)

    certificates = list(Certificate.objects.order_by("holder_name"))
    assert all(c.generated_at is not None for c in certificates)
    assert [c.pdf.name for c in certificates] == [
        f"certificates/{batch.pk}/{c.number}.pdf" for c in certificates
    ]
    assert certificates[0].pdf.open("rb").read(5) == b"%PDF-"
    siti = Certificate.objects.get(holder_name="Siti Aminah")
    message = Message.objects.get(dedupe_key=f"certificate-{siti.pk}")
    assert message.kind == "certificate"
    assert message.recipient == "+6281234567890"
    assert siti.number in message.body
    assert "http://127.0.0.1:8000/sertifikat/saya/" in message.body
    assert Message.objects.filter(kind="certificate").count() == 2


def test_generate_pdfs_does_nothing_when_run_twice(
    graduates_batch, operator_blk_a, django_capture_on_commit_callbacks
):
    batch, _ = graduates_batch
    with django_capture_on_commit_callbacks(execute=True):
        issue_for_batch(batch=batch, actor=operator_blk_a)
    before = list(Certificate.objects.order_by("pk").values_list("pdf", "generated_at"))

    again = generate_pdfs(batch_id=batch.pk)

    assert again == 0
    assert list(Certificate.objects.order_by("pk").values_list("pdf", "generated_at")) == before
    assert Message.objects.filter(kind="certificate").count() == 2


def test_generate_pdfs_skips_a_certificate_when_it_was_revoked_before_rendering(db, bappeda_admin):
    certificate = CertificateFactory()
    revoke(certificate=certificate, actor=bappeda_admin, reason="Data kehadiran dipalsukan")

    assert generate_pdfs(batch_id=certificate.batch_id) == 0
    certificate.refresh_from_db()
    assert certificate.pdf.name == ""
    assert Message.objects.count() == 0


def test_holder_without_a_usable_phone_still_gets_the_pdf_when_generated(db):
    certificate = CertificateFactory(outcome__enrollment__resident=ResidentFactory(phone="bukan nomor"))

    assert generate_pdfs(batch_id=certificate.batch_id) == 1
    certificate.refresh_from_db()
    assert certificate.generated_at is not None
    assert Message.objects.count() == 0


@pytest.mark.parametrize("persona", ["bappeda_admin", "opd_supervisor"])
def test_revoke_records_who_when_and_why_when_allowed(db, persona, request):
    actor = request.getfixturevalue(persona)
    certificate = CertificateFactory()

    revoked = revoke(certificate=certificate, actor=actor, reason="  Nilai uji   tidak sah ")

    assert revoked.status == CertificateStatus.REVOKED
    assert revoked.revoked_by == actor
    assert revoked.revocation_reason == "Nilai uji tidak sah"
    assert abs((timezone.now() - revoked.revoked_at).total_seconds()) < 60
    event = AuditEvent.objects.get(action="certificate.revoked")
    assert (event.target_id, event.detail["reason"]) == (str(certificate.pk), "Nilai uji tidak sah")


@pytest.mark.parametrize(
    "persona", ["other_opd_supervisor", "operator_blk_a", "instructor", "resident", "employer"]
)
def test_revoke_refuses_and_changes_nothing_when_actor_may_not(db, persona, request):
    certificate = CertificateFactory()

    with pytest.raises(CertificateError) as caught:
        revoke(certificate=certificate, actor=request.getfixturevalue(persona), reason="Alasan")

    assert caught.value.template is CertificateError.NOT_ALLOWED_REVOKE
    certificate.refresh_from_db()
    assert (certificate.status, certificate.revoked_at, certificate.revocation_reason) == ("issued", None, "")


@pytest.mark.parametrize("reason", ["", "   ", "\n\t"])
def test_revoke_refuses_and_changes_nothing_when_reason_is_blank(db, bappeda_admin, reason):
    certificate = CertificateFactory()

    with pytest.raises(CertificateError) as caught:
        revoke(certificate=certificate, actor=bappeda_admin, reason=reason)

    assert caught.value.template is CertificateError.REASON_REQUIRED
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.ISSUED
    assert AuditEvent.objects.filter(action="certificate.revoked").count() == 0


def test_revoke_refuses_when_reason_is_too_long(db, bappeda_admin):
    certificate = CertificateFactory()

    with pytest.raises(CertificateError) as caught:
        revoke(certificate=certificate, actor=bappeda_admin, reason="x" * 501)

    assert caught.value.message == str(CertificateError.REASON_TOO_LONG) % {"limit": 500}
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.ISSUED


def test_revoke_refuses_when_already_revoked(db, bappeda_admin, opd_supervisor):
    certificate = CertificateFactory()
    revoke(certificate=certificate, actor=bappeda_admin, reason="Pertama")

    with pytest.raises(CertificateError) as caught:
        revoke(certificate=certificate, actor=opd_supervisor, reason="Kedua")

    assert caught.value.template is CertificateError.ALREADY_REVOKED
    certificate.refresh_from_db()
    assert (certificate.revoked_by, certificate.revocation_reason) == (bappeda_admin, "Pertama")


def test_database_refuses_a_revoked_certificate_when_it_has_no_reason(db):
    from django.db import IntegrityError, transaction

    certificate = CertificateFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Certificate.objects.filter(pk=certificate.pk).update(status="revoked", revoked_at=timezone.now())


def test_issue_for_batch_draws_fresh_numbers_when_a_number_collides(
    graduates_batch, bappeda_admin, monkeypatch
):
    batch, _ = graduates_batch
    taken = CertificateFactory(outcome__enrollment__batch=completed_batch()).number
    monkeypatch.setattr(Certificate._meta.get_field("number"), "default", lambda: taken)

    issued = issue_for_batch(batch=batch, actor=bappeda_admin)

    assert issued == 2
    numbers = list(Certificate.objects.filter(batch=batch).values_list("number", flat=True))
    assert taken not in numbers
    assert len(set(numbers)) == 2
