"""Plans of a programme period: which theme runs at which centre in which month, and OPD capacities.

A `PlanRun` stores the exact engine input (`input`, the planner's JSON contract) and its result, so the review
page can re-evaluate any edit against the same data. Its `PlannedBatch` rows are the plan as it stands
(generated, then edited); approval turns each into one `batches.Batch` (`batch`, set once: idempotent).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from latihkerja.accounts.enums import Role
from latihkerja.agencies.models import Agency
from latihkerja.batches.models import Batch
from latihkerja.catalog.models import Theme
from latihkerja.centers.models import Center
from latihkerja.common.models import ScopedQuerySet, TimeStampedModel
from latihkerja.programs.models import Period

from .enums import PlanStatus, Source

if TYPE_CHECKING:
    from latihkerja.accounts.models import User

# What an OPD without its own row can supervise in one month (batches): instructors promised by default.
DEFAULT_OPD_MONTHLY_BATCHES = 200
VISIBLE_TO_OPD = (PlanStatus.SENT, PlanStatus.APPROVED)


class OpdMonthlyCapacity(models.Model):
    """How many batches an agency's instructors can supervise in one month (default 200 without a row)."""

    agency = models.OneToOneField(
        Agency, on_delete=models.CASCADE, related_name="monthly_capacity", verbose_name=_("OPD")
    )
    batches_per_month = models.PositiveIntegerField(_("kelas per bulan"), default=DEFAULT_OPD_MONTHLY_BATCHES)

    class Meta:
        ordering = ["agency__code"]
        verbose_name = _("kapasitas bulanan OPD")
        verbose_name_plural = _("kapasitas bulanan OPD")

    def __str__(self) -> str:
        return f"{self.agency}: {self.batches_per_month}"


class PlanRunQuerySet(ScopedQuerySet):
    def scoped_to(self, user: User) -> Self:
        if user.role == Role.BAPPEDA:
            return self.all()
        if user.role == Role.OPD and user.agency_id is not None:
            # A supervising agency sees a plan once it is sent, and only if it names one of its themes.
            # Matched by id in a subquery, not DISTINCT over the rows (their solver JSON is large).
            return self.filter(
                status__in=VISIBLE_TO_OPD,
                pk__in=PlannedBatch.objects.filter(theme__agency_id=user.agency_id).values("plan_id"),
            )
        return self.none()


class PlanRun(TimeStampedModel):
    """One generated plan of a period, its review state and, once approved, the batches it created."""

    period = models.ForeignKey(
        Period, on_delete=models.PROTECT, related_name="plans", verbose_name=_("periode")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.QUEUED
    )
    time_limit = models.FloatField(_("batas waktu (detik)"), default=10.0)
    input = models.JSONField(_("data masukan"), default=dict, blank=True)
    result = models.JSONField(_("hasil"), default=dict, blank=True)
    error = models.TextField(_("kesalahan"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dibuat oleh"),
    )
    finished_at = models.DateTimeField(_("selesai dihitung"), null=True, blank=True)
    sent_at = models.DateTimeField(_("dikirim ke OPD"), null=True, blank=True)
    approved_at = models.DateTimeField(_("disetujui pada"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("disetujui oleh"),
    )

    objects = PlanRunQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("rencana pelatihan")
        verbose_name_plural = _("rencana pelatihan")
        constraints = [
            models.CheckConstraint(condition=Q(status__in=PlanStatus.values), name="plan_status_valid"),
            models.UniqueConstraint(
                fields=["period"], condition=Q(status="approved"), name="plan_one_approved_per_period"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.period}"


class PlannedBatchQuerySet(ScopedQuerySet):
    def scoped_to(self, user: User) -> Self:
        if user.role == Role.BAPPEDA:
            return self.all()
        if user.role == Role.OPD:
            return self.filter(plan__status__in=VISIBLE_TO_OPD, theme__agency_id=user.agency_id)
        return self.none()


class PlannedBatch(models.Model):
    """A theme at a centre in a month (`YYYY-MM`) in a plan; `batch` is the class approval created."""

    plan = models.ForeignKey(
        PlanRun, verbose_name=_("rencana"), on_delete=models.CASCADE, related_name="planned"
    )
    center = models.ForeignKey(
        Center, on_delete=models.PROTECT, related_name="planned_batches", verbose_name=_("BLK")
    )
    theme = models.ForeignKey(
        Theme, on_delete=models.PROTECT, related_name="planned_batches", verbose_name=_("tema")
    )
    month = models.CharField(_("bulan"), max_length=7)
    source = models.CharField(_("asal"), max_length=10, choices=Source.choices, default=Source.GENERATED)
    approved_by_opd_at = models.DateTimeField(_("disetujui OPD pada"), null=True, blank=True)
    approved_by_opd = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("disetujui OPD oleh"),
    )
    batch = models.OneToOneField(
        Batch,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="planned_as",
        verbose_name=_("kelas"),
    )

    objects = PlannedBatchQuerySet.as_manager()

    class Meta:
        ordering = ["center__code", "month", "theme__code", "pk"]
        verbose_name = _("kelas terencana")
        verbose_name_plural = _("kelas terencana")
        constraints = [
            models.CheckConstraint(
                condition=Q(month__regex=r"^\d{4}-(0[1-9]|1[0-2])$"), name="planned_month_format"
            ),
            models.CheckConstraint(condition=Q(source__in=Source.values), name="planned_source_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.theme.code} @ {self.center.code} {self.month}"
