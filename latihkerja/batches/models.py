"""A batch (angkatan/kelas): one theme at one centre in one period, with a schedule and a seat count."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, Self

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Case, ExpressionWrapper, F, Max, Min, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from latihkerja.accounts.enums import Role
from latihkerja.catalog.enums import Modality
from latihkerja.catalog.models import Theme
from latihkerja.centers.models import Center, Room
from latihkerja.common.models import ScopedQuerySet, TimeStampedModel
from latihkerja.programs.models import Period

from .enums import PUBLIC_STATUSES, BatchStatus
from .errors import BatchError

if TYPE_CHECKING:
    from latihkerja.accounts.models import User


class BatchQuerySet(ScopedQuerySet):
    def scoped_to(self, user: User) -> Self:
        if user.role == Role.BAPPEDA:
            return self.all()
        if user.role == Role.OPD:
            return self.filter(theme__agency_id=user.agency_id)
        if user.role == Role.OPERATOR:
            return self.filter(center_id=user.center_id)
        if user.role == Role.INSTRUCTOR:
            return self.filter(instructors=user)
        return self.none()

    def public(self) -> Self:
        return self.filter(status__in=PUBLIC_STATUSES, period__is_published=True)

    def with_seats_left(self) -> Self:
        """Annotate `seats_left` (capacity minus seats taken), filterable and sortable in SQL."""
        return self.annotate(seats_left=F("capacity") - F("seats_taken"))

    def with_late_join(self) -> Self:
        """Annotate `late_join_open`: whether someone taking a left-over seat now could still complete the class.

        The completion rule counts attendance against every held hour, so a late joiner who attends all that is
        left needs the held hours to stay within (100 − rule)% of the class's hours (its sessions not
        cancelled). Open for an allocated class and for a running one without sessions yet."""
        sessions = (
            apps.get_model("training", "TrainingSession")
            .objects.filter(batch=OuterRef("pk"))
            .exclude(status="cancelled")
            .order_by()
            .values("batch")
        )

        def hours(queryset: Any) -> Coalesce:
            return Coalesce(
                Subquery(queryset.annotate(total=Sum("hours")).values("total")),
                Value(Decimal("0")),
                output_field=models.DecimalField(max_digits=8, decimal_places=1),
            )

        percent = models.DecimalField(max_digits=12, decimal_places=1)  # hours × 100, compared in integers
        return self.annotate(
            late_hours_planned=hours(sessions), late_hours_held=hours(sessions.filter(status="held"))
        ).annotate(
            late_held_x100=ExpressionWrapper(F("late_hours_held") * 100, output_field=percent),
            late_allowed_x100=ExpressionWrapper(
                F("late_hours_planned") * (Value(100) - F("theme__completion_attendance_percent")),
                output_field=percent,
            ),
            late_join_open=Case(
                When(status=BatchStatus.ALLOCATED, then=Value(True)),
                When(
                    Q(status=BatchStatus.RUNNING) & Q(late_held_x100__lte=F("late_allowed_x100")),
                    then=Value(True),
                ),
                default=Value(False),
                output_field=models.BooleanField(),
            ),
        )


class Batch(TimeStampedModel):
    """Seats are `capacity`; `seats_taken` is maintained with F() updates and bounded by a constraint,
    so the database, not Python, guarantees that a batch never overbooks. Status changes go through
    `batches.services.change_batch_status` only."""

    code = models.SlugField(_("kode"), max_length=60, unique=True)
    period = models.ForeignKey(
        Period, on_delete=models.PROTECT, related_name="batches", verbose_name=_("periode")
    )
    center = models.ForeignKey(
        Center, on_delete=models.PROTECT, related_name="batches", verbose_name=_("BLK")
    )
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="batches", verbose_name=_("tema"))
    room = models.ForeignKey(
        Room,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="batches",
        verbose_name=_("ruang"),
    )
    modality = models.CharField(_("modalitas"), max_length=10, choices=Modality.choices)
    capacity = models.PositiveIntegerField(
        _("kursi"), validators=[MinValueValidator(1, BatchError.CAPACITY_POSITIVE)]
    )
    minimum = models.PositiveIntegerField(_("peserta minimum"))
    seats_taken = models.PositiveIntegerField(_("kursi terisi"), default=0)
    starts_on = models.DateField(_("mulai"))
    ends_on = models.DateField(_("selesai"))
    status = models.CharField(
        _("status"), max_length=12, choices=BatchStatus.choices, default=BatchStatus.DRAFT
    )
    instructors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="teaching_batches",
        verbose_name=_("instruktur"),
        limit_choices_to={"role": Role.INSTRUCTOR},
    )

    objects = BatchQuerySet.as_manager()

    class Meta:
        ordering = ["starts_on", "code"]
        verbose_name = _("kelas pelatihan")
        verbose_name_plural = _("kelas pelatihan")
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__gt=0),
                name="batch_capacity_positive",
                violation_error_message=BatchError.CAPACITY_POSITIVE,
            ),
            models.CheckConstraint(
                condition=Q(minimum__lte=F("capacity")),
                name="batch_minimum_within_capacity",
                violation_error_message=BatchError.MINIMUM_ABOVE_CAPACITY,
            ),
            # `seats_taken` is never on a form, so model validation skips this one: `clean` checks it instead.
            models.CheckConstraint(
                condition=Q(seats_taken__lte=F("capacity")),
                name="batch_never_overbooked",
                violation_error_message=BatchError.CAPACITY_BELOW_TAKEN,
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="batch_ends_after_start",
                violation_error_message=BatchError.ENDS_BEFORE_START,
            ),
            models.CheckConstraint(condition=Q(status__in=BatchStatus.values), name="batch_status_valid"),
            models.CheckConstraint(condition=Q(modality__in=Modality.values), name="batch_modality_valid"),
        ]
        indexes = [
            models.Index(fields=["period", "status"], name="batch_period_status"),
            models.Index(fields=["center", "period"], name="batch_center_period"),
        ]

    def __str__(self) -> str:
        return f"{self.theme.display_name} — {self.center.name} ({self.starts_on:%d/%m/%Y})"

    def clean(self) -> None:
        """The facts the services keep by construction, checked when a batch is edited by hand (the admin)."""
        errors: dict[str, ValidationError] = {}
        if self.capacity and self.seats_taken > self.capacity:
            errors["capacity"] = ValidationError(BatchError.CAPACITY_BELOW_TAKEN, code="capacity_below_taken")
        if self.room is not None and self.center_id is not None and self.room.center_id != self.center_id:
            errors["room"] = ValidationError(BatchError.ROOM_OF_OTHER_CENTER, code="room_of_other_center")
        if (
            self.theme_id is not None
            and self.modality in Modality.values
            and not self.theme.allows(self.modality)
        ):
            errors["modality"] = ValidationError(
                BatchError.MODALITY_NOT_ALLOWED,
                code="modality_not_allowed",
                params={"modality": Modality(self.modality).label},
            )
        errors |= self._dates_around_sessions()
        if errors:
            raise ValidationError(errors)

    def _dates_around_sessions(self) -> dict[str, ValidationError]:
        """The class's dates hold its sessions still on the calendar (not cancelled)."""
        if self.pk is None or self.starts_on is None or self.ends_on is None:
            return {}
        span = self.sessions.exclude(status="cancelled").aggregate(first=Min("date"), last=Max("date"))
        errors: dict[str, ValidationError] = {}
        if span["first"] is not None and self.starts_on > span["first"]:
            errors["starts_on"] = ValidationError(
                BatchError.STARTS_AFTER_SESSION,
                code="starts_after_session",
                params={"date": date_format(span["first"], "j F Y")},
            )
        if span["last"] is not None and self.ends_on < span["last"]:
            errors["ends_on"] = ValidationError(
                BatchError.ENDS_BEFORE_SESSION,
                code="ends_before_session",
                params={"date": date_format(span["last"], "j F Y")},
            )
        return errors


