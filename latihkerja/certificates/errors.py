from django.utils.translation import gettext_lazy as _

from latihkerja.common.errors import DomainError


class CertificateError(DomainError):
    NOT_ALLOWED_ISSUE = _("Anda tidak berwenang menerbitkan sertifikat kelas ini.")
    BATCH_NOT_COMPLETED = _("Sertifikat hanya diterbitkan setelah kelas ditutup (selesai).")
    NOT_ALLOWED_REVOKE = _("Hanya Bappeda atau OPD pembina tema ini yang dapat mencabut sertifikat.")
    ALREADY_REVOKED = _("Sertifikat ini sudah dicabut.")
    REASON_REQUIRED = _("Tuliskan alasan pencabutan.")
    REASON_TOO_LONG = _("Alasan pencabutan paling banyak %(limit)s karakter.")
    NUMBER_INVALID = _(
        "Nomor sertifikat tidak dikenali. Nomor terdiri dari LK diikuti 12 huruf/angka, misalnya LK-7QX4-M2KD-9HZP."
    )
    NOT_FOUND = _("Sertifikat dengan nomor ini tidak ditemukan. Periksa kembali nomor pada sertifikat.")
    REVOKED_NO_DOWNLOAD = _("Sertifikat ini telah dicabut dan tidak dapat diunduh.")
    PDF_NOT_READY = _("Berkas PDF sertifikat sedang dibuat. Coba lagi beberapa menit lagi.")
