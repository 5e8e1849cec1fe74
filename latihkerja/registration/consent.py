"""The consent text residents accept (UU PDP Art. 20–22): purposes, data, retention, rights.

Each version is kept forever: a consent record stores the version and the digest of the exact text shown.
A new version gets a new key; old keys are never edited.
"""

from __future__ import annotations

import hashlib

from django.utils.translation import gettext_lazy as _

CURRENT_VERSION = "2020-09-v1"

TEXTS = {
    "2020-09-v1": _(
        "Saya setuju data saya (NIK, nomor KK, nama, tanggal lahir, jenis kelamin, alamat, nomor HP, email, "
        "pendidikan, status pekerjaan dan disabilitas) diproses oleh Pemerintah Kota untuk: memeriksa kelayakan "
        "saya sebagai peserta, membagi kursi pelatihan secara adil, menghubungi saya tentang pelatihan, "
        "menerbitkan sertifikat, dan menyusun statistik tanpa identitas. Data disimpan selama program berjalan "
        "ditambah 5 tahun untuk audit, lalu dihapus. Saya dapat meminta salinan, perbaikan atau penghapusan data "
        "saya kapan saja melalui halaman “Data saya”."
    ),
}


def consent_text(version: str = CURRENT_VERSION) -> str:
    return str(TEXTS[version])


def consent_digest(version: str = CURRENT_VERSION) -> str:
    """Digest of the Indonesian text: the legally binding version, whatever language was displayed."""
    from django.utils import translation

    with translation.override("id"):
        return hashlib.sha256(consent_text(version).encode()).hexdigest()
