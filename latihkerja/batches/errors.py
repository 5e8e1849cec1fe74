from django.utils.translation import gettext_lazy as _

from latihkerja.common.errors import DomainError


class BatchError(DomainError):
    ILLEGAL_TRANSITION = _("Status kelas tidak dapat diubah dari “%(current)s” ke “%(target)s”.")
    CHANGED_MEANWHILE = _("Status kelas sudah diubah orang lain. Muat ulang halaman lalu coba lagi.")
    NOT_ALLOWED = _("Anda tidak berwenang mengubah status kelas ini ke “%(target)s”.")
    REASON_REQUIRED = _("Tuliskan alasan pembatalan: peserta dan OPD akan membacanya.")
    FULL = _("Kelas ini sudah penuh. Pilih kelas lain yang masih punya kursi.")
    NOT_TAKING_SEATS = _("Kelas ini tidak sedang membuka kursi sisa.")
    ALREADY_SEATED = _("Anda sudah punya kursi di kelas lain pada periode ini.")
    UNKNOWN_STATUS = _("Status “%(target)s” tidak dikenal.")
    CLOSE_IN_TRAINING = _(
        "Kelas diselesaikan dengan “Tutup kelas” di halaman pelaksanaannya: hasil setiap peserta dihitung saat itu."
    )
