"""Loading the shipped region files. Idempotent: rows are matched by their Kemendagri code."""

from __future__ import annotations

import csv
from pathlib import Path

from django.db import transaction

from .models import Kecamatan, Kelurahan

DATA_DIR = Path(__file__).resolve().parent / "data"


def _float(value: str) -> float | None:
    return float(value) if value.strip() else None


@transaction.atomic
def load_regions(data_dir: Path = DATA_DIR) -> tuple[int, int]:
    """Create or update every kecamatan and kelurahan in `kecamatan.csv` / `kelurahan.csv`; return the counts."""
    with (data_dir / "kecamatan.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            Kecamatan.objects.update_or_create(
                code=row["kode"],
                defaults={
                    "name": row["nama"],
                    "nik_prefix": row["nik_prefix"],
                    "bps_code": row["kode_bps"],
                    "bps_name": row["nama_bps"],
                    "postcodes": row["kode_pos"],
                    "centroid_lat": _float(row["centroid_lat"]),
                    "centroid_lng": _float(row["centroid_lng"]),
                },
            )
    kecamatan_by_code = {k.code: k for k in Kecamatan.objects.all()}
    with (data_dir / "kelurahan.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            Kelurahan.objects.update_or_create(
                code=row["kode"],
                defaults={
                    "kecamatan": kecamatan_by_code[row["kode_kecamatan"]],
                    "name": row["nama"],
                    "bps_code": row["kode_bps"],
                    "bps_name": row["nama_bps"],
                    "postcodes": row["kode_pos"],
                    "centroid_lat": _float(row["centroid_lat"]),
                    "centroid_lng": _float(row["centroid_lng"]),
                    "name_variants": row["nama_varian"],
                },
            )
    return Kecamatan.objects.count(), Kelurahan.objects.count()
