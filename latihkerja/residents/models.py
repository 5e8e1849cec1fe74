"""A resident's profile. One NIK = one resident, enforced by a unique keyed digest.

The NIK and KK are never stored in clear (see `residents.crypto`). Staff access is audit-logged.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from latihkerja.accounts.enums import Role
from latihkerja.common.models import ScopedQuerySet, TimeStampedModel
from latihkerja.regions.models import Kelurahan

from .crypto import decrypt_identity
from .enums import Education, EmploymentStatus, Sex
from .errors import ResidentError

if TYPE_CHECKING:
    from latihkerja.accounts.models import User


# The name an erased resident's profile keeps (`services.erase_resident`): the row stays for the programme's
# figures and the evidence of its spending, without anyone's identity.
ERASED_NAME = "Data dihapus"


def operator_residents(center_id: int) -> Any:
    """The ids of the residents a centre's operator serves (docs/privacy.md), as a subquery: those of the
    centre's kelurahan (assisted intake happens at the kelurahan office), and those holding a seat in one of its
    classes, offered or taken (they come from anywhere in the city; the operator runs the class and calls
    them). Not people whose offer lapsed or who withdrew."""
    from latihkerja.batches.models import SEAT_HOLDING_STATUSES, Enrollment  # batches builds on residents
    from latihkerja.regions.models import Kelurahan

    kelurahan = Kelurahan.objects.filter(centers__id=center_id).values("pk")
    seated = Enrollment.objects.filter(batch__center_id=center_id, status__in=SEAT_HOLDING_STATUSES)
    return Resident.objects.filter(
        Q(kelurahan__in=kelurahan) | Q(pk__in=seated.values("resident_id"))
    ).values("pk")


class ResidentQuerySet(ScopedQuerySet):
    def scoped_to(self, user: User) -> Self:
        if user.role == Role.BAPPEDA:
            return self.all()
        if user.role == Role.OPERATOR and user.center_id is not None:
            return self.filter(pk__in=operator_residents(user.center_id))
        if user.role == Role.RESIDENT:
            return self.filter(user=user)
        return self.none()


class Resident(TimeStampedModel):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("akun"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="resident",
    )
    nik_digest = models.CharField(_("sidik NIK"), max_length=64, unique=True, editable=False)
    nik_encrypted = models.TextField(_("NIK (terenkripsi)"), editable=False)
    kk_encrypted = models.TextField(_("No. KK (terenkripsi)"), blank=True, editable=False)
    full_name = models.CharField(_("nama lengkap"), max_length=200)
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("tanggal lahir"))
    kelurahan = models.ForeignKey(
        Kelurahan, verbose_name=_("kelurahan"), on_delete=models.PROTECT, related_name="residents"
    )
    address = models.CharField(_("alamat"), max_length=300)
    # Indexed: every sign-in by SMS code looks up the residents of the verified phone.
    phone = models.CharField(_("nomor HP"), max_length=20, db_index=True)
    email = models.EmailField(_("email"), blank=True)
    education = models.CharField(_("pendidikan terakhir"), max_length=10, choices=Education.choices)
    employment_status = models.CharField(
        _("status pekerjaan"), max_length=12, choices=EmploymentStatus.choices
    )
    has_disability = models.BooleanField(_("penyandang disabilitas"), default=False)
    interests = models.ManyToManyField(
        "catalog.Theme", blank=True, related_name="interested_residents", verbose_name=_("minat pelatihan")
    )

    objects = ResidentQuerySet.as_manager()

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("warga")
        verbose_name_plural = _("warga")
        constraints = [
            models.CheckConstraint(condition=models.Q(sex__in=Sex.values), name="resident_sex_valid"),
            models.CheckConstraint(
                condition=models.Q(employment_status__in=EmploymentStatus.values),
                name="resident_employment_status_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["kelurahan", "employment_status"], name="resident_kel_employment"),
            # The admin lists residents by name (the model's order): read from the index, not sorted whole.
            models.Index(fields=["full_name"], name="resident_full_name"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def is_erased(self) -> bool:
        return not self.nik_encrypted

    def shares_phone(self) -> bool:
        """Whether another resident uses this phone too (a family's): its codes and messages are theirs too."""
        return Resident.objects.filter(phone=self.phone).exclude(pk=self.pk).exists()

    @property
    def nik(self) -> str:
        """The NIK in clear; blank once the resident's data is erased."""
        return decrypt_identity(self.nik_encrypted) if self.nik_encrypted else ""

    @property
    def language(self) -> str:
        """The language the resident reads messages in: their account's, Indonesian for a profile without one
        (imported or registered by an operator, not signed in yet)."""
        return self.user.language if self.user is not None else "id"

    @property
    def masked_nik(self) -> str:
        nik = self.nik
        return f"{nik[:6]}••••••{nik[12:]}" if nik else "—"


class DeletionRequestStatus(models.TextChoices):
    PENDING = "pending", _("Menunggu diproses")
    DONE = "done", _("Data dihapus")
    REFUSED = "refused", _("Ditolak (wajib disimpan)")


class DeletionRequestQuerySet(ScopedQuerySet):
    def scoped_to(self, user: User) -> Self:
        return self.all() if user.role == Role.BAPPEDA else self.none()


class DeletionRequest(models.Model):
    """A resident's request to delete their data (UU PDP), handled by Bappeda as the data controller.

    What may be erased depends on what the law still requires to be kept (attendance and certificates are
    evidence for the programme's spending); Bappeda records the decision and a note the resident can read."""

    resident = models.ForeignKey(
        Resident, verbose_name=_("warga"), on_delete=models.CASCADE, related_name="deletion_requests"
    )
    requested_at = models.DateTimeField(_("diminta pada"), auto_now_add=True)
    reason = models.CharField(_("alasan"), max_length=500, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=DeletionRequestStatus.choices,
        default=DeletionRequestStatus.PENDING,
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ditangani oleh"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    handled_at = models.DateTimeField(_("diproses pada"), null=True, blank=True)
    note = models.TextField(_("catatan untuk warga"), blank=True)

    objects = DeletionRequestQuerySet.as_manager()

    class Meta:
        ordering = ["requested_at"]
        verbose_name = _("permintaan hapus data")
        verbose_name_plural = _("permintaan hapus data")
        constraints = [
            # `resident` is read-only in the admin, so model validation skips this one: `clean` checks it instead.
            models.UniqueConstraint(
                fields=["resident"],
                condition=models.Q(status="pending"),
                name="one_pending_deletion_request",
                violation_error_code="deletion_already_pending",
                violation_error_message=ResidentError.DELETION_ALREADY_PENDING,
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=DeletionRequestStatus.values),
                name="deletion_request_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resident} ({self.get_status_display()})"

    def clean(self) -> None:
        """A decided request put back to pending while the resident has another one pending: one at a time."""
        if (
            self.status == DeletionRequestStatus.PENDING
            and self.resident_id is not None
            and DeletionRequest.objects.filter(
                resident_id=self.resident_id, status=DeletionRequestStatus.PENDING
            )
            .exclude(pk=self.pk)
            .exists()
        ):
            raise ValidationError(
                {
                    "status": ValidationError(
                        ResidentError.DELETION_ALREADY_PENDING, code="deletion_already_pending"
                    )
                }
            )
