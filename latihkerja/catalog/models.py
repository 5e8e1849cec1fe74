"""The training-theme catalogue: what can be taught, by which agency, for how long and at what cost."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from latihkerja.agencies.models import Agency
from latihkerja.common.models import BilingualName

from .enums import Modality
from .errors import CatalogError


class Field(BilingualName, models.Model):
    """A vocational field (kejuruan), e.g. Multimedia, Teknik Las."""

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    name_en = models.CharField(_("nama (Inggris)"), max_length=200, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("kejuruan")
        verbose_name_plural = _("kejuruan")

    def __str__(self) -> str:
        return self.name


class Theme(BilingualName, models.Model):
    """A training programme that a centre can run as batches, supervised by one agency (OPD)."""

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    name_en = models.CharField(_("nama (Inggris)"), max_length=200, blank=True)
    field = models.ForeignKey(
        Field, on_delete=models.PROTECT, related_name="themes", verbose_name=_("kejuruan")
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="themes", verbose_name=_("OPD pembina")
    )
    kind = models.CharField(_("jenis"), max_length=40, blank=True)
    in_scenario = models.BooleanField(_("tema program 2020"), default=False)
    modality = models.CharField(_("modalitas yang diizinkan"), max_length=10, choices=Modality.choices)
    hours = models.PositiveIntegerField(
        _("durasi (JP)"), validators=[MinValueValidator(1, CatalogError.HOURS_POSITIVE)]
    )
    hours_basis = models.TextField(_("dasar durasi"), blank=True)
    cost_per_participant = models.PositiveBigIntegerField(_("biaya per peserta (Rp)"))
    cost_basis = models.TextField(_("dasar biaya"), blank=True)
    isco08 = models.CharField(_("kode jabatan ISCO-08"), max_length=40, blank=True)
    skkni = models.TextField(_("SKKNI"), blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    # The completion rule: a participant completes with at least this share of the lesson hours attended
    # and, when required, a passed assessment (delivery.services.close_batch applies it).
    completion_attendance_percent = models.PositiveSmallIntegerField(
        _("kehadiran minimum untuk lulus (%)"),
        default=80,
        validators=[MaxValueValidator(100, CatalogError.COMPLETION_PERCENT)],
    )
    completion_requires_assessment = models.BooleanField(_("lulus wajib dengan uji"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tema pelatihan")
        verbose_name_plural = _("tema pelatihan")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hours__gt=0),
                name="theme_hours_positive",
                violation_error_message=CatalogError.HOURS_POSITIVE,
            ),
            models.CheckConstraint(
                condition=models.Q(modality__in=Modality.values), name="theme_modality_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(completion_attendance_percent__lte=100),
                name="theme_completion_percent_valid",
                violation_error_message=CatalogError.COMPLETION_PERCENT,
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    def allows(self, modality: str) -> bool:
        """A hybrid theme may run in any modality; otherwise only in its own."""
        return self.modality == Modality.CAMPURAN or self.modality == modality
