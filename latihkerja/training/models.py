"""Running a batch: its sessions, the health-protocol sign-off, attendance, supervision and the outcome.

Every count that protects people is kept by the database: a luring session's `admitted` is bounded by its
`admitted_cap` (room capacity × the period's occupancy factor) with a check constraint and raised by one
conditional UPDATE, so concurrent check-ins can never overfill a room.
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Self

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from latihkerja.accounts.enums import Role
from latihkerja.batches.models import Batch, Enrollment
from latihkerja.centers.models import Room
from latihkerja.common.models import ScopedQuerySet, TimeStampedModel

from .enums import AttendanceMethod, AttendanceStatus, OutcomeStatus, SessionModality, SessionStatus

if TYPE_CHECKING:
    from latihkerja.accounts.models import User


def new_qr_secret() -> str:
    return secrets.token_hex(32)


class SessionQuerySet(ScopedQuerySet):
    def scoped_to(self, user: User) -> Self:
        if user.role in (Role.BAPPEDA, Role.OPD, Role.OPERATOR, Role.INSTRUCTOR):
            return self.filter(batch__in=Batch.objects.for_user(user))
        return self.none()

    def for_participant(self, resident_id: int) -> Self:
        """Sessions of the batches where this resident holds an active seat (what their phone shows)."""
        return self.filter(
            batch__enrollments__resident_id=resident_id, batch__enrollments__status="active"
        ).distinct()


class TrainingSession(TimeStampedModel):
    """One meeting of a batch. `hours` are lesson hours (JP) and count towards the completion rule."""

    batch = models.ForeignKey(
        Batch, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("kelas")
    )
    number = models.PositiveSmallIntegerField(_("pertemuan ke"))
    date = models.DateField(_("tanggal"))
    starts_at = models.TimeField(pgettext_lazy("time of day", "mulai"))
    ends_at = models.TimeField(pgettext_lazy("time of day", "selesai"))
    topic = models.CharField(_("materi"), max_length=200, blank=True)
    hours = models.DecimalField(_("jam pelajaran (JP)"), max_digits=4, decimal_places=1)
    modality = models.CharField(_("modalitas"), max_length=10, choices=SessionModality.choices)
    room = models.ForeignKey(
        Room,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("ruang"),
    )
    # Luring only: room capacity × period occupancy factor, fixed when the session is scheduled or moved.
    admitted_cap = models.PositiveIntegerField(_("batas hadir (protokol kesehatan)"), null=True, blank=True)
    admitted = models.PositiveIntegerField(_("hadir di ruang"), default=0)
    meeting_url = models.URLField(_("tautan pertemuan daring"), max_length=500, blank=True)
    join_code = models.CharField(_("kode hadir daring"), max_length=12, blank=True)
    qr_secret = models.CharField(
        verbose_name=_("rahasia QR"), max_length=64, default=new_qr_secret, editable=False
    )
    status = models.CharField(
        _("status"), max_length=10, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED
    )
    started_at = models.DateTimeField(_("dimulai pada"), null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dimulai oleh"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    ended_at = models.DateTimeField(_("diakhiri pada"), null=True, blank=True)
    cancel_reason = models.CharField(_("alasan pembatalan"), max_length=300, blank=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["date", "starts_at", "number"]
        verbose_name = _("sesi pelatihan")
        verbose_name_plural = _("sesi pelatihan")
        constraints = [
            models.UniqueConstraint(fields=["batch", "number"], name="session_unique_number_per_batch"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="session_ends_after_start"),
            models.CheckConstraint(condition=Q(hours__gt=0), name="session_hours_positive"),
            models.CheckConstraint(
                condition=Q(modality__in=SessionModality.values), name="session_modality_valid"
            ),
            models.CheckConstraint(condition=Q(status__in=SessionStatus.values), name="session_status_valid"),
            models.CheckConstraint(
                condition=~Q(modality=SessionModality.LURING)
                | (Q(room__isnull=False) & Q(admitted_cap__isnull=False)),
                name="session_luring_has_room_and_cap",
            ),
            models.CheckConstraint(
                condition=Q(admitted_cap__isnull=True) | Q(admitted__lte=F("admitted_cap")),
                name="session_never_over_occupancy",
            ),
        ]
        indexes = [models.Index(fields=["date", "status"], name="session_date_status")]

    def __str__(self) -> str:
        return f"{self.batch.code} #{self.number} ({self.date:%d/%m/%Y})"


class ChecklistItem(models.Model):
    """One item of the health-protocol checklist (masks, hand-washing, distancing...), configurable by Bappeda."""

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    label = models.CharField(_("butir"), max_length=200)
    label_en = models.CharField(_("butir (Inggris)"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("urutan"), default=0)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("butir protokol kesehatan")
        verbose_name_plural = _("butir protokol kesehatan")

    def __str__(self) -> str:
        return self.label

    @property
    def display_label(self) -> str:
        """The item in the reader's language (Indonesian when no English text was written)."""
        if translation.get_language() == "en" and self.label_en:
            return self.label_en
        return self.label


