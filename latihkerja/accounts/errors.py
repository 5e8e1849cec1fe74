from django.utils.translation import gettext_lazy as _

from latihkerja.common.errors import DomainError


class AccountError(DomainError):
    BAD_PHONE = _("Masukkan nomor HP Indonesia, misalnya 0812 3456 7890.")
    TOO_MANY_CODES = _("Terlalu banyak permintaan kode untuk nomor ini. Coba lagi dalam %(minutes)s menit.")
    TOO_MANY_FROM_HERE = _(
        "Terlalu banyak permintaan kode dari jaringan ini. Coba lagi dalam %(minutes)s menit."
    )
    WRONG_CODE = _("Kode salah. Sisa percobaan: %(left)s.")
    CODE_LOCKED = _("Kode dikunci karena terlalu banyak percobaan salah. Minta kode baru.")
    CODE_EXPIRED = _("Kode sudah kedaluwarsa atau sudah dipakai. Minta kode baru.")
    NOT_A_RESIDENT = _(
        "Nomor ini terdaftar untuk akun petugas. Petugas masuk dengan nama pengguna dan kata sandi."
    )
    # Each staff role is anchored to what scopes it (`user_*_has_*` constraints): without it, no scope.
    OPD_WITHOUT_AGENCY = _("Pengawas OPD harus terhubung ke satu OPD. Pilih OPD-nya.")
    OPERATOR_WITHOUT_CENTER = _("Operator BLK harus terhubung ke satu BLK. Pilih BLK-nya.")
    EMPLOYER_WITHOUT_COMPANY = _(
        "Akun pemberi kerja harus terhubung ke satu perusahaan. Pilih perusahaannya."
    )
