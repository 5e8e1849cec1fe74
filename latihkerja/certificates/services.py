"""State changes of certificates: issuing a batch's certificates, rendering their PDFs, revoking one, and the
batch export (a read of personal data by staff, hence audit-logged like a change).

Issue, revoke and export are keyword-only, run in one transaction and write an audit event. The PDFs are
rendered by the worker (`tasks.generate_batch_pdfs`, one task per batch: a 10,000-participant period is ~400
tasks of ~25 PDFs, small enough to retry and spread over several workers), enqueued on commit.
"""

from __future__ import annotations

import csv
import io
import logging
import zipfile
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max, Min
from django.urls import reverse
from django.utils import timezone, translation

from latihkerja.accounts.enums import Role
from latihkerja.audit.services import record_event
from latihkerja.batches.enums import BatchStatus
from latihkerja.batches.models import Batch
from latihkerja.common.errors import checked_reason
from latihkerja.common.spreadsheets import safe_cell

from .enums import CertificateStatus
from .errors import CertificateError
from .locks import lock_batch
from .models import Certificate, certificate_upload_to
from .numbers import new_number
from .pdf import render_certificate
from .rules import can_export_batch, can_issue_for_batch, can_revoke

logger = logging.getLogger(__name__)

REASON_MAX_LENGTH = 500
# A fresh number colliding with an existing one has a probability of ~10^-14; retrying a few times is plenty.
NUMBER_ATTEMPTS = 5
# Certificates claimed per transaction (a batch holds ~25: usually one chunk, one commit).
PDF_CHUNK = 50