class EnrollmentStatus(models.TextChoices):
    """`offered` (seat held, awaiting the resident) → `active` | `declined` | `expired` | `replaced` (a seat of
    a choice they ranked higher came free from its wait list); `active` → `withdrawn`; `offered` | `active` →
    `cancelled` when the batch itself is cancelled.

    An offer *is* the seat: it counts in `Batch.seats_taken` from the moment it is made, so an offer can never
    overbook a batch and a declined or expired offer frees exactly one seat."""

    OFFERED = "offered", _("Ditawari kursi")
    ACTIVE = "active", _("Peserta")
    WITHDRAWN = "withdrawn", _("Mengundurkan diri")
    DECLINED = "declined", _("Menolak tawaran")
    EXPIRED = "expired", _("Tawaran kedaluwarsa")
    CANCELLED = "cancelled", _("Kelas dibatalkan")
    REPLACED = "replaced", _("Diganti tawaran pilihan yang lebih tinggi")


# The statuses that hold a seat: counted in `Batch.seats_taken`, at most one per resident per period.
SEAT_HOLDING_STATUSES = (EnrollmentStatus.OFFERED, EnrollmentStatus.ACTIVE)


class EnrollmentSource(models.TextChoices):
    ALLOCATION = "allocation", _("Hasil alokasi")
    FCFS = "fcfs", _("Kursi sisa (siapa cepat)")


class Enrollment(TimeStampedModel):
    """A resident holding (or having held) a seat in a batch. At most one offered-or-active seat per resident
    per period (a constraint); `Batch.seats_taken` counts the offered and active ones and is changed in the
    same transaction. Offers made by an allocation run carry the `run` and the `respond_by` deadline."""

    batch = models.ForeignKey(
        Batch, on_delete=models.PROTECT, related_name="enrollments", verbose_name=_("kelas")
    )
    period = models.ForeignKey(
        Period, on_delete=models.PROTECT, related_name="enrollments", verbose_name=_("periode")
    )
    resident = models.ForeignKey(
        "residents.Resident", on_delete=models.PROTECT, related_name="enrollments", verbose_name=_("warga")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=EnrollmentStatus.choices, default=EnrollmentStatus.ACTIVE
    )
    source = models.CharField(_("asal"), max_length=12, choices=EnrollmentSource.choices)
    respond_by = models.DateTimeField(_("jawab sebelum"), null=True, blank=True)
    run = models.ForeignKey(
        "allocation.AllocationRun",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enrollments",
        verbose_name=_("hitungan alokasi"),
    )

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("peserta kelas")
        verbose_name_plural = _("peserta kelas")
        constraints = [
            models.UniqueConstraint(
                fields=["resident", "period"],
                condition=Q(status__in=["offered", "active"]),
                name="enrollment_one_seat_per_period",
            ),
            models.CheckConstraint(
                condition=~Q(status="offered") | Q(respond_by__isnull=False),
                name="enrollment_offer_has_deadline",
            ),
            models.CheckConstraint(
                condition=Q(status__in=EnrollmentStatus.values), name="enrollment_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resident} @ {self.batch.code}"
