from django.utils.translation import gettext_lazy as _

from latihkerja.common.errors import DomainError


class NotificationError(DomainError):
    """A message that cannot be queued: the caller's mistake, reported before anything is stored."""

    UNKNOWN_CHANNEL = _("Saluran pesan “%(channel)s” tidak dikenal.")
    UNKNOWN_KIND = _("Jenis pesan “%(kind)s” tidak dikenal.")
    UNKNOWN_LANGUAGE = _("Bahasa “%(language)s” tidak tersedia.")
    BAD_PHONE = _("Nomor HP “%(recipient)s” tidak valid. Tulis seperti 0812-3456-7890 atau +6281234567890.")
    BAD_EMAIL = _("Alamat email “%(recipient)s” tidak valid.")
    MISSING_CONTEXT = _("Isi pesan “%(kind)s” belum lengkap: %(keys)s.")


class DeliveryError(DomainError):
    """A channel could not hand a message over; the reason is kept in `Message.last_error` for staff."""

    NOT_CONFIGURED = _("Penyedia pesan belum diatur: %(setting)s kosong.")
    INSECURE_URL = _("Alamat penyedia pesan harus memakai https://.")
    PROVIDER_STATUS = _("Penyedia pesan menjawab HTTP %(status)s: %(detail)s")
    PROVIDER_UNREACHABLE = _("Penyedia pesan tidak dapat dihubungi: %(reason)s")
    EMAIL_FAILED = _("Email tidak terkirim: %(reason)s")
    FILE_FAILED = _("Berkas kotak keluar tidak dapat ditulis: %(reason)s")
    EMAIL_REFUSED = _("Server email tidak menerima pesan ini.")
    UNEXPECTED = _("Kesalahan tak terduga saat mengirim (%(error)s); lihat log pekerja.")
    CODE_EXPIRED = _("Tidak dikirim: kode masuk ini sudah kedaluwarsa sebelum bisa dikirim.")
    INTERRUPTED = _("Pengiriman terputus: pekerja latar berhenti saat mengirim.")
