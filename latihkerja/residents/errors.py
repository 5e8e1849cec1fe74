from django.utils.translation import gettext_lazy as _

from latihkerja.common.errors import DomainError


class ResidentError(DomainError):
    NIK_TAKEN = _(
        "NIK ini sudah terdaftar. Masuk dengan nomor HP yang dipakai saat mendaftar, atau datangi kantor kelurahan."
    )
    NIK_TAKEN_TOO_OFTEN = _(
        "Sudah terlalu sering NIK yang dimasukkan ternyata sudah terdaftar. Coba lagi besok, atau datangi kantor "
        "kelurahan dengan KTP Anda bila NIK Anda dipakai orang lain."
    )
    ALREADY_REGISTERED = _("Akun ini sudah memiliki profil warga.")
    INVALID_NIK = _("NIK tidak dapat diterima: %(problems)s")
    CONSENT_REQUIRED = _("Persetujuan pemrosesan data diperlukan untuk mendaftar.")
    DELETION_PENDING = _("Permintaan hapus data Anda sudah kami terima dan sedang diproses.")
    DELETION_REASON_TOO_LONG = _("Alasan paling panjang %(limit)s karakter.")
    CORRECTION_CLOSED = _(
        "Kelurahan, pendidikan, status pekerjaan dan disabilitas hanya dapat diubah selama pendaftaran dibuka "
        "dan sebelum Anda mendapat kursi, karena pembagian kursi membacanya. Hubungi BLK Anda untuk perbaikan."
    )
    NOT_ON_PHONE = _(
        "NIK ini tidak tercatat dengan nomor HP ini. Periksa NIK Anda, atau pilih “Saya belum terdaftar”."
    )
    NOT_ON_PHONE_API = _(
        "NIK ini tidak tercatat dengan nomor HP ini. Periksa NIK, atau kirim new_person: true bila Anda belum "
        "terdaftar. Kodenya masih berlaku."
    )
    PHONE_SHARED = _(
        "Nomor HP ini dipakai lebih dari satu warga. Kirim kodenya lagi bersama NIK Anda (nik), atau "
        "new_person: true bila Anda belum terdaftar. Kodenya masih berlaku."
    )
    PHONE_FULL = _("Terlalu banyak akun memakai nomor HP ini. Datangi BLK atau kantor kelurahan.")
    NIK_TAKEN_BY_ANOTHER = _("NIK ini sudah tercatat untuk warga lain.")
    DELETION_DECIDED = _("Permintaan hapus data ini sudah diputuskan.")
    ERASURE_BLOCKED = _("Data warga ini belum dapat dihapus: %(reason)s")
    DELETION_ALREADY_PENDING = _("Warga ini sudah punya permintaan hapus data lain yang menunggu diproses.")
