from django.utils.translation import gettext_lazy as _

from latihkerja.common.errors import DomainError


class DemandError(DomainError):
    NOT_ALLOWED = _("Anda tidak berwenang mengubah data perusahaan ini.")
    NOT_ALLOWED_VERIFY = _("Hanya pengawas Disnaker atau Bappeda yang dapat memverifikasi perusahaan.")
    ALREADY_VERIFIED = _("Perusahaan ini sudah diverifikasi.")
    DECLINE_REASON_REQUIRED = _("Tulis alasan penolakan: perusahaan membacanya untuk memperbaiki datanya.")
    DECLINE_REASON_TOO_LONG = _("Alasan penolakan paling panjang %(limit)s karakter.")
    NOT_WAITING = _("Perusahaan ini tidak lagi menunggu verifikasi (sudah diverifikasi atau ditolak).")
    USERNAME_TAKEN = _("Nama pengguna ini sudah dipakai. Pilih nama lain.")
    NIB_FORMAT = _("NIB harus 13 angka.")
    SIGNUPS_FROM_HERE = _(
        "Terlalu banyak pendaftaran perusahaan dari jaringan ini dalam satu jam. Coba lagi nanti, atau hubungi "
        "Disnaker."
    )
    NIB_TAKEN = _("NIB ini sudah terdaftar. Hubungi Disnaker bila perusahaan Anda belum punya akun.")
    HEADCOUNT_POSITIVE = _("Jumlah orang harus lebih dari 0.")
    HEADCOUNT_TOO_MANY = _("Paling banyak 100.000 orang.")
    NEEDED_BY_PAST = _("Tanggal dibutuhkan harus setelah hari ini.")
    NEEDED_BY_FAR = _("Tanggal dibutuhkan paling jauh 5 tahun dari hari ini.")
    REQUIREMENTS_TOO_LONG = _("Persyaratan paling panjang 2.000 karakter.")
    DUPLICATE = _(
        "Kebutuhan yang sama (tema, jumlah, tanggal dan kecamatan) sudah tercatat untuk perusahaan ini. Ubah "
        "jumlahnya, atau tarik kebutuhan lama lalu nyatakan yang baru."
    )
    THEME_OR_OCCUPATION = _("Isi tema pelatihan atau kode jabatan (salah satu).")
    THEME_AND_OCCUPATION = _(
        "Isi tema pelatihan atau kode jabatan, salah satu saja: kode jabatan untuk keahlian yang tidak ada temanya."
    )
    OCCUPATION_FORMAT = _("Kode jabatan ISCO-08 terdiri dari 4 angka, misalnya 5132.")
    OCCUPATION_UNKNOWN = _(
        "Tidak ada kode jabatan ISCO-08 %(code)s: angka kedua dan ketiganya tidak pernah 0. Periksa kodenya, "
        "misalnya 5132 (barista) atau 7212 (tukang las)."
    )
    VACANCY_DUPLICATE = _(
        "Lowongan yang sama (judul, jumlah, gaji, batas lamaran dan tempat) sudah tercatat untuk perusahaan ini."
    )
    COUNT_POSITIVE = _("Jumlah lowongan harus lebih dari 0.")
    COUNT_TOO_MANY = _("Paling banyak 100.000 lowongan.")
    SALARY_NEGATIVE = _("Gaji tidak boleh negatif.")
    SALARY_TOO_HIGH = _("Gaji paling banyak Rp1.000.000.000 sebulan.")
    SALARY_TOO_LOW = _(
        "Tulis gaji dalam rupiah sebulan, misalnya 4.500.000 (paling sedikit Rp100.000, atau 0 bila tidak disebut)."
    )
    SALARY_RANGE = _("Gaji minimum tidak boleh lebih besar dari gaji maksimum.")
    DEADLINE_PAST = _("Batas lamaran harus setelah hari ini.")
    DEADLINE_FAR = _("Batas lamaran paling jauh setahun dari hari ini.")
    CONTACT_PHONE_FORMAT = _("Tulis nomor telepon yang sah.")
