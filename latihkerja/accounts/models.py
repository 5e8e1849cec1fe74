"""The user account. One role per account; the role's anchor (agency, centre, company) is a column.

A database constraint ties each role to its anchor, so an operator without a centre cannot exist and
cannot accidentally see everything.
"""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from .enums import STAFF_ROLES, Role


class User(AbstractUser):
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

    class Meta(AbstractUser.Meta):
        verbose_name = _("pengguna")  # type: ignore[assignment]
        verbose_name_plural = _("pengguna")  # type: ignore[assignment]
        constraints = [
            models.CheckConstraint(condition=models.Q(role__in=Role.values), name="user_role_valid"),
            models.CheckConstraint(
                condition=~models.Q(role=Role.OPD) | models.Q(agency__isnull=False),
                name="user_opd_has_agency",
            ),
            models.CheckConstraint(
                condition=~models.Q(role=Role.OPERATOR) | models.Q(center__isnull=False),
                name="user_operator_has_center",
            ),
            models.CheckConstraint(
                condition=~models.Q(role=Role.EMPLOYER) | models.Q(company__isnull=False),
                name="user_employer_has_company",
            ),
        ]

    @property
    def is_staff_role(self) -> bool:
        return self.role in STAFF_ROLES