class ChecklistSignOff(models.Model):
    """The operator's signed health-protocol checklist for one luring session; `items` is a snapshot of what
    was confirmed ([{"code", "label", "label_en", "ok"}]), so later edits of the item list do not rewrite history."""

    session = models.OneToOneField(
        TrainingSession, on_delete=models.CASCADE, related_name="checklist", verbose_name=_("sesi")
    )
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("ditandatangani oleh"),
    )
    signed_at = models.DateTimeField(_("ditandatangani"), auto_now_add=True)
    items = models.JSONField(_("butir"), default=list)
    notes = models.TextField(_("catatan"), blank=True)

    class Meta:
        verbose_name = _("ceklis protokol kesehatan")
        verbose_name_plural = _("ceklis protokol kesehatan")

    def __str__(self) -> str:
        return f"{self.session} ✓"


class Attendance(models.Model):
    """A participant's attendance of one session: how it was recorded and the lesson hours it earns."""

    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("sesi")
    )
    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.PROTECT, related_name="attendances", verbose_name=_("peserta")
    )
    status = models.CharField(_("status"), max_length=10, choices=AttendanceStatus.choices)
    method = models.CharField(_("cara pencatatan"), max_length=10, choices=AttendanceMethod.choices)
    checked_in_at = models.DateTimeField(_("waktu hadir"), null=True, blank=True)
    hours_credited = models.DecimalField(_("JP diakui"), max_digits=4, decimal_places=1, default=0)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dicatat oleh"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.CharField(_("catatan"), max_length=300, blank=True)

    class Meta:
        ordering = ["session", "enrollment"]
        verbose_name = _("kehadiran")
        verbose_name_plural = _("kehadiran")
        constraints = [
            models.UniqueConstraint(fields=["session", "enrollment"], name="attendance_once_per_session"),
            models.CheckConstraint(
                condition=Q(status__in=AttendanceStatus.values), name="attendance_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(method__in=AttendanceMethod.values), name="attendance_method_valid"
            ),
            models.CheckConstraint(condition=Q(hours_credited__gte=0), name="attendance_hours_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.enrollment_id} @ {self.session_id}: {self.status}"


class AttendanceCorrection(models.Model):
    """Append-only: every change of a recorded attendance, with who and why."""

    attendance = models.ForeignKey(
        Attendance, on_delete=models.CASCADE, related_name="corrections", verbose_name=_("kehadiran")
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("diubah oleh")
    )
    changed_at = models.DateTimeField(_("waktu"), auto_now_add=True)
    from_status = models.CharField(_("dari"), max_length=10, choices=AttendanceStatus.choices)
    to_status = models.CharField(_("menjadi"), max_length=10, choices=AttendanceStatus.choices)
    from_hours = models.DecimalField(max_digits=4, decimal_places=1)
    to_hours = models.DecimalField(max_digits=4, decimal_places=1)
    reason = models.CharField(_("alasan"), max_length=300)

    class Meta:
        ordering = ["changed_at"]
        verbose_name = _("koreksi kehadiran")
        verbose_name_plural = _("koreksi kehadiran")
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="attendance_correction_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.attendance_id}: {self.from_status} → {self.to_status}"


class AttendanceSheet(models.Model):
    """A scan or photo of the signed paper attendance sheet: the fallback when the hall has no network."""

    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, related_name="sheets", verbose_name=_("sesi")
    )
    file = models.FileField(_("berkas"), upload_to="attendance-sheets/%Y/%m/")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("diunggah oleh")
    )
    uploaded_at = models.DateTimeField(_("diunggah"), auto_now_add=True)
    note = models.CharField(_("catatan"), max_length=300, blank=True)

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = _("daftar hadir kertas")
        verbose_name_plural = _("daftar hadir kertas")

    def __str__(self) -> str:
        return f"{self.session_id}: {self.file.name}"


