"""Certificates of graduates: one per `completed` training outcome.

A certificate hangs on the `training.Outcome` it attests (one-to-one, PROTECT): the outcome is the decision
"this participant completed", and a certificate without one cannot exist. `batch` and `resident` are copied
from the outcome's enrollment so that the scoped queries (staff by batch, resident by owner) need no join
through training. Everything printed on the PDF is a snapshot taken at issue time (`holder_name`,
`theme_name`, hours, centre, agency, dates, period): a renamed theme or a corrected name does not rewrite a
certificate already in someone's hands.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from latihkerja.accounts.enums import Role
from latihkerja.batches.models import Batch
from latihkerja.common.models import ScopedQuerySet, TimeStampedModel

from .enums import CertificateStatus
from .numbers import new_number

if TYPE_CHECKING:
    from latihkerja.accounts.models import User


class CertificateQuerySet(ScopedQuerySet):
    def scoped_to(self, user: User) -> Self:
        """Staff see the certificates of the batches they see; a resident sees their own."""
        if user.role in (Role.BAPPEDA, Role.OPD, Role.OPERATOR, Role.INSTRUCTOR):
            return self.filter(batch__in=Batch.objects.for_user(user))
        if user.role == Role.RESIDENT:
            return self.filter(resident__user=user)
        return self.none()


def certificate_upload_to(certificate: Certificate, filename: str) -> str:
    return f"certificates/{certificate.batch_id}/{certificate.number}.pdf"


class Certificate(TimeStampedModel):
    """A graduate's certificate. Its `number` is public (it is what an employer types to verify it) and
    unguessable; the PDF is rendered by the worker (`tasks.generate_batch_pdfs`) after issue."""

    outcome = models.OneToOneField(
        "training.Outcome", on_delete=models.PROTECT, related_name="certificate", verbose_name=_("hasil")
    )
    batch = models.ForeignKey(
        Batch, on_delete=models.PROTECT, related_name="certificates", verbose_name=_("kelas")
    )
    resident = models.ForeignKey(
        "residents.Resident", on_delete=models.PROTECT, related_name="certificates", verbose_name=_("warga")
    )
    number = models.CharField(_("nomor"), max_length=20, unique=True, default=new_number, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=CertificateStatus.choices, default=CertificateStatus.ISSUED
    )
    # Snapshot at issue time: what the PDF and the public page show.
    holder_name = models.CharField(_("nama pemegang"), max_length=200)
    theme_name = models.CharField(_("tema"), max_length=200)
    # The theme's English name at issue time, for English readers of the resident's list and the public page;
    # the PDF is the Indonesian document.
    theme_name_en = models.CharField(_("tema (Inggris)"), max_length=200, blank=True)
    hours_attended = models.DecimalField(_("JP dihadiri"), max_digits=6, decimal_places=1)
    hours_total = models.DecimalField(_("JP seluruhnya"), max_digits=6, decimal_places=1)
    center_name = models.CharField(_("BLK"), max_length=200)
    agency_name = models.CharField(_("OPD pembina"), max_length=200)
    starts_on = models.DateField(_("mulai"))
    ends_on = models.DateField(_("selesai"))
    period_name = models.CharField(_("periode"), max_length=200)
    issued_at = models.DateTimeField(_("diterbitkan"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diterbitkan oleh"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    pdf = models.FileField(_("berkas PDF"), upload_to=certificate_upload_to, blank=True)
    generated_at = models.DateTimeField(_("PDF dibuat"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("dicabut pada"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dicabut oleh"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revocation_reason = models.CharField(_("alasan pencabutan"), max_length=500, blank=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        ordering = ["batch", "holder_name", "pk"]
        verbose_name = _("sertifikat")
        verbose_name_plural = _("sertifikat")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=CertificateStatus.values), name="certificate_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status=CertificateStatus.ISSUED)
                | (Q(revoked_at__isnull=False) & ~Q(revocation_reason="")),
                name="certificate_revoked_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(hours_attended__gte=0) & Q(hours_total__gte=0),
                name="certificate_hours_not_negative",
            ),
        ]
        indexes = [models.Index(fields=["batch", "generated_at"], name="certificate_batch_generated")]

    @property
    def display_theme_name(self) -> str:
        """The theme as the reader reads it: its English name for an English reader, when it has one."""
        if translation.get_language() == "en" and self.theme_name_en:
            return self.theme_name_en
        return self.theme_name

    def __str__(self) -> str:
        return self.number

    @property
    def is_revoked(self) -> bool:
        return self.status == CertificateStatus.REVOKED

    def verification_url(self) -> str:
        """The absolute public address of this certificate's verification page (what the QR code holds)."""
        return verification_url(self.number)


def verification_url(number: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("certificates:verify", args=[number])
