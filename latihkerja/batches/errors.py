from django.utils.translation import gettext_lazy as _

from latihkerja.common.errors import DomainError


class BatchError(DomainError):
    ILLEGAL_TRANSITION = _("Status kelas tidak dapat diubah dari “%(current)s” ke “%(target)s”.")
    CHANGED_MEANWHILE = _("Status kelas sudah diubah orang lain. Muat ulang halaman lalu coba lagi.")
    NOT_ALLOWED = _("Anda tidak berwenang mengubah status kelas ini ke “%(target)s”.")
    REASON_REQUIRED = _("Tuliskan alasan pembatalan: peserta dan OPD akan membacanya.")
    FULL = _("Kelas ini sudah penuh. Pilih kelas lain yang masih punya kursi.")
    STARTS_AFTER_SESSION = _(
        "Pertemuan pertama kelas ini pada %(date)s: tanggal mulai tidak bisa sesudahnya. Pindahkan atau batalkan "
        "pertemuannya dulu."
    )
    ENDS_BEFORE_SESSION = _(
        "Pertemuan terakhir kelas ini pada %(date)s: tanggal selesai tidak bisa sebelumnya. Pindahkan atau "
        "batalkan pertemuannya dulu."
    )
    NOT_TAKING_SEATS = _("Kelas ini tidak sedang membuka kursi sisa.")
    REGISTRATION_STILL_OPEN = _(
        "Pendaftaran periode ini masih dibuka sampai %(closes)s: kursi baru dibagikan setelah pendaftaran ditutup."
    )
    TOO_LATE = _(
        "Kelas ini sudah berjalan terlalu jauh: peserta yang baru bergabung tidak bisa lagi memenuhi syarat "
        "kehadiran. Pilih kelas lain yang belum dimulai."
    )
    ALREADY_SEATED = _("Anda sudah punya kursi di kelas lain pada periode ini.")
    UNKNOWN_STATUS = _("Status “%(target)s” tidak dikenal.")
    RUN_IN_TRAINING = _(
        "Kelas menjadi “Berjalan” saat sesi pertamanya dimulai di halaman pelaksanaannya, tidak dengan tangan."
    )
    CLOSE_IN_TRAINING = _(
        "Kelas diselesaikan dengan “Tutup kelas” di halaman pelaksanaannya: hasil setiap peserta dihitung saat itu."
    )
    # A batch's own facts (model validation, so the admin refuses them too).
    CAPACITY_POSITIVE = _("Jumlah kursi harus lebih dari 0.")
    MINIMUM_ABOVE_CAPACITY = _("Peserta minimum tidak boleh lebih dari jumlah kursi.")
    CAPACITY_BELOW_TAKEN = _("Jumlah kursi tidak boleh kurang dari kursi yang sudah terisi.")
    ENDS_BEFORE_START = _("Tanggal selesai tidak boleh sebelum tanggal mulai.")
    ROOM_OF_OTHER_CENTER = _("Ruang itu bukan milik BLK kelas ini.")
    MODALITY_NOT_ALLOWED = _("Tema ini tidak boleh diselenggarakan secara %(modality)s.")
