from django.utils.translation import gettext_lazy as _

from latihkerja.common.errors import DomainError


class RegistrationError(DomainError):
    PROFILE_ERASED = _("Data Anda sudah dihapus atas permintaan Anda; pendaftaran tidak dapat dikirim.")
    WINDOW_CLOSED = _("Pendaftaran periode ini ditutup. Pendaftaran dibuka %(opens)s sampai %(closes)s.")
    NO_CHOICE = _("Pilih setidaknya satu kelas.")
    TOO_MANY_CHOICES = _("Anda boleh memilih paling banyak %(max)s kelas.")
    DUPLICATE_CHOICE = _("Setiap kelas hanya boleh dipilih sekali.")
    BATCH_NOT_OPEN = _("Kelas %(code)s tidak dibuka untuk pendaftaran periode ini.")
    NO_PROFILE = _("Lengkapi profil Anda sebelum memilih kelas.")
    NOTHING_TO_WITHDRAW = _("Tidak ada pendaftaran untuk dibatalkan.")
    SEAT_HELD = _(
        "Anda sudah ditawari atau mendapat kursi pada periode ini, jadi pilihan kelas tidak bisa diubah atau "
        "dibatalkan lagi. Lihat kursi Anda di Halaman saya."
    )
