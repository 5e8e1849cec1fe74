"""Consent, applications and ranked choices of a programme period.

One application per resident per period and distinct ranked choices are database constraints, so a retried
or double-clicked submit can never create a second application.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from latihkerja.accounts.enums import Role
from latihkerja.batches.models import Batch
from latihkerja.common.models import ScopedQuerySet, TimeStampedModel
from latihkerja.programs.models import Period
from latihkerja.regions.models import Kelurahan
from latihkerja.residents.models import Resident

from .enums import ApplicationStatus, Source

if TYPE_CHECKING:
    from latihkerja.accounts.models import User


class Consent(models.Model):
    """A resident's consent to the stated purposes, with the exact text version, time and who assisted."""

    resident = models.ForeignKey(
        Resident, verbose_name=_("warga"), on_delete=models.CASCADE, related_name="consents"
    )
    version = models.CharField(_("versi teks"), max_length=20)
    text_digest = models.CharField(_("sidik teks"), max_length=64)
    accepted_at = models.DateTimeField(_("disetujui pada"), auto_now_add=True)
    source = models.CharField(_("cara"), max_length=10, choices=Source.choices)
    assisted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dibantu oleh"),
    )

    class Meta:
        ordering = ["-accepted_at"]
        verbose_name = _("persetujuan")
        # The admin's list, newest first, reads the index instead of sorting every consent of the city.
        indexes = [models.Index(fields=["-accepted_at"], name="consent_accepted_desc")]
        verbose_name_plural = _("persetujuan")

    def __str__(self) -> str:
        return f"{self.resident} — {self.version}"


class ApplicationQuerySet(ScopedQuerySet):
    def scoped_to(self, user: User) -> Self:
        if user.role == Role.BAPPEDA:
            return self.all()
        # Subqueries on indexed columns instead of an OR across joins with DISTINCT, which read every
        # application, choice and resident of the city to find one centre's (seconds at 200,000 residents).
        if user.role == Role.OPERATOR:
            return self.filter(
                Q(
                    pk__in=ApplicationChoice.objects.filter(Q(batch__center_id=user.center_id)).values(
                        "application_id"
                    )
                )
                | Q(
                    resident__kelurahan_id__in=Kelurahan.objects.filter(Q(centers__id=user.center_id)).values(
                        "pk"
                    )
                )
            )
        if user.role == Role.OPD:
            return self.filter(
                pk__in=ApplicationChoice.objects.filter(Q(batch__theme__agency_id=user.agency_id)).values(
                    "application_id"
                )
            )
        if user.role == Role.RESIDENT:
            return self.filter(resident__user=user)
        return self.none()


