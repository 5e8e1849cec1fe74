"""Loading the shipped training catalogue (`catalog/data/`). Idempotent by code."""

from __future__ import annotations

import csv
from pathlib import Path

from django.db import transaction

from latihkerja.agencies.models import Agency

from .models import Field, Theme

DATA_DIR = Path(__file__).resolve().parent / "data"


@transaction.atomic
def load_catalog(data_dir: Path = DATA_DIR, *, update: bool = False) -> int:
    """Add the shipped fields and themes missing by code; with `update`, also overwrite those already there
    from the files (otherwise a city's corrections in the admin, such as a theme's cost, are kept)."""
    store_field = Field.objects.update_or_create if update else Field.objects.get_or_create
    store_theme = Theme.objects.update_or_create if update else Theme.objects.get_or_create
    with (data_dir / "kejuruan.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            store_field(code=row["kode"], defaults={"name": row["nama"], "name_en": row["nama_en"]})
    fields = {f.code: f for f in Field.objects.all()}
    agencies = {a.code: a for a in Agency.objects.all()}
    with (data_dir / "themes.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            store_theme(
                code=row["kode"],
                defaults={
                    "name": row["nama"],
                    "name_en": row["nama_en"],
                    "field": fields[row["kejuruan"]],
                    "agency": agencies[row["opd"]],
                    "kind": row["jenis"],
                    "in_scenario": bool(row["tema_skenario"]),
                    "modality": row["modalitas"],
                    "hours": int(row["durasi_jp"]),
                    "hours_basis": row["dasar_durasi"],
                    "cost_per_participant": int(row["biaya_per_peserta"]),
                    "cost_basis": row["dasar_biaya"],
                    "isco08": row["isco08"],
                    "skkni": row["skkni"],
                },
            )
    return Theme.objects.count()
