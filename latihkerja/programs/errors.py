from django.utils.translation import gettext_lazy as _

from latihkerja.common.errors import DomainError


class PeriodError(DomainError):
    """A period's settings that contradict each other (its constraints) or make no sense (its field validators)."""

    ENDS_BEFORE_START = _("Tanggal selesai tidak boleh sebelum tanggal mulai.")
    REGISTRATION_WINDOW = _("Pendaftaran harus ditutup sesudah dibuka.")
    MAXIMUM_POSITIVE = _("Peserta maksimum per kelas harus antara 1 dan 100.")
    BATCH_SIZE = _("Peserta minimum per kelas tidak boleh lebih dari peserta maksimum per kelas.")
    PARTICIPANT_TARGET = _("Target peserta (bawah) tidak boleh lebih dari target peserta (atas).")
    MAX_CHOICES = _("Pilihan kelas per pendaftar harus antara 1 dan 10.")
    AGE_BOUNDS = _("Usia minimum dan maksimum harus antara 10 dan 100 tahun.")
    TRAININGS_PER_CENTER = _("Pelatihan per BLK harus antara 1 dan 50.")
    AGE_RANGE = _("Usia minimum tidak boleh lebih dari usia maksimum.")
    ROOM_SLOTS = _("Satu ruang dipakai antara 1 dan 10 kelas per bulan.")
    OFFER_RESPONSE_DAYS = _("Batas jawab tawaran kursi harus antara 1 dan 30 hari.")
    OCCUPANCY_PERCENT = _("Batas isi ruang harus antara 1 dan 100 persen.")
