"""Loading the shipped agency list (`agencies/data/agencies.csv`). Idempotent by code.

A new code is added; an agency already there keeps what the city set in the admin unless `update` is asked
for (`load_reference_data --update-shipped`), so an upgrade never undoes a city's correction.
"""

from __future__ import annotations

import csv
from pathlib import Path

from django.db import transaction

from .models import Agency

DATA_FILE = Path(__file__).resolve().parent / "data" / "agencies.csv"


# The source marks a name it could not confirm "(dugaan)"; `name_verified` keeps that, and the name shown on
# class pages and certificates is the agency's name alone.
_PRESUMED = " (dugaan)"


@transaction.atomic
def load_agencies(path: Path = DATA_FILE, *, update: bool = False) -> int:
    store = Agency.objects.update_or_create if update else Agency.objects.get_or_create
    with path.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            role = row["peran_dalam_program"]
            store(
                code=row["kode"],
                defaults={
                    "short_name": row["singkatan"],
                    "name": row["nama_resmi"].removesuffix(_PRESUMED),
                    "role_in_programme": role,
                    # Planning and registry agencies do not supervise trainings themselves.
                    "supervises_training": not role.startswith("bukan pembina") and row["kode"] != "BAPPEDA",
                    "name_verified": row["terverifikasi"].startswith("ya"),
                },
            )
    return Agency.objects.count()
