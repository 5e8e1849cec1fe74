from django.utils.translation import gettext_lazy as _

from latihkerja.common.errors import DomainError


class CatalogError(DomainError):
    HOURS_POSITIVE = _("Durasi tema harus lebih dari 0 JP.")
    COMPLETION_PERCENT = _("Kehadiran minimum untuk lulus harus antara 0 dan 100 persen.")
