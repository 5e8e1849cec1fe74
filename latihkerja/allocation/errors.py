from django.utils.translation import gettext_lazy as _

from latihkerja.common.errors import DomainError


class AllocationError(DomainError):
    NOT_ALLOWED = _("Hanya Bappeda yang dapat menjalankan dan mengumumkan alokasi kursi.")
    UNKNOWN_MECHANISM = _("Mekanisme “%(mechanism)s” tidak dikenal.")
    BAD_SEED = _("Benih undian harus 1–64 huruf, angka, titik, garis bawah atau tanda hubung.")
    BAD_POLICY = _("Kebijakan prioritas periode ini tidak sah: %(problem)s")
    INTERRUPTED = _(
        "Hitungan terhenti karena pekerja latar berhenti. Tidak ada yang tersimpan; jalankan lagi dengan benih yang "
        "sama untuk hasil yang sama."
    )
    PUBLICATION_INTERRUPTED = _(
        "Pengumuman terhenti karena pekerja latar berhenti. Tidak ada yang diumumkan; umumkan lagi."
    )
    ALREADY_PUBLISHED = _("Hasil alokasi periode ini sudah diumumkan; hitungan baru tidak dapat dibuat.")
    NOT_READY = _("Hanya hitungan yang sudah selesai dan belum diumumkan yang dapat diumumkan.")
    NOT_PUBLISHABLE = _(
        "Hanya hasil mekanisme penerimaan tertunda (DA) yang dapat diumumkan; mekanisme lain untuk pembanding."
    )
    REGISTRATION_OPEN = _(
        "Pendaftaran periode ini masih dibuka sampai %(closes)s. Hasil ini hanya pratinjau; "
        "umumkan setelah pendaftaran ditutup."
    )
    INPUTS_CHANGED = _(
        "Data pendaftaran atau kelas berubah sejak hitungan ini dibuat. Jalankan hitungan baru lalu tinjau lagi."
    )
    CHANGED_MEANWHILE = _("Hitungan ini sudah diubah orang lain. Muat ulang halaman lalu coba lagi.")
    SEAT_CONFLICT = _("Ada warga yang sudah memegang kursi pada periode ini; hasil tidak dapat diumumkan.")
    NOT_YOURS = _("Tawaran ini bukan untuk Anda.")
    OFFER_NOT_PENDING = _("Tawaran ini sudah dijawab atau tidak berlaku lagi.")
    SEAT_NOT_ACTIVE = _("Kursi ini tidak sedang Anda pegang sebagai peserta, jadi tidak dapat dilepas.")
    CLASS_OVER = _(
        "Kelas ini sudah selesai atau dibatalkan: kursinya tidak dapat dilepas lagi, dan hasil kelasnya tetap "
        "tercatat."
    )
    CLASS_NOT_JOINABLE = _(
        "Kelas ini tidak dapat diikuti lagi: sudah selesai atau dibatalkan, atau sudah berjalan terlalu jauh untuk "
        "memenuhi syarat kehadiran."
    )
    OFFER_EXPIRED = _("Batas waktu menjawab tawaran ini sudah lewat; kursinya diberikan ke daftar tunggu.")