def issue_for_batch(*, batch: Batch, actor: Any) -> int:
    """Issue one certificate per `completed` outcome of the (completed) `batch` that has none yet.

    Idempotent: a second call issues nothing new and returns 0. Returns how many were issued. The PDFs are
    rendered by the worker after commit; a call also re-enqueues the rendering of any certificate of the batch
    still without its PDF (a worker that died midway is thereby recovered).
    """
    from latihkerja.training.enums import OutcomeStatus, SessionStatus
    from latihkerja.training.models import Outcome, TrainingSession

    if not can_issue_for_batch.test(actor, batch):
        raise CertificateError(CertificateError.NOT_ALLOWED_ISSUE)
    with transaction.atomic():
        locked = lock_batch(batch.pk)
        if locked.status != BatchStatus.COMPLETED:
            raise CertificateError(CertificateError.BATCH_NOT_COMPLETED)
        outcomes = (
            Outcome.objects.filter(batch=locked, status=OutcomeStatus.COMPLETED, certificate__isnull=True)
            .select_related("enrollment__resident")
            .order_by("pk")
        )
        now = timezone.now()
        # The dates the class really met (sessions move, end early or late), else the planned ones.
        held = TrainingSession.objects.filter(batch=locked, status=SessionStatus.HELD).aggregate(
            first=Min("date"), last=Max("date")
        )
        starts_on, ends_on = held["first"] or locked.starts_on, held["last"] or locked.ends_on
        certificates = [
            Certificate(
                outcome=outcome,
                batch=locked,
                resident=outcome.enrollment.resident,
                holder_name=outcome.enrollment.resident.full_name,
                theme_name=locked.theme.name,
                theme_name_en=locked.theme.name_en,
                hours_attended=outcome.hours_attended,
                hours_total=outcome.hours_total,
                center_name=locked.center.name,
                agency_name=locked.theme.agency.name,
                starts_on=starts_on,
                ends_on=ends_on,
                period_name=locked.period.name,
                issued_at=now,
                issued_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
            for outcome in outcomes
        ]
        if certificates:
            _insert_with_fresh_numbers(certificates)
            record_event(
                actor=actor,
                action="certificates.issued",
                target=locked,
                detail={"count": len(certificates), "numbers": [c.number for c in certificates]},
            )
        pending = Certificate.objects.filter(
            batch=locked, status=CertificateStatus.ISSUED, generated_at__isnull=True
        ).exists()
        if pending:
            transaction.on_commit(lambda: _enqueue_pdfs(locked.pk))
    return len(certificates)


def _insert_with_fresh_numbers(certificates: list[Certificate]) -> None:
    for attempt in range(NUMBER_ATTEMPTS):
        try:
            with transaction.atomic():  # a savepoint: a collision must not break the caller's transaction
                Certificate.objects.bulk_create(certificates, batch_size=500)
            return
        except IntegrityError:
            if attempt == NUMBER_ATTEMPTS - 1:
                raise
            for certificate in certificates:
                certificate.pk = None
                certificate.number = new_number()


def _enqueue_pdfs(batch_id: int) -> None:
    from .tasks import generate_batch_pdfs

    generate_batch_pdfs.enqueue(batch_id)


def generate_pdfs(*, batch_id: int) -> int:
    """Render and store the PDF of every issued certificate of the batch that has none; returns how many.

    Safe to run twice or on two workers at once: each certificate is claimed by a conditional UPDATE
    (`… WHERE generated_at IS NULL`), and the loser deletes the file it rendered. The holder is told by SMS
    once their PDF is ready (one message per certificate, deduplicated).
    """
    storage = Certificate._meta.get_field("pdf").storage
    pending = (
        Certificate.objects.filter(
            batch_id=batch_id, status=CertificateStatus.ISSUED, generated_at__isnull=True
        )
        .select_related("resident__user")
        .order_by("pk")
    )
    done = 0
    certificates = list(pending)
    for start in range(0, len(certificates), PDF_CHUNK):
        chunk = certificates[start : start + PDF_CHUNK]
        # Rendering and storing happen outside the transaction; the claims of a chunk commit together.
        names = [
            storage.save(certificate_upload_to(c, ""), ContentFile(render_certificate(c))) for c in chunk
        ]
        losers = []
        with transaction.atomic():
            now = timezone.now()
            for certificate, name in zip(chunk, names, strict=True):
                claimed = Certificate.objects.filter(
                    pk=certificate.pk, status=CertificateStatus.ISSUED, generated_at__isnull=True
                ).update(pdf=name, generated_at=now)
                if claimed:
                    _notify_holder(certificate)
                    done += 1
                else:
                    losers.append(name)
        for name in losers:
            storage.delete(name)
    return done


def my_certificates_url() -> str:
    return settings.SITE_URL.rstrip("/") + reverse("certificates:mine")


def _notify_holder(certificate: Certificate) -> None:
    """Queue the "your certificate is ready" SMS; an unusable phone number must not stop the batch (logged)."""
    from latihkerja.notifications.enums import Channel, Kind
    from latihkerja.notifications.errors import NotificationError
    from latihkerja.notifications.services import queue_message

    resident = certificate.resident
    language = resident.language
    try:
        queue_message(
            channel=Channel.SMS,
            recipient=resident.phone,
            kind=Kind.CERTIFICATE,
            context={
                "name": certificate.holder_name,
                "batch": certificate.theme_name,
                "number": certificate.number,
                "url": my_certificates_url(),
            },
            language=language,
            resident=resident,
            dedupe_key=f"certificate-{certificate.pk}",
        )
    except NotificationError as error:
        logger.warning("certificate %s: no message sent: %s", certificate.number, error.message)


def revoke(*, certificate: Certificate, actor: Any, reason: str) -> Certificate:
    """Revoke `certificate` for `reason` (Bappeda or the theme's OPD). The public page then says "dicabut"
    with the date, and its PDF is no longer served to anyone."""
    if not can_revoke.test(actor, certificate):
        raise CertificateError(CertificateError.NOT_ALLOWED_REVOKE)
    reason = checked_reason(
        " ".join(reason.split()),
        error=CertificateError,
        limit=REASON_MAX_LENGTH,
        too_long=CertificateError.REASON_TOO_LONG,
        required=CertificateError.REASON_REQUIRED,
    )
    with transaction.atomic():
        # Two revocations at once: the conditional UPDATE lets exactly one of them through.
        changed = Certificate.objects.filter(pk=certificate.pk, status=CertificateStatus.ISSUED).update(
            status=CertificateStatus.REVOKED,
            revoked_at=timezone.now(),
            revoked_by=actor,
            revocation_reason=reason,
            updated_at=timezone.now(),
        )
        if not changed:
            raise CertificateError(CertificateError.ALREADY_REVOKED)
        record_event(
            actor=actor,
            action="certificate.revoked",
            target=certificate,
            detail={"number": certificate.number, "reason": reason},
        )
    certificate.refresh_from_db()
    return certificate


def open_pdf(*, certificate: Certificate, actor: Any) -> Any:
    """The stored PDF, opened for reading. Refused once revoked (`REVOKED_NO_DOWNLOAD`) or before the worker
    has made it (`PDF_NOT_READY`). The caller has already loaded the certificate through `for_user`; staff
    opening a resident's certificate is audit-logged (personal data)."""
    if certificate.is_revoked:
        raise CertificateError(CertificateError.REVOKED_NO_DOWNLOAD)
    if not certificate.pdf or certificate.generated_at is None:
        raise CertificateError(CertificateError.PDF_NOT_READY)
    if getattr(actor, "role", None) != Role.RESIDENT:
        with transaction.atomic():
            record_event(
                actor=actor,
                action="certificate.downloaded",
                target=certificate,
                detail={"number": certificate.number},
            )
    return certificate.pdf.open("rb")


REGISTER_HEADER = [
    "nomor",
    "nama",
    "tema",
    "mulai",
    "selesai",
    "status",
    "dicabut_pada",
    "alasan_pencabutan",
    "pdf",
]


def export_batch(*, batch: Batch, actor: Any) -> bytes:
    """A ZIP of the batch's certificate PDFs and `register.csv` (one row per certificate, revoked included).

    A batch holds at most a few dozen certificates (a few MB), so the archive is built in the request; revoked
    certificates are listed in the register but their PDFs are left out. Audit-logged: it holds personal data.
    """
    if not can_export_batch.test(actor, batch):
        raise CertificateError(CertificateError.NOT_ALLOWED_ISSUE)
    certificates = list(Certificate.objects.filter(batch=batch).order_by("holder_name", "pk"))
    buffer = io.BytesIO()
    register = io.StringIO()
    writer = csv.writer(register)
    writer.writerow(REGISTER_HEADER)
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for certificate in certificates:
            included = ""
            if certificate.status == CertificateStatus.ISSUED and certificate.pdf:
                included = f"{certificate.number}.pdf"
                with certificate.pdf.open("rb") as handle:
                    archive.writestr(included, handle.read())
            with translation.override("id"):
                status = str(CertificateStatus(certificate.status).label)
            writer.writerow(
                safe_cell(cell)
                for cell in [
                    certificate.number,
                    certificate.holder_name,
                    certificate.theme_name,
                    certificate.starts_on.isoformat(),
                    certificate.ends_on.isoformat(),
                    status,
                    timezone.localtime(certificate.revoked_at).date().isoformat()
                    if certificate.revoked_at
                    else "",
                    certificate.revocation_reason,
                    included,
                ]
            )
        # A byte-order mark so that spreadsheet programs read the names as UTF-8.
        archive.writestr("register.csv", "\ufeff" + register.getvalue())
    with transaction.atomic():
        record_event(
            actor=actor, action="certificates.exported", target=batch, detail={"count": len(certificates)}
        )
    return buffer.getvalue()
