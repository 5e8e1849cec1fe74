"""One context per kind, and what it reads in Indonesian: the messages' texts, pinned."""

import datetime as dt

from django.utils import timezone

URL = "https://latihkerja.example/r/7"

SAMPLES = {
    "otp": (
        {"code": "123456", "minutes": 10},
        "Kode verifikasi LatihKerja Anda: 123456. Berlaku 10 menit. Jangan berikan kode ini kepada siapa pun.",
    ),
    "registration_received": (
        {"name": "Siti Aminah"},
        "Halo Siti Aminah, pendaftaran Anda di LatihKerja sudah kami terima. "
        "Kabar selanjutnya akan kami kirim lewat SMS ke nomor ini.",
    ),
    "application_submitted": (
        {"name": "Siti Aminah", "period": "Oktober–Desember 2020", "choices": 3},
        "Halo Siti Aminah, 3 pilihan kelas Anda untuk periode Oktober–Desember 2020 sudah tersimpan. "
        "Hasil pembagian kursi akan kami kirim lewat SMS ke nomor ini.",
    ),
    "offer": (
        {
            "name": "Siti Aminah",
            "batch": "Barista",
            "center": "BLK Sukarasa",
            "starts_on": dt.date(2020, 10, 5),
            "respond_by": timezone.make_aware(dt.datetime(2020, 9, 30, 19, 8)),
            "url": URL,
        },
        "Selamat Siti Aminah! Anda ditawari kursi di kelas Barista, BLK Sukarasa, mulai 5 Oktober 2020. "
        "Terima atau tolak sebelum 30 September 2020 pukul 19.08; tanpa jawaban, kursi diberikan ke warga lain: "
        f"{URL}",
    ),
    "no_seat": (
        {"name": "Siti Aminah", "period": "Oktober–Desember 2020", "url": URL},
        "Halo Siti Aminah, kursi kelas periode Oktober–Desember 2020 sudah dibagikan. Anda belum mendapat "
        "kursi; bila kursi kelas pilihan Anda kosong lagi, Anda ditawari menurut daftar tunggu. Lihat hasil dan "
        f"alasannya: {URL}",
    ),
    "reminder": (
        {
            "batch": "Barista",
            "starts_at": timezone.make_aware(dt.datetime(2020, 10, 5, 8, 0)),
            "place": "BLK Sukarasa, Ruang 1",
        },
        "Pengingat: kelas Barista dimulai Senin, 5 Oktober 2020 08.00 di BLK Sukarasa, Ruang 1. Bawa KTP Anda.",
    ),
    "certificate": (
        {"name": "Siti Aminah", "batch": "Barista", "number": "LK-2020-000123", "url": URL},
        f"Selamat Siti Aminah, Anda lulus kelas Barista. Sertifikat nomor LK-2020-000123 dapat diunduh di {URL}",
    ),
    "job_match": (
        {"name": "Siti Aminah", "vacancy": "Barista", "company": "PT Kopi Kita", "url": URL},
        "Halo Siti Aminah, ada lowongan Barista di PT Kopi Kita yang cocok dengan pelatihan Anda. "
        f"Lihat dan lamar: {URL}",
    ),
    "schedule_changed": (
        {"batch": "Barista", "change": "mulai 12 Oktober 2020", "url": URL},
        f"Jadwal kelas Barista berubah: mulai 12 Oktober 2020. Jadwal terbaru: {URL}",
    ),
    "data_erased": (
        {},
        "Data Anda di LatihKerja sudah dihapus sesuai permintaan Anda, dan akun Anda ditutup. Kehadiran dan "
        "sertifikat yang sudah terbit tetap disimpan sebagai bukti penggunaan anggaran.",
    ),
    "classes_open": (
        {
            "name": "Siti Aminah",
            "period": "Oktober–Desember 2020",
            "theme": "Barista",
            "closes": timezone.make_aware(dt.datetime(2020, 9, 20, 23, 59)),
            "url": URL,
        },
        "Halo Siti Aminah, pendaftaran LatihKerja periode Oktober–Desember 2020 sudah dibuka. Ada kelas Barista "
        "di kecamatan Anda, sesuai minat Anda. Daftar sebelum 20 September 2020 pukul 23.59; kursi dibagikan "
        f"setelah pendaftaran ditutup, jadi tidak perlu berebut: {URL}",
    ),
    "class_cancelled": (
        {"batch": "Barista", "reason": "instruktur sakit", "url": URL},
        f"Kelas Barista dibatalkan: instruktur sakit. Kursi Anda dilepas. Cari kelas yang masih punya kursi di: {URL}",
    ),
}

SUBJECTS = {
    "otp": "Kode verifikasi LatihKerja",
    "registration_received": "Pendaftaran LatihKerja diterima",
    "application_submitted": "Pilihan kelas periode Oktober–Desember 2020 tersimpan",
    "offer": "Tawaran kursi di kelas Barista",
    "no_seat": "Hasil pembagian kursi Oktober–Desember 2020",
    "reminder": "Pengingat kelas Barista",
    "certificate": "Sertifikat kelas Barista sudah terbit",
    "job_match": "Lowongan Barista cocok untuk Anda",
    "schedule_changed": "Jadwal kelas Barista berubah",
    "data_erased": "Data Anda di LatihKerja sudah dihapus",
    "classes_open": "Kelas sesuai minat Anda dibuka",
    "class_cancelled": "Kelas Barista dibatalkan",
}
