"""A programme period (e.g. "Oktober–Desember 2020") with the targets the city promised."""

from __future__ import annotations

import datetime

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from latihkerja.common.models import BilingualName

from .errors import PeriodError

# Bounds of what a programme period can plausibly ask for: past them a typing slip (1000 choices, 300 days to
# answer an offer) would reach residents' pages and the allocation unnoticed.
AGE_VALIDATORS = [
    MinValueValidator(10, PeriodError.AGE_BOUNDS),
    MaxValueValidator(100, PeriodError.AGE_BOUNDS),
]


class PeriodQuerySet(models.QuerySet["Period"]):
    def current(self) -> Period | None:
        """The period the public pages show: the latest that is not a draft."""
        return self.exclude(is_published=False).order_by("-starts_on").first()


class Period(BilingualName, models.Model):
    """Targets are per period: the counts are configuration (104 or 145 centres), never code."""

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    name_en = models.CharField(
        _("nama (Inggris)"),
        max_length=200,
        blank=True,
        help_text=_("Untuk halaman berbahasa Inggris; boleh kosong."),
    )
    starts_on = models.DateField(_("mulai"))
    ends_on = models.DateField(_("selesai"))
    registration_opens_at = models.DateTimeField(_("pendaftaran dibuka"))
    registration_closes_at = models.DateTimeField(_("pendaftaran ditutup"))
    trainings_per_center = models.PositiveIntegerField(
        _("pelatihan per BLK"),
        default=5,
        validators=[
            MinValueValidator(1, PeriodError.TRAININGS_PER_CENTER),
            MaxValueValidator(50, PeriodError.TRAININGS_PER_CENTER),
        ],
    )
    minimum_per_batch = models.PositiveIntegerField(_("peserta minimum per kelas"), default=20)
    maximum_per_batch = models.PositiveIntegerField(
        _("peserta maksimum per kelas"),
        default=25,
        validators=[
            MinValueValidator(1, PeriodError.MAXIMUM_POSITIVE),
            MaxValueValidator(100, PeriodError.MAXIMUM_POSITIVE),
        ],
    )
    participant_target_min = models.PositiveIntegerField(_("target peserta (bawah)"), default=10_000)
    participant_target_max = models.PositiveIntegerField(_("target peserta (atas)"), default=12_000)
    budget = models.PositiveBigIntegerField(_("anggaran (Rp)"), default=0)
    max_choices = models.PositiveSmallIntegerField(
        _("pilihan kelas per pendaftar"),
        default=3,
        validators=[
            MinValueValidator(1, PeriodError.MAX_CHOICES),
            MaxValueValidator(10, PeriodError.MAX_CHOICES),
        ],
    )
    is_published = models.BooleanField(_("tampil di publik"), default=True)
    batches_per_room_per_month = models.PositiveSmallIntegerField(
        _("kelas per ruang per bulan"),
        default=2,
        help_text=_(
            "Pelatihan pendek (sampai 2 minggu) memungkinkan satu ruang dipakai lebih dari satu kelas sebulan."
        ),
        validators=[
            MinValueValidator(1, PeriodError.ROOM_SLOTS),
            MaxValueValidator(10, PeriodError.ROOM_SLOTS),
        ],
    )
    min_age = models.PositiveSmallIntegerField(_("usia minimum"), default=15, validators=AGE_VALIDATORS)
    max_age = models.PositiveSmallIntegerField(_("usia maksimum"), default=64, validators=AGE_VALIDATORS)
    domicile_by_kelurahan = models.BooleanField(
        _("domisili boleh dari kelurahan"),
        default=True,
        help_text=_("Terima warga ber-NIK luar kota yang tinggal di kelurahan kota ini."),
    )
    # Read through `allocation.policy.policy_for(period)`, which validates it; every run stores a copy.
    allocation_policy = models.JSONField(
        _("kebijakan prioritas alokasi"),
        default=dict,
        blank=True,
        help_text=_(
            'Kosong = bawaan: {"groups": [["phk", "dirumahkan"], ["menganggur"]], "locality": true}. '
            "Kelompok diurutkan dari prioritas tertinggi; locality = warga kelurahan BLK, lalu kecamatannya."
        ),
    )
    offer_response_days = models.PositiveSmallIntegerField(
        _("batas jawab tawaran kursi (hari)"),
        default=3,
        validators=[
            MinValueValidator(1, PeriodError.OFFER_RESPONSE_DAYS),
            MaxValueValidator(30, PeriodError.OFFER_RESPONSE_DAYS),
        ],
    )
    occupancy_percent = models.PositiveSmallIntegerField(
        _("batas isi ruang (protokol kesehatan, %)"),
        default=50,
        help_text=_("Sesi luring boleh diisi paling banyak kapasitas ruang × persentase ini."),
        validators=[
            MinValueValidator(1, PeriodError.OCCUPANCY_PERCENT),
            MaxValueValidator(100, PeriodError.OCCUPANCY_PERCENT),
        ],
    )

    objects = PeriodQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("periode program")
        verbose_name_plural = _("periode program")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="period_ends_after_start",
                violation_error_message=PeriodError.ENDS_BEFORE_START,
            ),
            models.CheckConstraint(
                condition=Q(registration_closes_at__gt=F("registration_opens_at")),
                name="period_registration_window_valid",
                violation_error_message=PeriodError.REGISTRATION_WINDOW,
            ),
            # A maximum of 0 is refused beside its field (validator); what reaches this one is minimum > maximum.
            models.CheckConstraint(
                condition=Q(minimum_per_batch__lte=F("maximum_per_batch")) & Q(maximum_per_batch__gt=0),
                name="period_batch_size_valid",
                violation_error_message=PeriodError.BATCH_SIZE,
            ),
            models.CheckConstraint(
                condition=Q(participant_target_min__lte=F("participant_target_max")),
                name="period_participant_target_valid",
                violation_error_message=PeriodError.PARTICIPANT_TARGET,
            ),
            models.CheckConstraint(
                condition=Q(max_choices__gte=1),
                name="period_max_choices_positive",
                violation_error_message=PeriodError.MAX_CHOICES,
            ),
            models.CheckConstraint(
                condition=Q(min_age__lte=F("max_age")),
                name="period_age_range_valid",
                violation_error_message=PeriodError.AGE_RANGE,
            ),
            models.CheckConstraint(
                condition=Q(batches_per_room_per_month__gte=1),
                name="period_room_slots_positive",
                violation_error_message=PeriodError.ROOM_SLOTS,
            ),
            models.CheckConstraint(
                condition=Q(offer_response_days__gte=1),
                name="period_offer_response_days_positive",
                violation_error_message=PeriodError.OFFER_RESPONSE_DAYS,
            ),
            models.CheckConstraint(
                condition=Q(occupancy_percent__gte=1) & Q(occupancy_percent__lte=100),
                name="period_occupancy_percent_valid",
                violation_error_message=PeriodError.OCCUPANCY_PERCENT,
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    def registration_is_open(self, at: datetime.datetime) -> bool:
        return self.registration_opens_at <= at < self.registration_closes_at


class DayOff(BilingualName, models.Model):
    """A day off the city declares besides the national calendar (a local election day, a city decree).

    National holidays and the government's collective leave (*cuti bersama*) are known without this table
    (`programs.holidays`); sessions are not scheduled on any of these days unless the operator insists.
    """

    date = models.DateField(_("tanggal"), unique=True)
    name = models.CharField(_("nama"), max_length=120)
    name_en = models.CharField(_("nama (Inggris)"), max_length=120, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("hari libur kota")
        verbose_name_plural = pgettext_lazy("jamak", "hari libur kota")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"
