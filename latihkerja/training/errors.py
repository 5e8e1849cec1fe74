from django.utils.translation import gettext_lazy as _

from latihkerja.common.errors import DomainError


class TrainingError(DomainError):
    NOT_ALLOWED = _("Anda tidak berwenang melakukan tindakan ini pada kelas ini.")
    BATCH_NOT_RUNNABLE = _("Kelas ini tidak dalam tahap pelaksanaan (status: %(status)s).")
    NO_DATES = _("Pola mingguan tidak menghasilkan tanggal: pilih paling sedikit satu hari dan jumlah sesi.")
    TOO_MANY_SESSIONS = _("Paling banyak %(limit)s sesi sekaligus.")
    START_PASSED = _("Sesi %(date)s pukul %(start)s sudah lewat: jadwalkan sesi yang akan datang.")
    TOO_FAR_AHEAD = _(
        "Tanggal %(date)s terlalu jauh ke depan: sesi dijadwalkan paling lama setahun dari hari ini."
    )
    BAD_TIMES = _("Jam selesai harus sesudah jam mulai.")
    BEFORE_CLASS_START = _(
        "Kelas ini mulai %(starts)s; %(date)s sebelum itu. Pilih tanggal sejak kelas mulai."
    )
    AFTER_PERIOD_END = _(
        "Periode program berakhir %(ends)s; %(date)s sesudahnya. Pilih tanggal dalam periode, atau minta Bappeda "
        "memperpanjang periode dulu."
    )
    ROOM_TAKEN = _(
        "Ruang %(room)s sudah dipakai kelas %(theme)s pada %(date)s pukul %(start)s–%(end)s. "
        "Pilih jam atau ruang lain."
    )
    CLASS_SESSION_CLASH = _(
        "Kelas ini sudah punya pertemuan %(number)s pada %(date)s pukul %(start)s–%(end)s. Pilih jam atau "
        "tanggal lain."
    )
    BAD_HOURS = _("Jam pelajaran harus lebih dari 0 dan paling banyak %(limit)s.")
    HOURS_LONGER_THAN_SESSION = _(
        "%(hours)s JP perlu paling sedikit %(needed)s menit (1 JP = 45 menit), padahal sesi %(start)s–%(end)s "
        "hanya %(minutes)s menit. Perpanjang jamnya atau kurangi JP."
    )
    MODALITY_NOT_ALLOWED = _("Tema ini tidak boleh diselenggarakan secara %(modality)s.")
    ROOM_REQUIRED = _("Sesi luring perlu ruang di BLK kelas ini.")
    ROOM_OF_OTHER_CENTER = _("Ruang itu bukan milik BLK kelas ini.")
    ROOM_TOO_SMALL = _(
        "Ruang %(room)s hanya boleh diisi %(cap)s orang (kapasitas %(capacity)s × %(percent)s%% protokol "
        "kesehatan), padahal kelas ini memegang %(participants)s kursi (peserta dan tawaran yang belum dijawab). "
        "Pilih ruang yang lebih besar atau jadikan sesi daring."
    )
    MEETING_URL_REQUIRED = _("Sesi daring perlu tautan pertemuan.")
    NOT_SCHEDULED = _("Sesi ini sudah dimulai, terlaksana atau dibatalkan; jadwalnya tidak dapat diubah.")
    CANCEL_REASON_REQUIRED = _("Tulis alasan pembatalan; alasan ini dicatat.")
    HAS_ATTENDANCE = _(
        "Sesi ini sudah punya catatan kehadiran atau daftar hadir kertas, jadi sesi ini berlangsung dan tidak "
        "dapat dibatalkan. Akhiri sesi ini."
    )
    NOT_LURING = _("Ceklis protokol kesehatan hanya untuk sesi luring.")
    CHECKLIST_INCOMPLETE = _("Semua butir protokol kesehatan harus dipenuhi. Belum: %(missing)s.")
    CHECKLIST_TOO_EARLY = _(
        "Ceklis protokol kesehatan diisi pada hari sesi (%(date)s), saat ruang sudah disiapkan."
    )
    CHECKLIST_TOO_LATE = _(
        "Ceklis protokol kesehatan hanya dapat diisi pada hari sesi (%(date)s): ceklis menyatakan keadaan ruang "
        "saat itu, jadi tidak diisi sesudahnya."
    )
    CHECKLIST_SESSION_MOVED_ON = _(
        "Ceklis diisi sebelum sesi dimulai; sesi ini sudah dimulai, terlaksana atau dibatalkan."
    )
    CHECKLIST_ALREADY_SIGNED = _("Ceklis protokol kesehatan sesi ini sudah ditandatangani.")
    CHECKLIST_MISSING = _(
        "Sesi luring tidak dapat dimulai sebelum ceklis protokol kesehatan ditandatangani operator."
    )
    NOT_TODAY = _("Sesi hanya dapat dimulai pada tanggal dan jamnya (mulai %(opens)s sampai %(ends)s).")
    CHANGED_MEANWHILE = _("Status sesi sudah diubah orang lain. Muat ulang halaman lalu coba lagi.")
    NOT_STARTED = _("Sesi ini belum dimulai atau sudah selesai; kehadiran tidak dapat dicatat sekarang.")
    OUTSIDE_SESSION_TIME = _("Kehadiran hanya dapat dicatat selama sesi berlangsung (%(opens)s–%(ends)s).")
    WRONG_CODE = _(
        "Kode hadir salah atau sudah kedaluwarsa. Periksa kode yang sedang ditampilkan operator (di bawah kode QR) "
        "atau yang diberikan instruktur, lalu coba lagi."
    )
    NOT_PARTICIPANT = _("Anda bukan peserta aktif kelas ini.")
    ALREADY_RECORDED = _("Kehadiran Anda untuk sesi ini sudah tercatat.")
    ROOM_FULL = _(
        "Ruang sudah mencapai batas protokol kesehatan (%(cap)s orang). Hubungi operator BLK untuk "
        "mengikuti secara daring."
    )
    BATCH_CLOSED = _(
        "Kelas ini sudah ditutup: hasil dan sertifikat dihitung dari kehadiran yang tercatat, jadi kehadiran "
        "tidak dapat diubah lagi."
    )
    FUTURE_SESSION = _("Kehadiran sesi yang belum dimulai tidak dapat dicatat.")
    REASON_REQUIRED = _("Tuliskan alasan perubahan kehadiran: setiap koreksi dicatat.")
    UNKNOWN_STATUS = _("Status kehadiran “%(status)s” tidak dikenal.")
    NOT_SAME_BATCH = _("Peserta itu bukan peserta kelas sesi ini.")
    UNCHANGED = _("Kehadiran itu sudah tercatat demikian; tidak ada yang diubah.")
    BAD_RATING = _("Nilai kunjungan harus 1 sampai 5.")
    NOTES_REQUIRED = _("Tuliskan catatan kunjungan.")
    VISIT_DUPLICATE = _("Kunjungan ini sudah dicatat: tanggal, nilai dan catatan yang sama.")
    VISIT_IN_FUTURE = _("Tanggal kunjungan tidak boleh di masa depan.")
    VISIT_BEFORE_START = _("Kelas ini mulai %(date)s; kunjungan tidak dapat bertanggal sebelum itu.")
    BAD_SCORE = _("Nilai uji harus antara 0 dan 100.")
    SESSIONS_PENDING = _(
        "Kelas belum dapat ditutup: %(count)s sesi belum terlaksana atau belum diakhiri. Akhiri atau "
        "batalkan dulu."
    )
    NO_HELD_SESSIONS = _("Kelas belum dapat ditutup: belum ada sesi yang terlaksana.")
    HOURS_SHORT = _(
        "Kelas belum dapat ditutup: baru %(held)s dari %(program)s JP program yang terlaksana. Jadwalkan sesi "
        "pengganti untuk sisanya."
    )
    SHEET_TOO_EARLY = _("Daftar hadir kertas hanya untuk sesi yang sudah dimulai jamnya.")
    EARLY_END_REASON = _(
        "Sesi ini dijadwalkan sampai %(end)s. Untuk mengakhirinya lebih awal, tulis alasannya: JP sesi lalu "
        "dihitung sesuai waktu yang sudah berlangsung."
    )
    EARLY_END_NOTHING_HELD = _(
        "Sesi baru berlangsung kurang dari setengah JP (23 menit) sejak %(start)s, jadi belum ada JP yang dapat "
        "dihitung. Akhiri sesi sesudah itu."
    )
    CANNOT_END = _(
        "Sesi hanya dapat diakhiri setelah dimulai, atau setelah jamnya lewat bila daftar hadir kertas "
        "sudah diunggah."
    )
