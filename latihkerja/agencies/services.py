"""Loading the shipped agency list (`agencies/data/agencies.csv`). Idempotent by code."""

from __future__ import annotations

import csv
from pathlib import Path

from django.db import transaction

from .models import Agency

DATA_FILE = Path(__file__).resolve().parent / "data" / "agencies.csv"


@transaction.atomic
def load_agencies(path: Path = DATA_FILE) -> int:
    with path.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            role = row["peran_dalam_program"]
            Agency.objects.update_or_create(
                code=row["kode"],
                defaults={
                    "short_name": row["singkatan"],
                    "name": row["nama_resmi"],
                    "role_in_programme": role,
                    # Planning and registry agencies do not supervise trainings themselves.
                    "supervises_training": not role.startswith("bukan pembina") and row["kode"] != "BAPPEDA",
                    "name_verified": row["terverifikasi"].startswith("ya"),
                },
            )
    return Agency.objects.count()
