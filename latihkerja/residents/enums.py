from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    MALE = "L", _("Laki-laki")
    FEMALE = "P", _("Perempuan")


class EmploymentStatus(models.TextChoices):
    """Laid-off and furloughed residents come first in the default allocation priority."""

    LAID_OFF = "phk", _("Terkena PHK")
    FURLOUGHED = "dirumahkan", _("Dirumahkan")
    UNEMPLOYED = "menganggur", _("Belum/tidak bekerja")
    EMPLOYED = "bekerja", _("Bekerja")
    STUDENT = "pelajar", _("Pelajar/mahasiswa")
    OWN_BUSINESS = "usaha", _("Usaha sendiri")


class Education(models.TextChoices):
    NONE = "none", _("Tidak/belum sekolah")
    SD = "sd", _("SD/sederajat")
    SMP = "smp", _("SMP/sederajat")
    SMA = "sma", _("SMA/SMK/sederajat")
    DIPLOMA = "diploma", _("Diploma (D1–D3)")
    S1 = "s1", _("Sarjana (D4/S1)")
    S2 = "s2", _("Pascasarjana (S2/S3)")
