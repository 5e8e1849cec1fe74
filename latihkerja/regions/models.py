"""Administrative regions: kecamatan (district) and kelurahan (urban village), with Kemendagri codes.

The rows are reference data shipped in `regions/data/` and loaded by `manage.py load_reference_data`;
another city ships its own files. Public information: no scoping.
"""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .errors import RegionError

kecamatan_code_validator = RegexValidator(
    r"\A\d{2}\.\d{2}\.\d{2}\Z", RegionError.KECAMATAN_CODE_FORMAT, code="kecamatan_code_format"
)
nik_prefix_validator = RegexValidator(r"\A\d{6}\Z", RegionError.NIK_PREFIX_FORMAT, code="nik_prefix_format")
kelurahan_code_validator = RegexValidator(
    r"\A\d{2}\.\d{2}\.\d{2}\.\d{4}\Z", RegionError.KELURAHAN_CODE_FORMAT, code="kelurahan_code_format"
)


class Kecamatan(models.Model):
    """A district. `code` is the Kemendagri code (e.g. 36.71.01); BPS codes use another numbering."""

    code = models.CharField(
        _("kode Kemendagri"), max_length=8, unique=True, validators=[kecamatan_code_validator]
    )
    name = models.CharField(_("nama"), max_length=100)
    nik_prefix = models.CharField(
        _("awalan NIK"), max_length=6, unique=True, validators=[nik_prefix_validator]
    )
    bps_code = models.CharField(_("kode BPS"), max_length=7, blank=True)
    bps_name = models.CharField(_("nama BPS"), max_length=100, blank=True)
    postcodes = models.CharField(_("kode pos"), max_length=200, blank=True)
    centroid_lat = models.FloatField(_("lintang pusat"), null=True, blank=True)
    centroid_lng = models.FloatField(_("bujur pusat"), null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("kecamatan")
        verbose_name_plural = _("kecamatan")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^\d{2}\.\d{2}\.\d{2}$"),
                name="kecamatan_code_format",
                violation_error_message=RegionError.KECAMATAN_CODE_FORMAT,
            ),
            models.CheckConstraint(
                condition=models.Q(nik_prefix__regex=r"^\d{6}$"),
                name="kecamatan_nik_prefix_format",
                violation_error_message=RegionError.NIK_PREFIX_FORMAT,
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Kelurahan(models.Model):
    """An urban village (kelurahan) or village (desa). `code` is the Kemendagri code (e.g. 36.71.01.1001)."""

    code = models.CharField(
        _("kode Kemendagri"), max_length=13, unique=True, validators=[kelurahan_code_validator]
    )
    kecamatan = models.ForeignKey(
        Kecamatan, verbose_name=_("kecamatan"), on_delete=models.PROTECT, related_name="kelurahan_set"
    )
    name = models.CharField(_("nama"), max_length=100)
    bps_code = models.CharField(_("kode BPS"), max_length=10, blank=True)
    bps_name = models.CharField(_("nama BPS"), max_length=100, blank=True)
    postcodes = models.CharField(_("kode pos"), max_length=40, blank=True, help_text=_("Dipisah titik koma."))
    centroid_lat = models.FloatField(_("lintang pusat"), null=True, blank=True)
    centroid_lng = models.FloatField(_("bujur pusat"), null=True, blank=True)
    name_variants = models.CharField(
        _("ejaan lain"),
        max_length=200,
        blank=True,
        help_text=_("Dipisah titik koma; dipakai saat mencocokkan alamat."),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("kelurahan")
        verbose_name_plural = _("kelurahan")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^\d{2}\.\d{2}\.\d{2}\.\d{4}$"),
                name="kelurahan_code_format",
                violation_error_message=RegionError.KELURAHAN_CODE_FORMAT,
            ),
        ]

    def __str__(self) -> str:
        return self.name
