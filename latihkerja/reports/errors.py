from django.utils.translation import gettext_lazy as _

from latihkerja.common.errors import DomainError


class ReportsError(DomainError):
    NO_PERIOD = _("Belum ada periode program.")
    BAD_FORMAT = _("Format laporan tidak dikenal. Pilih Excel, CSV atau PDF.")
    NOT_READY = _("Laporan belum selesai dibuat. Muat ulang halaman ini sebentar lagi.")
