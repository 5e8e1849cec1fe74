"""Permissions for reference data (regions, agencies, catalogue): staff read, Bappeda edits."""

import rules

from latihkerja.accounts.rules import is_bappeda, is_instructor, is_opd, is_operator

is_staff_role = is_bappeda | is_opd | is_operator | is_instructor

REFERENCE_MODELS = {
    "regions": ["kecamatan", "kelurahan"],
    "agencies": ["agency"],
    "catalog": ["field", "theme"],
    "programs": ["period", "dayoff"],
}

for app_label, models in REFERENCE_MODELS.items():
    rules.add_perm(app_label, is_staff_role)
    for model in models:
        rules.add_perm(f"{app_label}.view_{model}", is_staff_role)
        for action in ("add", "change", "delete"):
            rules.add_perm(f"{app_label}.{action}_{model}", is_bappeda)
