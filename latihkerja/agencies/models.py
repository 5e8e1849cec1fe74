"""City agencies (OPD). Names change often, so they are data (`agencies/data/agencies.csv`), not code."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Agency(models.Model):
    """An Organisasi Perangkat Daerah. `supervises_training` marks those that can supervise training themes."""

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    short_name = models.CharField(_("singkatan"), max_length=40)
    name = models.CharField(_("nama resmi"), max_length=200)
    role_in_programme = models.TextField(_("peran dalam program"), blank=True)
    supervises_training = models.BooleanField(_("membina pelatihan"), default=True)
    name_verified = models.BooleanField(_("nama terverifikasi"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("OPD")
        verbose_name_plural = _("OPD")

    def __str__(self) -> str:
        return self.short_name