class Application(TimeStampedModel):
    resident = models.ForeignKey(
        Resident, verbose_name=_("warga"), on_delete=models.CASCADE, related_name="applications"
    )
    period = models.ForeignKey(
        Period, verbose_name=_("periode"), on_delete=models.PROTECT, related_name="applications"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ApplicationStatus.choices, default=ApplicationStatus.SUBMITTED
    )
    source = models.CharField(_("cara"), max_length=10, choices=Source.choices, default=Source.ONLINE)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dikirim oleh"),
    )
    revision = models.PositiveIntegerField(_("revisi"), default=1)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("pendaftaran")
        verbose_name_plural = _("pendaftaran")
        constraints = [
            models.UniqueConstraint(
                fields=["resident", "period"], name="application_one_per_resident_and_period"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ApplicationStatus.values), name="application_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["period", "status"], name="application_period_status")]

    def __str__(self) -> str:
        return f"{self.resident} — {self.period}"


class ApplicationChoice(models.Model):
    """The resident's rank-th preferred batch (rank 1 = first choice)."""

    application = models.ForeignKey(
        Application, verbose_name=_("pendaftaran"), on_delete=models.CASCADE, related_name="choices"
    )
    rank = models.PositiveSmallIntegerField(_("urutan"))
    batch = models.ForeignKey(
        Batch, verbose_name=_("kelas"), on_delete=models.PROTECT, related_name="choices"
    )

    class Meta:
        ordering = ["application", "rank"]
        verbose_name = _("pilihan kelas")
        verbose_name_plural = _("pilihan kelas")
        constraints = [
            models.UniqueConstraint(fields=["application", "rank"], name="choice_unique_rank"),
            models.UniqueConstraint(fields=["application", "batch"], name="choice_unique_batch"),
            models.CheckConstraint(condition=Q(rank__gte=1), name="choice_rank_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.rank}. {self.batch}"


# --- Bulk import of registrations (registration.imports) -------------------------------------------------


def _import_upload_to(instance: RegistrationImport, filename: str) -> str:
    # A random name: the stored path must not carry the uploader's file name (it may hold a person's name).
    import uuid
    from pathlib import PurePath

    return f"imports/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()[:6]}"


class InterestNotice(models.Model):
    """A resident was told (`services.notify_interested`) that classes of `theme` opened in their kecamatan in
    `period`: each theme at most once per period and resident, so a theme that opens later is still told."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="+")
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="interest_notices")
    theme = models.ForeignKey("catalog.Theme", on_delete=models.CASCADE, related_name="+")
    told_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pemberitahuan minat")
        verbose_name_plural = _("pemberitahuan minat")
        constraints = [
            models.UniqueConstraint(fields=["period", "resident", "theme"], name="interest_notice_once"),
        ]

    def __str__(self) -> str:
        return f"{self.period_id}/{self.resident_id}/{self.theme_id}"


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Diunggah")
    VALIDATING = "validating", _("Sedang diperiksa")
    VALID = "valid", _("Siap disimpan")
    INVALID = "invalid", _("Ada kesalahan")
    COMMITTING = "committing", _("Sedang disimpan")
    COMMITTED = "committed", _("Tersimpan")
    FAILED = "failed", _("Gagal disimpan")
    DISCARDED = "discarded", _("Dibuang")


class RegistrationImportQuerySet(ScopedQuerySet):
    def scoped_to(self, user: User) -> Self:
        if user.role == Role.BAPPEDA:
            return self.all()
        if user.role == Role.OPERATOR:
            return self.filter(center_id=user.center_id)
        return self.none()


class RegistrationImport(TimeStampedModel):
    """A spreadsheet of registrations collected on paper by a BLK (or city-wide by Bappeda, `center` empty).

    Life-cycle: uploaded → validating → valid | invalid; valid → committing → committed | failed; valid →
    discarded (by whoever may see it, instead of committing). Only
    `registration.imports` writes `status`. `errors` keeps the first `imports.ERROR_LIMIT` problems
    (`{"row", "column", "message", "name", "value"}`, messages in `language`); `error_count` is the total. The file holds NIKs in
    clear, so it is deleted as soon as the import reaches a state where it is no longer needed.
    """

    period = models.ForeignKey(
        Period, on_delete=models.PROTECT, related_name="registration_imports", verbose_name=_("periode")
    )
    center = models.ForeignKey(
        "centers.Center",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="registration_imports",
        verbose_name=_("BLK"),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diunggah oleh"),
    )
    file = models.FileField(_("berkas"), upload_to=_import_upload_to, blank=True)
    original_name = models.CharField(_("nama berkas"), max_length=255)
    status = models.CharField(
        _("status"), max_length=12, choices=ImportStatus.choices, default=ImportStatus.UPLOADED
    )
    row_count = models.PositiveIntegerField(_("jumlah baris"), default=0)
    valid_count = models.PositiveIntegerField(_("baris benar"), default=0)
    error_count = models.PositiveIntegerField(_("jumlah kesalahan"), default=0)
    # Good rows of residents already registered (same NIK, name and birth date, no application in the period):
    # their stored profile stays, the import adds only their class choices and new interests.
    known_count = models.PositiveIntegerField(_("warga sudah terdaftar"), default=0)
    errors = models.JSONField(_("kesalahan"), default=list, blank=True)
    # The first rows of a valid file as they will be saved, to compare with the paper forms before committing;
    # emptied with the file.
    preview = models.JSONField(_("contoh baris"), default=list, blank=True)
    progress = models.PositiveSmallIntegerField(_("kemajuan (%)"), default=0)
    committed_at = models.DateTimeField(_("disimpan pada"), null=True, blank=True)
    # The uploader's language when they uploaded the file: the error report is written in it.
    language = models.CharField(_("bahasa laporan"), max_length=8, choices=settings.LANGUAGES, default="id")

    objects = RegistrationImportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("impor pendaftaran")
        verbose_name_plural = _("impor pendaftaran")
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ImportStatus.values), name="import_status_valid"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="import_progress_at_most_100"),
        ]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.period})"
