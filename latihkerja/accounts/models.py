"""The user account. One role per account; the role's anchor (agency, centre, company) is a column.

A database constraint ties each role to its anchor, so an operator without a centre cannot exist and
cannot accidentally see everything.
"""

import datetime as dt

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enums import STAFF_ROLES, Role
from .errors import AccountError


class LatihKerjaUserManager(UserManager["User"]):
    def create_superuser(self, username: str, email: str | None = None, password: str | None = None, **extra):  # type: ignore[no-untyped-def, override]
        """`manage.py createsuperuser` makes the city's first administrator: a Bappeda account (the role that
        manages accounts and sees the whole city), not a resident's."""
        extra.setdefault("role", Role.BAPPEDA)
        return super().create_superuser(username, email, password, **extra)


# How long a new staff account may add its authenticator app with the password alone, and how long after the
# admin deletes a lost phone's device. Past it, a stolen password cannot attach the thief's own app.
TWO_FACTOR_SETUP_DAYS = 7
TWO_FACTOR_RESET_HOURS = 24


def two_factor_setup_deadline() -> dt.datetime:
    return timezone.now() + dt.timedelta(days=TWO_FACTOR_SETUP_DAYS)


class User(AbstractUser):
    objects = LatihKerjaUserManager()  # type: ignore[misc]

    role = models.CharField(_("peran"), max_length=20, choices=Role.choices, default=Role.RESIDENT)
    agency = models.ForeignKey(
        "agencies.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supervisors",
        verbose_name=_("OPD"),
    )
    center = models.ForeignKey(
        "centers.Center",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="operators",
        verbose_name=_("BLK"),
    )
    company = models.ForeignKey(
        "demand.Company",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("perusahaan"),
    )
    phone = models.CharField(_("nomor HP"), max_length=20, blank=True)
    language = models.CharField(_("bahasa"), max_length=5, choices=settings.LANGUAGES, default="id")
    two_factor_setup_until = models.DateTimeField(
        _("pasang aplikasi autentikator sampai"),
        null=True,
        blank=True,
        default=two_factor_setup_deadline,
        help_text=_(
            "Sampai kapan staf ini boleh memasang aplikasi autentikator hanya dengan kata sandi. Menghapus "
            "perangkatnya membuka lagi 24 jam."
        ),
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("pengguna")  # type: ignore[assignment]
        verbose_name_plural = _("pengguna")  # type: ignore[assignment]
        constraints = [
            models.CheckConstraint(condition=models.Q(role__in=Role.values), name="user_role_valid"),
            models.CheckConstraint(
                condition=~models.Q(role=Role.OPD) | models.Q(agency__isnull=False),
                name="user_opd_has_agency",
                violation_error_message=AccountError.OPD_WITHOUT_AGENCY,
            ),
            models.CheckConstraint(
                condition=~models.Q(role=Role.OPERATOR) | models.Q(center__isnull=False),
                name="user_operator_has_center",
                violation_error_message=AccountError.OPERATOR_WITHOUT_CENTER,
            ),
            models.CheckConstraint(
                condition=~models.Q(role=Role.EMPLOYER) | models.Q(company__isnull=False),
                name="user_employer_has_company",
                violation_error_message=AccountError.EMPLOYER_WITHOUT_COMPANY,
            ),
        ]

    @property
    def is_staff_role(self) -> bool:
        return self.role in STAFF_ROLES


class OneTimeCode(models.Model):
    """A 6-digit code sent to a phone to prove the person holds it. Only its keyed digest is stored.

    Expires after a few minutes, is single-use (`consumed_at`), and is dead after MAX_ATTEMPTS wrong guesses.
    """

    phone = models.CharField(_("nomor HP"), max_length=16, db_index=True)
    code_digest = models.CharField(verbose_name=_("sidik kode"), max_length=64)
    created_at = models.DateTimeField(verbose_name=_("dibuat"), auto_now_add=True, db_index=True)
    expires_at = models.DateTimeField(verbose_name=_("kedaluwarsa"))
    attempts = models.PositiveSmallIntegerField(default=0)
    consumed_at = models.DateTimeField(verbose_name=_("dipakai"), null=True, blank=True)
    requested_ip = models.GenericIPAddressField(null=True, blank=True)
    # Requested by a signed-in operator for a resident at the desk: counted and checked apart from the codes
    # anyone may request for the phone, so that strangers cannot use up or lock the office's.
    assisted = models.BooleanField(_("dibantu operator"), default=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("kode sekali pakai")
        verbose_name_plural = _("kode sekali pakai")
        indexes = [models.Index(fields=["requested_ip", "created_at"], name="otp_ip_created")]

    def __str__(self) -> str:
        return f"{self.phone} @ {self.created_at:%Y-%m-%d %H:%M}"
