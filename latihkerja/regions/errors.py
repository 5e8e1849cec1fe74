from django.utils.translation import gettext_lazy as _

from latihkerja.common.errors import DomainError


class RegionError(DomainError):
    KECAMATAN_CODE_FORMAT = _("Kode Kemendagri kecamatan ditulis seperti 36.71.01.")
    NIK_PREFIX_FORMAT = _("Awalan NIK terdiri dari 6 angka, misalnya 367101.")
    KELURAHAN_CODE_FORMAT = _("Kode Kemendagri kelurahan ditulis seperti 36.71.01.1001.")
