from django.utils.translation import gettext_lazy as _

from latihkerja.common.errors import DomainError


class PlanningError(DomainError):
    NOT_ALLOWED = _("Hanya Bappeda yang dapat membuat, mengubah dan menyetujui rencana pelatihan.")
    NOT_ALLOWED_OPD = _("Hanya pengawas OPD yang dapat menyetujui kelas tema OPD-nya.")
    BAD_TIME_LIMIT = _("Batas waktu harus antara 1 dan 600 detik.")
    INTERRUPTED = _("Perhitungan rencana terhenti karena pekerja latar berhenti. Buat rencana lagi.")
    NOT_EDITABLE = _(
        "Rencana ini tidak dapat diubah lagi: hanya rencana yang selesai dihitung dan belum dikirim."
    )
    NOT_SENDABLE = _("Hanya rencana yang selesai dihitung dan belum dikirim yang dapat dikirim ke OPD.")
    NOT_SENT = _("Rencana ini belum dikirim ke OPD atau sudah disetujui.")
    NOT_APPROVABLE = _("Rencana ini tidak dapat disetujui dalam statusnya sekarang.")
    ALREADY_APPROVED = _("Periode ini sudah punya rencana yang disetujui.")
    RETURN_REASON_TOO_LONG = _("Catatan untuk Bappeda paling panjang %(limit)s karakter.")
    NOTHING_FOR_AGENCY = _("Rencana ini tidak berisi kelas tema OPD Anda.")
    BAD_MONTH = _("Bulan %(month)s di luar periode rencana.")
    NO_MONTHS_LEFT = _(
        "Tidak ada bulan tersisa di periode ini untuk kelas baru: kelas baru dimulai sesudah pendaftaran ditutup "
        "dan paling cepat besok, dan perlu paling sedikit tiga hari kerja sebelum periode berakhir."
    )
    NOTHING_TO_PLAN = _(
        "Setiap BLK sudah punya %(target)s kelas di periode ini, sesuai targetnya: tidak ada kelas yang perlu "
        "direncanakan."
    )
    MONTHS_PASSED = _(
        "Kelas yang direncanakan pada %(months)s tidak dapat dimulai lagi karena bulannya sudah lewat. "
        "Buat rencana baru untuk periode ini."
    )
    PERIOD_NOT_PUBLISHED = _(
        "Periode %(period)s belum diumumkan, jadi kelasnya tidak akan tampil di katalog. Setujui tanpa membuka "
        "pendaftaran; buka pendaftaran setelah periode diumumkan."
    )
    NOT_APPROVED_YET = _("Rencana ini belum disetujui: kelasnya belum dibuat.")
    RETURN_REASON_REQUIRED = _("Tulis catatan untuk Bappeda: apa yang perlu diubah dalam rencana.")
    EMPTY = _("Rencana ini tidak berisi satu kelas pun.")
    CHANGED_MEANWHILE = _("Rencana ini sudah diubah orang lain. Muat ulang halaman lalu coba lagi.")
