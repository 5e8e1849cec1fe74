"""Allocation runs, the placement each run gives every application, and the wait lists of a published run.

The offer itself is the seat: `batches.Enrollment` with status `offered`, a `respond_by` deadline and the run
that made it, so an offer counts in `Batch.seats_taken` and can never overbook a batch.
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
from latihkerja.registration.models import Application

from .enums import Mechanism, RunStatus

if TYPE_CHECKING:
    from latihkerja.accounts.models import User


class BappedaOnlyQuerySet(ScopedQuerySet):
    """Runs, placements and wait lists name residents' priorities: Bappeda only (residents see their own
    result through `allocation.queries.explain`, never these rows)."""

    def scoped_to(self, user: User) -> Self:
        if user.role == Role.BAPPEDA:
            return self.all()
        return self.none()


class AllocationRun(TimeStampedModel):
    """One computation of the period's seat allocation, reproducible from what it stores.

    A rerun with the same `seed`, `policy`, engine input (`inputs_hash`: SHA-256 of the canonical JSON the
    engine received) and `engine_version` gives the same placements bit for bit. `metrics` holds the
    engine's figures, the cancelled batches, the input batch ids and the comparison of the three mechanisms
    on the same input. At most one run per period is ever published (a constraint).
    """

    period = models.ForeignKey(
        Period, on_delete=models.PROTECT, related_name="allocation_runs", verbose_name=_("periode")
    )
    mechanism = models.CharField(_("mekanisme"), max_length=10, choices=Mechanism.choices)
    seed = models.CharField(_("benih undian"), max_length=64)
    policy = models.JSONField(_("kebijakan prioritas"))
    offer_response_days = models.PositiveSmallIntegerField(_("batas jawab tawaran (hari)"))
    inputs_hash = models.CharField(_("sidik data masukan"), max_length=64, blank=True)
    engine_version = models.CharField(_("versi mesin"), max_length=20)
    status = models.CharField(_("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("kemajuan (%)"), default=0)
    metrics = models.JSONField(_("ringkasan"), default=dict, blank=True)
    error = models.TextField(_("kesalahan"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dijalankan oleh"),
    )
    finished_at = models.DateTimeField(_("selesai pada"), null=True, blank=True)
    published_at = models.DateTimeField(_("diumumkan pada"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diumumkan oleh"),
    )

    objects = BappedaOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("hitungan alokasi")
        verbose_name_plural = _("hitungan alokasi")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=RunStatus.values), name="allocation_run_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(mechanism__in=Mechanism.values), name="allocation_run_mechanism_valid"
            ),
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="allocation_run_progress_at_most_100"
            ),
            models.UniqueConstraint(
                fields=["period"],
                condition=Q(status="published"),
                name="allocation_one_published_run_per_period",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.period} ({self.mechanism})"


class Placement(models.Model):
    """What run `run` gave application `application`: a batch (its `choice_rank`-th choice), or nothing.

    `priority_group` and `lottery` describe the applicant; `locality` and `key` are those at the batch they
    got (empty when unplaced). One row per application and run.
    """

    run = models.ForeignKey(
        AllocationRun, verbose_name=_("proses alokasi"), on_delete=models.CASCADE, related_name="placements"
    )
    application = models.ForeignKey(
        Application, verbose_name=_("pendaftaran"), on_delete=models.PROTECT, related_name="placements"
    )
    batch = models.ForeignKey(
        Batch,
        verbose_name=_("kelas"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="placements",
    )
    choice_rank = models.PositiveSmallIntegerField(_("pilihan ke-"), null=True, blank=True)
    priority_group = models.PositiveSmallIntegerField(_("kelompok prioritas"))
    locality = models.PositiveSmallIntegerField(_("kedekatan"), null=True, blank=True)
    lottery = models.FloatField(_("nomor undian"))
    key = models.FloatField(_("kunci prioritas"), null=True, blank=True)

    objects = BappedaOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["run", "application"]
        verbose_name = _("hasil penempatan")
        verbose_name_plural = _("hasil penempatan")
        constraints = [
            models.UniqueConstraint(fields=["run", "application"], name="placement_one_per_application"),
            models.CheckConstraint(
                condition=(Q(batch__isnull=True) & Q(choice_rank__isnull=True) & Q(key__isnull=True))
                | (Q(batch__isnull=False) & Q(choice_rank__gte=1) & Q(key__isnull=False)),
                name="placement_batch_has_rank_and_key",
            ),
        ]
        indexes = [models.Index(fields=["run", "batch"], name="placement_run_batch")]

    def __str__(self) -> str:
        return f"{self.application_id} → {self.batch_id or '—'}"


class WaitlistEntry(models.Model):
    """A published run's wait list of one batch: every applicant who ranked it above what they got (or got
    nothing), by their key at the batch (then application id as a string, like the engine). `offered_at` is
    set, by a conditional update, when a freed seat is offered to them."""

    run = models.ForeignKey(
        AllocationRun, verbose_name=_("proses alokasi"), on_delete=models.CASCADE, related_name="waitlist"
    )
    batch = models.ForeignKey(
        Batch, verbose_name=_("kelas"), on_delete=models.PROTECT, related_name="waitlist_entries"
    )
    application = models.ForeignKey(
        Application, verbose_name=_("pendaftaran"), on_delete=models.PROTECT, related_name="waitlist_entries"
    )
    key = models.FloatField(_("kunci prioritas"))
    position = models.PositiveIntegerField(_("urutan"))
    offered_at = models.DateTimeField(_("ditawari pada"), null=True, blank=True)

    objects = BappedaOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["run", "batch", "position"]
        verbose_name = _("daftar tunggu")
        verbose_name_plural = _("daftar tunggu")
        constraints = [
            models.UniqueConstraint(fields=["run", "batch", "position"], name="waitlist_unique_position"),
            models.UniqueConstraint(fields=["run", "batch", "application"], name="waitlist_once_per_batch"),
            models.CheckConstraint(condition=Q(position__gte=1), name="waitlist_position_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.batch_id} #{self.position}"