class SupervisionVisit(models.Model):
    """An OPD supervisor's visit (or online observation) of a batch, with notes and a 1–5 rating."""

    batch = models.ForeignKey(
        Batch, on_delete=models.CASCADE, related_name="supervision_visits", verbose_name=_("kelas")
    )
    session = models.ForeignKey(
        TrainingSession,
        verbose_name=_("sesi"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="supervision_visits",
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("pengawas")
    )
    visited_on = models.DateField(_("tanggal kunjungan"))
    rating = models.PositiveSmallIntegerField(_("nilai (1–5)"))
    notes = models.TextField(_("catatan"))
    created_at = models.DateTimeField(verbose_name=_("dibuat"), auto_now_add=True)

    class Meta:
        ordering = ["-visited_on"]
        verbose_name = _("kunjungan pengawasan")
        verbose_name_plural = _("kunjungan pengawasan")
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=1) & Q(rating__lte=5), name="supervision_rating_1_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.batch_id} {self.visited_on:%d/%m/%Y}: {self.rating}/5"


class Assessment(models.Model):
    """The end-of-training assessment (uji kompetensi) of one participant."""

    enrollment = models.OneToOneField(
        Enrollment, on_delete=models.PROTECT, related_name="assessment", verbose_name=_("peserta")
    )
    passed = models.BooleanField(_("lulus uji"))
    score = models.DecimalField(_("nilai"), max_digits=5, decimal_places=2, null=True, blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("dinilai oleh")
    )
    assessed_at = models.DateTimeField(_("dinilai"), auto_now=True)
    notes = models.CharField(_("catatan"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("penilaian")
        verbose_name_plural = _("penilaian")

    def __str__(self) -> str:
        return f"{self.enrollment_id}: {'lulus' if self.passed else 'tidak lulus'}"


class Outcome(models.Model):
    """What a participant achieved, decided when the batch is closed by `services.close_batch` from the
    theme's completion rule; the certificate is issued from a `completed` outcome."""

    enrollment = models.OneToOneField(
        Enrollment, on_delete=models.PROTECT, related_name="outcome", verbose_name=_("peserta")
    )
    batch = models.ForeignKey(
        Batch, on_delete=models.CASCADE, related_name="outcomes", verbose_name=_("kelas")
    )
    status = models.CharField(_("hasil"), max_length=14, choices=OutcomeStatus.choices)
    hours_attended = models.DecimalField(_("JP dihadiri"), max_digits=6, decimal_places=1)
    hours_total = models.DecimalField(_("JP seluruhnya"), max_digits=6, decimal_places=1)
    assessment_passed = models.BooleanField(_("lulus uji"), null=True)
    decided_at = models.DateTimeField(_("diputuskan"), auto_now=True)

    class Meta:
        verbose_name = _("hasil pelatihan")
        verbose_name_plural = _("hasil pelatihan")
        constraints = [
            models.CheckConstraint(condition=Q(status__in=OutcomeStatus.values), name="outcome_status_valid"),
        ]
        indexes = [models.Index(fields=["batch", "status"], name="outcome_batch_status")]

    def __str__(self) -> str:
        return f"{self.enrollment_id}: {self.status}"
