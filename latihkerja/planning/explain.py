"""Rules of the planner in plain words, in the reader's language: what `binding` and `evaluate`'s violations mean for Bappeda."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _


def _rupiah(value: Any) -> str:
    """Rupiah grouped the reader's way: Rp 1.820.000.000 in Indonesian, Rp 1,820,000,000 in English."""
    return "Rp " + number_format(int(value), force_grouping=True)


def display_names() -> dict[str, str]:
    """Codes the planner speaks in (kecamatan, centre, theme, agency) mapped to the names people read."""
    from latihkerja.agencies.models import Agency
    from latihkerja.catalog.models import Theme
    from latihkerja.centers.models import Center
    from latihkerja.regions.models import Kecamatan

    names: dict[str, str] = {}
    names.update(Kecamatan.objects.values_list("code", "name"))
    names.update(Center.objects.values_list("code", "name"))
    names.update((theme.code, theme.display_name) for theme in Theme.objects.only("code", "name", "name_en"))
    names.update(Agency.objects.values_list("code", "short_name"))
    return names


def explain_rule(entry: Mapping[str, Any], names: Mapping[str, str] | None = None) -> str:
    """One sentence for one rule entry of `binding` (a plan's limits) or `violations` (an edit's breaches).

    `names` turns the planner's codes into names (see `display_names`)."""
    if names:
        entry = {
            key: names.get(value, value) if isinstance(value, str) else value for key, value in entry.items()
        }
    rule = entry.get("rule")
    if rule == "budget":
        if "over" in entry:
            return _("Anggaran terlampaui: rencana ini memakai %(used)s dari %(limit)s (lebih %(over)s).") % {
                "used": _rupiah(entry["used"]),
                "limit": _rupiah(entry["limit"]),
                "over": _rupiah(entry["over"]),
            }
        return _("Anggaran habis terpakai: kelas lain yang dibutuhkan tidak lagi terbiayai.")
    if rule == "opd_capacity":
        params = {
            "opd": entry.get("opd"),
            "month": entry.get("month"),
            "used": entry.get("used"),
            "limit": entry.get("limit"),
        }
        if entry.get("implicit"):
            return (
                _("%(opd)s tidak punya kapasitas pembinaan yang tercatat pada %(month)s (dianggap 0).")
                % params
            )
        return (
            _("%(opd)s sudah membina kelas sebanyak kapasitasnya pada %(month)s (%(used)s dari %(limit)s).")
            % params
        )
    if rule == "interest":
        if "theme" not in entry:
            return _(
                "Peminat di kecamatan %(kecamatan)s cukup untuk paling banyak %(max)s kelas, padahal BLK-nya "
                "perlu %(slots)s kelas (kurang %(short)s)."
            ) % {k: entry.get(k) for k in ("kecamatan", "max", "slots", "short")}
        if "needed" in entry:
            return _(
                "Peminat tema %(theme)s di kecamatan %(kecamatan)s kurang: %(batches)s kelas butuh %(needed)s "
                "peminat, yang ada %(residents)s."
            ) % dict(entry)
        return _("Peminat tema %(theme)s di kecamatan %(kecamatan)s tidak cukup untuk satu kelas lagi.") % {
            "theme": entry.get("theme"),
            "kecamatan": entry.get("kecamatan"),
        }
    if rule == "trainings_fixed":
        return _(
            "Setiap BLK sudah menjalankan tepat target kelasnya; kebutuhan yang tersisa hanya dapat dipenuhi "
            "dengan menaikkan target pelatihan per BLK."
        )
    if rule == "rooms":
        return _("%(center)s memakai lebih banyak ruang daripada yang ada pada suatu bulan.") % {
            "center": entry.get("center")
        }
    if rule == "centre_trainings":
        if "blocked_by" in entry or "short" in entry:
            return _("%(center)s hanya mendapat %(planned)s dari %(trainings)s kelas targetnya.") % {
                "center": entry.get("center"),
                "planned": entry.get("planned", "?"),
                "trainings": entry.get("trainings", "?"),
            }
        return _("%(center)s mendapat %(planned)s kelas, lebih dari targetnya %(trainings)s.") % {
            "center": entry.get("center"),
            "planned": entry.get("planned"),
            "trainings": entry.get("trainings"),
        }
    return _("Aturan %(rule)s membatasi rencana.") % {"rule": rule}
